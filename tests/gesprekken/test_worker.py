"""Integration: a real Celery worker on Redis runs the reminder sweep and a mail goes out.

The root conftest runs tasks eagerly; this test switches that off, points the app at Redis
with a queue of its own (other test runs may share the Redis) and runs an embedded worker
thread against the test database."""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def running_worker(app, redis_url):
    """An embedded worker on a queue of its own; on exit the app's settings and broker pools
    are as they were before (the browser tests later queue work through the same app)."""
    from celery.contrib.testing.worker import start_worker

    queue = f"lev-test-gesprekken-{uuid.uuid4().hex[:10]}"
    saved = {key: app.conf[key] for key in SETTINGS}
    app.conf.update(
        broker_url=redis_url,
        task_always_eager=False,
        task_default_queue=queue,
        broker_transport_options={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
    )
    forget_broker_pools(app)  # connections made for the in-memory broker must not be reused
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
        forget_broker_pools(app)
        app.conf.update(saved)


@pytest.fixture
def redis_app(redis_url, settings):
    from lev.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with running_worker(app, redis_url):
        yield app


def forget_broker_pools(app) -> None:
    """Close the worker's broker connections and forget them.

    kombu keeps connection and producer pools in a process-wide registry keyed by broker URL
    and transport options. Closing only ``app._pool`` left that closed pool registered, so the
    next ``delay()`` with the same settings (the live server of the browser tests, even in
    eager mode, acquires a producer) failed with "Acquire on closed pool" and the queued work
    was lost. ``pools.reset()`` closes them and empties the registry."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_after_a_real_worker_the_app_queues_again(redis_url):
    """Regression: after a worker ran, a task queued with the same broker settings (as the
    live server of the browser tests does) runs instead of failing on a closed pool."""
    from lev.celery import app

    saved = app.conf.broker_url
    app.conf.update(broker_url=redis_url)
    try:
        with app.producer_or_acquire():  # the pool the worker will share
            pass
        with running_worker(app, redis_url):
            pass
        assert app.conf.task_always_eager is True
        ran = []

        @app.task(name="tests.gesprekken.ping", shared=False)
        def ping():
            ran.append(True)
            return "pong"

        assert ping.delay().get() == "pong"  # eager, but it still acquires a producer
        assert ran == [True]
    finally:
        forget_broker_pools(app)
        app.conf.update(broker_url=saved)


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
