"""A traject whose dossier is submitted for the Proeve is in the Proeve stage."""

import pytest

from bekwaamheid.models import Proeve
from tests import factories as f
from trajecten import selectors

pytestmark = pytest.mark.django_db


def stage_of(traject):
    return selectors.with_stage(type(traject).objects.filter(pk=traject.pk)).get().stage


def test_submitted_dossier_puts_the_traject_in_the_proeve_stage():
    proeve = f.ProeveFactory(status=Proeve.Status.GEPLAND)
    assert stage_of(proeve.dossier.traject) == "proeve"


def test_finished_proeve_leaves_the_proeve_stage():
    proeve = f.ProeveFactory(status=Proeve.Status.AFGEROND)
    assert stage_of(proeve.dossier.traject) != "proeve"


def test_the_proeve_stage_of_a_short_list_asks_only_about_those_trajecten():
    """with_stage(among=ids) narrows the Proeve condition to those trajecten (a page of rows
    must not hash every Proeve in the country), with the same stages as without."""
    planned = f.ProeveFactory(status=Proeve.Status.GEPLAND).dossier.traject
    finished = f.ProeveFactory(status=Proeve.Status.AFGEROND).dossier.traject
    elsewhere = f.ProeveFactory(status=Proeve.Status.INGEDIEND).dossier.traject
    ids = [planned.pk, finished.pk]
    Traject = type(planned)
    narrowed = selectors.with_stage(Traject.objects.filter(pk__in=ids), among=ids)
    stages = dict(narrowed.values_list("pk", "stage"))
    assert stages[planned.pk] == "proeve" and stages[finished.pk] != "proeve"
    assert stages == dict(
        selectors.with_stage(Traject.objects.filter(pk__in=ids)).values_list("pk", "stage")
    )
    # A traject outside `among` is not looked up: it is not in the Proeve stage as far as
    # this (misused) query knows, which shows the condition really is narrowed.
    misused = selectors.with_stage(Traject.objects.filter(pk=elsewhere.pk), among=ids)
    assert misused.get().stage != "proeve"
    assert stage_of(elsewhere) == "proeve"
