"""A Celery worker killed while it sends mail (issue 19, the fault suite).

A real worker, on a Redis and a mail server of the test's own and on the test's PostgreSQL
database, sends a batch of reminders; the mail server stops answering in the middle of the
third and the worker is killed (SIGKILL: no clean-up of its own). What the people see: the
first two mails arrived; the rest arrive once a new worker takes them (the quarter-hourly
`requeue_mail`), each exactly once, with the same Message-ID as on the first attempt."""

from __future__ import annotations

import datetime
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from conftest import REQUIRE_SERVICES
from lev.celery import app
from portal.mail import MAIL_CLAIM_TIMEOUT, message_id
from portal.mailtasks import send_mail, send_mails
from portal.models import Mail
from portal.tasks import requeue_mail
from tests import faultkit

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_connections() -> None:
    """Let this process's Celery app connect anew, to the broker app.conf names now."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def world(settings, tmp_path):
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("the worker fault test needs PostgreSQL (LEV_REQUIRE_SERVICES=1)")
        pytest.skip("a worker beside the test needs a shared database: PostgreSQL")
    if faultkit.REDIS_SERVER is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is needed for the fault suite (LEV_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server is not installed")
    redis_port = faultkit.free_port()
    redis = faultkit.start_redis(redis_port)
    broker = f"redis://127.0.0.1:{redis_port}/0"
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = broker, False
    _fresh_connections()
    workers = []
    log = tmp_path / "worker.log"

    def worker(mail_server):
        process = faultkit.start_worker(
            faultkit.django_env(
                REDIS_URL=broker,
                CELERY_TASK_ALWAYS_EAGER="0",
                EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}",
                EMAIL_TIMEOUT="5",
            ),
            log,
        )
        process.log = log
        workers.append(process)
        return process

    yield worker
    for process in workers:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    app.conf.broker_url, app.conf.task_always_eager = old
    _fresh_connections()
    redis.kill()
    redis.wait(timeout=10)


def _wait(condition, timeout=30.0, what="the condition", worker=None):
    """Wait for `condition`; a worker that ended on the way fails the test at once, with
    what it printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            output = worker.log.read_text(errors="replace")[-4000:]
            raise AssertionError(f"the worker ended ({worker.returncode}) before {what}:\n{output}")
        time.sleep(0.1)
    output = worker.log.read_text(errors="replace")[-4000:] if worker is not None else ""
    raise AssertionError(f"waited {timeout} s for {what}\n{output}")


def _mails(n: int) -> list[Mail]:
    return [
        Mail.objects.create(
            to=f"persoon{i}@school.test",
            kind="herinnering",
            subject=f"Herinnering {i}",
            body_text=f"Je gesprek is over een week ({i}).",
        )
        for i in range(1, n + 1)
    ]


def _probe(server, worker) -> None:
    """Send one more mail and wait for it: the solo worker takes its tasks in order, so
    once the probe arrived, every task queued before it has been handled."""
    probe = Mail.objects.create(to="probe@lev.test", kind="probe", subject="p", body_text="p")
    send_mail.delay(probe.pk)
    _wait(lambda: message_id(probe) in server.message_ids(), what="the probe mail", worker=worker)
    server.messages = [m for m in server.messages if m["Message-ID"] != message_id(probe)]


def test_a_worker_killed_while_sending_loses_no_mail_and_sends_none_twice(world):
    mails = _mails(5)
    ids = [mail.pk for mail in mails]
    first_server = faultkit.MailServer(hang_at=3)
    try:
        first = world(first_server)
        send_mails.delay(ids)
        _wait(first_server.hung.is_set, 60, "the third mail", worker=first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first_server.close()

    # The first two left and are recorded as sent; the third was cut off halfway and the
    # last two were taken by the lost worker: all three are "sending", none sent twice.
    assert first_server.message_ids() == [message_id(m) for m in mails[:2]]
    status = dict(Mail.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [status[pk] for pk in ids] == ["sent", "sent", "sending", "sending", "sending"]

    second_server = faultkit.MailServer()
    try:
        second = world(second_server)
        # Within the claim another worker leaves them alone: the lost one might still be
        # sending. (The broker also hands the unacknowledged batch out again later.)
        send_mails.delay(ids)
        send_mail.delay(ids[2])
        _probe(second_server, second)
        assert second_server.messages == []
        # A quarter of an hour later (the claim has run out), requeue_mail sends the rest.
        Mail.objects.filter(pk__in=ids[2:]).update(
            claimed_at=timezone.now() - MAIL_CLAIM_TIMEOUT - datetime.timedelta(minutes=1)
        )
        assert requeue_mail() == 3
        _wait(
            lambda: len(second_server.messages) == 3,
            what="the three mails left behind",
            worker=second,
        )
        _wait(
            lambda: not Mail.objects.filter(pk__in=ids).exclude(status="sent").exists(),
            what="every mail recorded as sent",
        )
        # Again, and the redelivered batch of the killed worker: nothing goes out twice.
        assert requeue_mail() == 0
        send_mails.delay(ids)
        _probe(second_server, second)
    finally:
        second_server.close()
    # Each of the three left behind arrived once (in the order the worker took them).
    assert sorted(second_server.message_ids()) == sorted(message_id(m) for m in mails[2:])
    assert sorted(m["To"] for m in second_server.messages) == [m.to for m in mails[2:]]
