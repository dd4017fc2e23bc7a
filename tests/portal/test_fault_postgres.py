"""PostgreSQL connections terminated during requests (issue 19, the fault suite).

The connection of the request is terminated by the server (`pg_terminate_backend`, as a
restart, a fail-over or an administrator does) between requests, and in the middle of one at
every query it makes in turn. What the person sees: between requests, nothing (the next
request opens a new connection); in the middle of one, a page that says the connection was
lost and to send again (503). Sent again, the form is saved exactly once."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import psycopg2
import pytest
import requests
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from conftest import REQUIRE_SERVICES
from gesprekken.models import Gesprek
from tests import faultkit
from tests.security.test_once import token_in

pytestmark = pytest.mark.django_db(transaction=True)

DONE = "Het extra gesprek is gepland."
ALREADY = "Dit formulier was al verstuurd."
LOST = "Even geen verbinding met de database"


@pytest.fixture
def killer():
    """A connection of its own that terminates the request's connection."""
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("the PostgreSQL fault test needs PostgreSQL (LEV_REQUIRE_SERVICES=1)")
        pytest.skip("terminating connections needs PostgreSQL")
    s = connection.settings_dict
    own = psycopg2.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"]
    )
    own.autocommit = True
    connection.ensure_connection()
    test_pid = connection.connection.get_backend_pid()  # the test's own: not this one

    def terminate(pid: int | None) -> None:
        """The backend `pid`, or (None) every other connection to the test database; waits
        (up to 5 s) until it is gone."""
        with own.cursor() as cursor:
            if pid is not None:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                return
            cursor.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend' AND pid <> %s",
                [test_pid],
            )

    yield terminate
    own.close()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)  # as a browser: the error page
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _kill_at(terminate, position: int):
    """An execute wrapper that terminates the connection just before its n-th query."""
    seen = {"queries": 0, "killed": False}

    def wrapper(execute, sql, params, many, context):
        seen["queries"] += 1
        if seen["queries"] == position:
            terminate(connection.connection.get_backend_pid())
            seen["killed"] = True
        return execute(sql, params, many, context)

    return wrapper, seen


@pytest.fixture
def web(cast, tmp_path):
    """A real web server as in production (gunicorn, DEBUG off, one worker keeping its
    connection for a minute) on the test's database, and a browser session of the coach's."""
    port = faultkit.free_port()
    env = faultkit.django_env(
        DEBUG="0",
        SECRET_KEY="fault-suite-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(tmp_path / "static"),
        CONN_MAX_AGE="60",
        ALLOWED_HOSTS="127.0.0.1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=faultkit.ROOT, env=env, check=True,
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lev.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "30"],
        cwd=faultkit.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its worker goes down with it, and with it its connection
    )  # fmt: skip
    try:
        faultkit.wait_for_port(port, process)
        browser = requests.Session()
        client = Client()
        client.force_login(cast.coach)
        browser.cookies.set("sessionid", client.cookies["sessionid"].value)
        yield f"http://127.0.0.1:{port}", browser
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_a_stream_of_requests_survives_terminated_connections(cast, killer, web):
    base, browser = web
    url = base + reverse("trajecten:detail", args=[cast.traject.pk])
    assert browser.get(url, timeout=10).status_code == 200
    # Between requests: every connection of the database is terminated; the next request
    # checks its connection, opens a new one, and the person sees nothing.
    for _ in range(5):
        killer(None)
        assert browser.get(url, timeout=10).status_code == 200
    # During a stream: connections terminated every 20 ms while 150 pages are asked for.
    stop = threading.Event()

    def keep_killing():
        while not stop.is_set():
            killer(None)
            time.sleep(0.02)

    thread = threading.Thread(target=keep_killing)
    thread.start()
    try:
        answers = [browser.get(url, timeout=10) for _ in range(150)]
    finally:
        stop.set()
        thread.join()
    codes = Counter(a.status_code for a in answers)
    assert set(codes) <= {200, 503}, codes  # never a 500, never a hang
    assert codes[200] > 0
    for answer in answers:
        if answer.status_code == 503:
            assert answer.headers["Retry-After"] == "30"
            assert LOST in answer.text
    # Afterwards every page answers again.
    assert [browser.get(url, timeout=10).status_code for _ in range(5)] == [200] * 5


def test_a_page_whose_connection_is_cut_says_so_and_the_next_one_works(cast, killer):
    client = _client(cast.coach)
    url = reverse("trajecten:detail", args=[cast.traject.pk])
    client.get(url)
    wrapper, seen = _kill_at(killer, 4)
    with connection.execute_wrapper(wrapper):
        cut = client.get(url)
    assert seen["killed"]
    assert cut.status_code == 503
    assert cut["Retry-After"] == "30"
    assert LOST in cut.content.decode()
    # At the end of every request the server drops a broken connection (Django's
    # close_old_connections, which the test client leaves out); the next page works.
    close_old_connections()
    assert client.get(url).status_code == 200


def test_a_form_cut_off_at_any_query_is_saved_once_when_sent_again(cast, killer):
    client = _client(cast.coach)
    url = reverse("gesprekken:add", args=[cast.traject.pk])
    position = 1
    while True:
        token = token_in(client.get(url).content.decode(), None)
        day = datetime.date.today() + datetime.timedelta(days=3 + position)
        data = {
            "date": day.isoformat(),
            "time": "14:00",
            "duration_minutes": 30,
            "location": f"Lokaal {position}",
            "video_url": "",
            "_once": token,
        }
        wrapper, seen = _kill_at(killer, position)
        with connection.execute_wrapper(wrapper):
            first = client.post(url, data, HTTP_REFERER="http://testserver" + url)
        if not seen["killed"]:
            break  # the post made fewer queries than `position`: every one was tried
        close_old_connections()  # what the server does at the end of a request
        saved = Gesprek.objects.filter(traject=cast.traject, location=data["location"])
        was_saved = saved.exists()
        if first.status_code == 302:
            # Done before the cut, or with the connection back: it says what happened.
            assert was_saved, f"query {position}: a redirect, and nothing saved"
            assert _messages(first) == [DONE], position
            client.get(first["Location"])  # the browser follows: the message is read
        else:
            assert first.status_code == 503, f"query {position}: {first.status_code}"
            assert LOST in first.content.decode()
        # The person sends the same form again (the back button, or a reload).
        again = client.post(url, data, HTTP_REFERER="http://testserver" + url)
        assert again.status_code == 302, position
        expected = [ALREADY] if was_saved else [DONE]
        assert [m[: len(expected[0])] for m in _messages(again)] == expected, position
        assert saved.count() == 1, f"query {position}: saved {saved.count()} times"
        position += 1
    assert position > 10  # the post was cut at each of its queries
