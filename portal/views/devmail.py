"""The development mailbox (portal.devmail): staff read the mails the demo sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .. import devmail


def _mailbox_open_to(request) -> None:
    """Only with the mailbox on, and only for staff; anyone else gets 404."""
    if not (settings.LEV_MAILBOX and request.user.is_staff):
        raise Http404


@login_required
def mailbox(request):
    _mailbox_open_to(request)
    return render(request, "portal/mailbox.html", {"mails": devmail.mailbox_list()})


@login_required
def mailbox_mail(request, name: str):
    _mailbox_open_to(request)
    mail = devmail.mailbox_get(name)
    if mail is None:
        raise Http404
    return render(request, "portal/mailbox_mail.html", {"mail": mail})
