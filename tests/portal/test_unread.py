"""The unread count in the navigation follows new, read and purged
notifications at once: counted in the database on every page (portal.unread)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.mail import notify
from portal.models import Notificatie
from portal.unread import unread_count
from tests import factories as f

pytestmark = pytest.mark.django_db


def badge(client) -> str:
    html = client.get(reverse("portal:privacy")).content.decode()
    start = html.index('href="/meldingen/"') if 'href="/meldingen/"' in html else None
    assert start is not None, "no notifications link"
    return html[start : html.index("</a>", start)]


def test_the_badge_counts_new_notifications_and_clears_when_read(client):
    user = f.UserFactory()
    client.force_login(user)
    assert "badge" not in badge(client)
    notify(user=user, kind="test", text="Eerste melding", url="/")
    notify(user=user, kind="test", text="Tweede melding", url="/")
    assert ">2<span" in badge(client)
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(user) == 2
    assert len(queries) == 1  # one indexed COUNT, never a cached number
    client.post(reverse("portal:notificaties_read"))
    assert "badge" not in badge(client)
    notify(user=user, kind="test", text="Derde melding", url="/")
    assert ">1<span" in badge(client)
    Notificatie.objects.filter(user=user).delete()
    assert "badge" not in badge(client)
