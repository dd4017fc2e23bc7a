"""The `options` tag renders a choice field's options escaped, the current one selected."""

from django import forms
from django.template import Context, Template


class PickForm(forms.Form):
    school = forms.ChoiceField(
        choices=[("", "Alle scholen"), ("1", "De Akker"), ("2", '<b>"Beuk" & co</b>')]
    )


def render(form) -> str:
    return Template("{% load lev %}{% options form.school %}").render(Context({"form": form}))


def test_options_mark_the_chosen_value_and_escape_labels():
    html = render(PickForm({"school": "2"}))
    assert html == (
        '<option value="">Alle scholen</option>'
        '<option value="1">De Akker</option>'
        '<option value="2" selected>&lt;b&gt;&quot;Beuk&quot; &amp; co&lt;/b&gt;</option>'
    )


def test_options_of_an_unbound_form_select_the_empty_choice_only():
    html = render(PickForm())
    assert html.count(" selected") == 1 and '<option value="" selected>' in html
