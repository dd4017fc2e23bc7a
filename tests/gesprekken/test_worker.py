"""Integration: a real Celery worker on Redis runs the reminder sweep and a mail goes out.

The root conftest runs tasks eagerly; this test switches that off, points the app at Redis
with a queue of its own (other test runs may share the Redis) and runs an embedded worker
thread against the test database."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from gesprekken.models import Herinnering
from portal.models import Mail
from tests import factories as f

# transaction=True (what the transactional_db fixture gives): the worker thread's own
# connection must see committed rows. As a marker it is active before any autouse fixture.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SETTINGS = ("broker_url", "task_always_eager", "task_default_queue", "broker_transport_options")


@pytest.fixture
def redis_app(redis_url, settings):
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue = f"lev-test-gesprekken-{uuid.uuid4().hex[:10]}"
    saved = {key: app.conf[key] for key in SETTINGS}
    app.conf.update(
        broker_url=redis_url,
        task_always_eager=False,
        task_default_queue=queue,
        broker_transport_options={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
    )
    app._pool = None  # connections made for the in-memory broker must not be reused
    app.amqp._producer_pool = None
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            queues=[queue],
            loglevel="WARNING",
            shutdown_timeout=20,
        ):
            yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.update(saved)


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_real_worker_sends_a_reminder_mail_once(redis_app):
    from gesprekken.tasks import herinneringen_sweep

    traject = f.TrajectFactory()
    f.GesprekFactory(
        traject=traject,
        cycle_number=1,
        planned_for=timezone.localdate() + datetime.timedelta(days=10),
    )
    assert herinneringen_sweep.delay().id  # through Redis, not eagerly
    assert wait_for(lambda: len(mail.outbox) >= 3), "no reminder mail arrived"
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {traject.zij_instromer.email, traject.coach.email, traject.slb.email}
    assert all("begeleidingsgesprek" in m.subject for m in mail.outbox)
    # A second sweep through the worker sends nothing new.
    herinneringen_sweep.delay()
    time.sleep(3)
    assert len(mail.outbox) == 3
    assert Herinnering.objects.count() == 3
    assert set(Mail.objects.values_list("status", flat=True)) == {Mail.Status.SENT}
