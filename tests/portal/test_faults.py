"""With Redis down the portal keeps working; queued work waits in the database."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from lev.celery import app
from portal.mail import mail_requeue_stale
from portal.models import AuditEvent, Mail
from portal.services import user_create
from tests import factories as f

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            "FALLBACK": "fallback",
        },
        "fallback": settings.FALLBACK_CACHE,
    }
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = DEAD_REDIS
    app.conf.task_always_eager = False
    app.conf.broker_connection_timeout = 0.5
    yield
    app.conf.broker_url, app.conf.task_always_eager = old


def test_the_cache_carries_on_in_the_database_instead_of_failing(redis_down):
    assert cache.get("x", "missing") == "missing"
    cache.set("x", 1)  # no error: the database holds it while Redis is down
    assert cache.get("x") == 1
    assert cache.add("once", 1) is True and cache.add("once", 1) is False


def test_a_form_posted_twice_acts_once_with_redis_down(client, redis_down, cast):
    """Issue 19, case 1: with Redis down the one-time token still holds."""
    from gesprekken.models import Gesprek
    from tests.security.test_once import post_twice, token_in

    client.force_login(cast.coach)
    url = reverse("gesprekken:add", args=[cast.traject.pk])
    token = token_in(client.get(url).content.decode(), None)
    day = datetime.date.today() + datetime.timedelta(days=5)
    data = {
        "date": day.isoformat(),
        "time": "14:00",
        "duration_minutes": 30,
        "location": "Lokaal 4",
        "video_url": "",
        "_once": token,
    }
    first, second = post_twice(client, url, data, referer=url)
    assert first.status_code == 302 and second.status_code == 302
    assert cast.traject.gesprekken.filter(soort=Gesprek.Soort.EXTRA).count() == 1


def test_the_login_throttle_keeps_counting_with_redis_down(client, redis_down, cast):
    """Issue 19, case 1: 15 wrong passwords in a row used to get the normal message and
    no throttle while Redis was down."""
    login = reverse("account_login")
    answers = [
        client.post(login, {"login": cast.coach.email, "password": "fout"}) for _ in range(15)
    ]
    throttled = [r for r in answers if r.status_code == 429 or b"te veel" in r.content.lower()]
    assert throttled, "no throttle with Redis down"
    assert "_auth_user_id" not in client.session


def test_login_works_with_redis_down(client, redis_down, cast):
    response = client.post(
        reverse("account_login"), {"login": cast.coach.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_mail_waits_in_the_database_when_the_broker_is_down(
    redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(email="wacht@example.test", first_name="W", last_name="Acht")
    mail = Mail.objects.get(user=user)
    assert mail.status == Mail.Status.QUEUED


def test_requeue_sends_waiting_mail_once_the_broker_is_back(django_capture_on_commit_callbacks):
    from django.core import mail as outbox
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        user = user_create(email="later@example.test", first_name="L", last_name="Ater")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Mail.objects.filter(user=user).update(created_at=an_hour_ago)
    assert mail_requeue_stale() == 1
    assert Mail.objects.get(user=user).status == Mail.Status.SENT
    assert len(outbox.outbox) == 1


def test_logins_and_failed_logins_are_audited(client, cast):
    client.post(reverse("account_login"), {"login": cast.coach.email, "password": "fout"})
    client.post(reverse("account_login"), {"login": cast.coach.email, "password": f.PASSWORD})
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.detail["login"] == cast.coach.email
    assert failed.ip == "127.0.0.1"
    assert "password" not in str(failed.detail)
