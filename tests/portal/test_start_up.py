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
