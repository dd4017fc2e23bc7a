"""The portal's own pages: start, errors, settings, language."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from portal.models import Notificatie
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_friendly_dutch_404(client, cast, settings):
    settings.DEBUG = False
    client.force_login(cast.coach)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_traject_of_someone_else_is_404(client, cast):
    client.force_login(cast.outsider)
    response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
    assert response.status_code == 404


def test_every_role_opens_the_traject_page(client, cast):
    for who in ("zij_instromer", "coach", "slb", "duo", "schoolleider", "coordinator"):
        client.force_login(getattr(cast, who))
        response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
        assert response.status_code == 200, who


def test_settings_switch_mail_kinds_off(client, cast):
    client.force_login(cast.coach)
    response = client.post(
        reverse("portal:instellingen"),
        {"first_name": "Ans", "last_name": "Kok", "language": "en", "mail_kinds": ["feedback"]},
    )
    assert response.status_code == 302
    cast.coach.refresh_from_db()
    assert cast.coach.language == "en"
    assert "feedback" not in cast.coach.muted_mail_kinds
    assert "herinnering_voorbereiding" in cast.coach.muted_mail_kinds


def test_settings_refuse_an_empty_name(client, cast):
    client.force_login(cast.coach)
    response = client.post(
        reverse("portal:instellingen"), {"first_name": "", "last_name": "Kok", "language": "nl"}
    )
    assert response.status_code == 200
    cast.coach.refresh_from_db()
    assert cast.coach.last_name != "Kok"


def test_notifications_are_own_only_and_can_be_marked_read(client, cast):
    mine = Notificatie.objects.create(user=cast.coach, kind="x", text="Voor de coach")
    Notificatie.objects.create(user=cast.slb, kind="x", text="Voor de SLB")
    client.force_login(cast.coach)
    page = client.get(reverse("portal:notificaties")).content.decode()
    assert "Voor de coach" in page and "Voor de SLB" not in page
    client.post(reverse("portal:notificaties_read"))
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_security_headers_are_set(client):
    response = client.get(reverse("account_login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = {"DEBUG": "0", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "lev.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_html_lang_follows_the_language_switch(client, cast):
    client.force_login(cast.coach)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("portal:home"))
    assert b'<html lang="en">' in response.content


def test_demo_command_is_idempotent(db):
    """A second run changes nothing: no row anywhere is added, removed or changed."""
    from django.apps import apps
    from django.core import serializers
    from django.core.management import call_command

    from portal.models import User

    def snapshot():
        rows = {}
        for model in apps.get_models():
            if model._meta.app_label in ("portal", "trajecten", "gesprekken", "bekwaamheid"):
                rows[model._meta.label] = serializers.serialize(
                    "json", model._default_manager.order_by("pk")
                )
        return rows

    call_command("demo", verbosity=0)
    first = snapshot()
    call_command("demo", verbosity=0)
    second = snapshot()
    changed = [label for label in first if first[label] != second[label]]
    assert changed == []
    assert User.objects.filter(email="zijinstromer1@lev.test").get().check_password("lev-demo-2026")


def test_demo_accounts_reach_their_start_pages(client, db):
    from django.core.management import call_command

    call_command("demo", verbosity=0)
    for email in (
        "coach1@lev.test",
        "slb1@lev.test",
        "coordinator@lev.test",
        "schoolleider1@lev.test",
        "zijinstromer1@lev.test",
    ):
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": email, "password": "lev-demo-2026"}
        )
        assert response.status_code == 302, email
        assert client.get(reverse("portal:home"), follow=True).status_code == 200


def test_factories_make_distinct_people(db):
    a, b = f.UserFactory(), f.UserFactory()
    assert a.email != b.email


def test_health_answers_without_login(client):
    response = client.get(reverse("portal:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_query_count_header_counts_queries(client, cast, settings):
    settings.MIDDLEWARE = ["portal.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]
    client.force_login(cast.coach)
    response = client.get(reverse("portal:health"))
    assert int(response["X-Lev-Queries"]) >= 1
