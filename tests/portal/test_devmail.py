"""The development mailbox of `make demo`: mails are kept, not sent, and staff read them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.html import escape

from portal.services import user_create
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.LEV_MAILBOX = True
    settings.LEV_MAILBOX_DIR = str(tmp_path / "mailbox")
    settings.EMAIL_BACKEND = "portal.devmail.MailboxBackend"
    return tmp_path / "mailbox"


def test_an_invitation_lands_in_the_mailbox_and_staff_read_it_with_its_link(
    mailbox, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(email="noor@example.test", first_name="Noor", last_name="Bos")
    stored = list(mailbox.iterdir())
    assert len(stored) == 1
    assert oct(stored[0].stat().st_mode & 0o777) == "0o600"
    client.force_login(f.UserFactory(is_staff=True))
    listing = client.get(reverse("portal:mailbox"))
    assert listing.status_code == 200
    assert b"noor@example.test" in listing.content
    page = client.get(reverse("portal:mailbox_mail", args=[stored[0].name]))
    text = page.content.decode()
    assert "Beste Noor" in text
    link = next(w for w in text.split('"') if "/account/password/reset/key/" in w)
    assert link.startswith(django_settings.SITE_URL) and f'href="{escape(link)}"' in text


def test_people_who_are_not_staff_get_404(mailbox, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(email="noor@example.test", first_name="Noor", last_name="Bos")
    name = next(mailbox.iterdir()).name
    client.force_login(f.UserFactory())
    assert client.get(reverse("portal:mailbox")).status_code == 404
    assert client.get(reverse("portal:mailbox_mail", args=[name])).status_code == 404


def test_without_the_mailbox_the_page_does_not_exist(settings, client):
    settings.LEV_MAILBOX = False
    client.force_login(f.UserFactory(is_staff=True))
    assert client.get(reverse("portal:mailbox")).status_code == 404


def test_a_name_outside_the_mailbox_answers_404(mailbox, client):
    client.force_login(f.UserFactory(is_staff=True))
    for name in ("..%2F..%2Fsettings.py", "x.eml", "20260101T000000000000-" + "0" * 32 + ".txt"):
        assert client.get(f"/dev/mailbox/{name}/").status_code == 404


def test_production_refuses_the_mailbox():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "LEV_MAILBOX": "1",
        "DJANGO_SETTINGS_MODULE": "lev.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "LEV_MAILBOX" in result.stderr and "DEBUG=0" in result.stderr
