"""What the portal registers when it starts (PortalConfig.ready): a regression test, since
a clean-up once dropped the import that registers them and no page test noticed."""

import pytest
from django.core import checks

from portal.models import AuditEvent
from tests import factories as f
from trajecten.models import Logboekregel

pytestmark = pytest.mark.django_db


def test_an_id_beyond_the_integer_range_finds_nothing_instead_of_failing():
    assert list(Logboekregel.objects.filter(pk__in=[2**63, "9223372036854775808"])) == []


def test_a_login_is_audited(client):
    user = f.UserFactory()
    client.force_login(user)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()


def test_the_portal_checks_are_registered():
    registered = {
        c.__module__ for c in checks.registry.registry.get_checks(include_deployment_checks=True)
    }
    assert "portal.checks" in registered


def test_the_mail_tasks_keep_their_names_so_queued_mails_are_still_sent():
    """portal.mailtasks moved the tasks out of portal.tasks (the floor imports no domain
    app); mails queued under the old names must still find their task."""
    from lev.celery import app
    from portal.tasks import purge_expired, requeue_mail, send_mail, send_mails

    app.loader.import_default_modules()  # what a worker and beat do at start
    assert send_mail.name == "portal.tasks.send_mail"
    assert send_mails.name == "portal.tasks.send_mails"
    for task in (send_mail, send_mails, requeue_mail, purge_expired):
        assert task.name in app.tasks
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
