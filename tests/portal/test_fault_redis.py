"""Faults with a real Redis (issue 19, the fault suite): a Redis of the test's own is
stopped, paused and started again while people post forms and log in. Each test says what
the person sees; nothing a protection guards is lost or done twice."""

from __future__ import annotations

import datetime
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def own_redis(settings):
    if REDIS_SERVER is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is needed for the fault suite (LEV_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    state = {"process": _start(port), "port": port}
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            "FALLBACK": "fallback",
        },
        "fallback": settings.FALLBACK_CACHE,
    }
    caches._settings = None  # the handler reads settings.CACHES again

    def stop():
        state["process"].kill()
        state["process"].wait(timeout=5)

    def start():
        state["process"] = _start(port)

    state["stop"], state["start"] = stop, start
    yield state
    if state["process"].poll() is None:
        state["process"].send_signal(signal.SIGCONT)
        state["process"].kill()
        state["process"].wait(timeout=5)


def _extra_conversation(client, cast):
    from tests.security.test_once import token_in

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
    return url, data


def test_a_form_sent_before_redis_died_and_again_after_acts_once(client, own_redis, cast):
    """The person sees: the form done once; the repeat goes back with "already sent"."""
    from gesprekken.models import Gesprek

    client.force_login(cast.coach)
    url, data = _extra_conversation(client, cast)
    assert client.post(url, data, HTTP_REFERER="http://testserver" + url).status_code == 302
    own_redis["stop"]()
    again = client.post(url, data, HTTP_REFERER="http://testserver" + url)
    assert again.status_code == 302
    own_redis["start"]()
    third = client.post(url, data, HTTP_REFERER="http://testserver" + url)
    assert third.status_code == 302
    assert cast.traject.gesprekken.filter(soort=Gesprek.Soort.EXTRA).count() == 1


def test_the_throttle_counts_across_a_paused_and_a_restarted_redis(client, own_redis, cast):
    """Wrong passwords while Redis hangs (SIGSTOP) are still counted; the pages answer."""
    login = reverse("account_login")
    own_redis["process"].send_signal(signal.SIGSTOP)
    try:
        answers = [
            client.post(login, {"login": cast.coach.email, "password": "fout"}) for _ in range(6)
        ]
    finally:
        own_redis["process"].send_signal(signal.SIGCONT)
    assert all(a.status_code in (200, 429) for a in answers)
    refused = client.post(login, {"login": cast.coach.email, "password": "x-" + "fout"})
    assert "Probeer het over" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Redis back: the cache works on Redis again.
    caches["default"].set("fault-check", 1)
    assert caches["default"].get("fault-check") == 1


def test_pages_answer_while_redis_is_stopped(client, own_redis, cast):
    own_redis["stop"]()
    client.force_login(cast.zij_instromer)
    started = time.monotonic()
    response = client.get(reverse("trajecten:detail", args=[cast.traject.pk]))
    assert response.status_code == 200
    assert time.monotonic() - started < 5
