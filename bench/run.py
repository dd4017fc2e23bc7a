"""The national-size benchmark (see bench/README.md): `make bench`.

Seeds the benchmark database (lev_bench) when it is empty, runs the portal under gunicorn on
loopback with production settings, measures every role's main pages from scratch (the
bench's Redis database flushed before each request), the main writes as POST round trips,
the reminder sweeps, the Proeve PDF and 50 concurrent clients, and writes the table to
docs/benchmarks.md.

Only loopback traffic, bounded in count and time; only the lev_bench database and a Redis
database number of its own are touched. The writes add a bounded number of rows to lev_bench
each run (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import http.cookies
import itertools
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lev_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"  # a database number of its own

# Budgets on the reference machine (2 cores), issue 16: see docs/benchmarks.md.
PAGE_P95_MS = 100  # every page, from scratch
MAX_QUERIES = 20  # per page, the same whatever the data size
WRITE_P95_MS = 150  # every main write, POST round trip
SWEEP_S = 10  # the daily reminder sweep, and the catch-up after a week without the beat
PDF_S = 2  # the 60-item Proeve PDF, warm
LOAD_CLIENTS = 50
LOAD_REQUESTS = 2000
LOAD_SECONDS = 60
WORKERS = 3  # as in docker-compose.yml
WRITE_ROUNDS = 20  # measured POSTs per write
QUIET_LOAD = 0.5  # per core: the 1-minute load average to wait for before measuring pages


# --- Setup ---------------------------------------------------------------------------------------


def production_env(args) -> dict[str, str]:
    """The environment of the portal under test: production settings on lev_bench."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=args.secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=args.db,
        REDIS_URL=args.redis,
        LEV_QUERY_COUNT_HEADER="1",
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="lev.settings",
        # In this process (sweep, PDF) tasks run in-process, as a worker would run them.
        CELERY_TASK_ALWAYS_EAGER="1",
    )
    return env


def server_env(env: dict[str, str]) -> dict[str, str]:
    """gunicorn's environment: as production, a write queues its tasks (mail) on the broker,
    the bench's own Redis database, and does not run them; no worker takes them, and the
    next flush drops them."""
    return {**env, "CELERY_TASK_ALWAYS_EAGER": "0"}


def manage(env: dict, *argv: str, quiet: bool = False) -> None:
    cmd = [sys.executable, "manage.py", *argv]
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=out)  # noqa: S603 - fixed argv


def ensure_database(url: str, *, drop: bool = False) -> None:
    """Create the benchmark database when it does not exist (never any other); with `drop`,
    drop it first (a fresh seed)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        if drop:
            print(f"Dropping database {name} (--reseed)")
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_reference() -> float:
    """Seconds for ten million additions in pure Python, the best of three: the same code
    on the same CPU takes the same time, so a run on a throttled or shared machine (the
    virtual machines here have varied by a factor of two and more within one day) shows in
    this figure rather than only in slower pages."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return round(best, 2)


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "postgresql": pg.split()[0],
        "python": platform.python_version(),
        "cpu_reference_s": cpu_reference(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def code_state() -> str:
    """The commit measured, and whether tracked files had uncommitted changes."""

    def git(*argv: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed argv
            ["git", *argv],  # noqa: S607 - git from PATH
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    head = git("log", "-1", "--format=%h %s").strip()
    head = head if len(head) <= 90 else head[:89] + "…"
    status = git("status", "--porcelain", "--untracked-files=no")
    dirty = [line[3:] for line in status.splitlines() if line.strip()]
    if not dirty:
        return f"commit {head}, working tree clean"
    return f"commit {head}, with uncommitted changes in {', '.join(sorted(dirty))}"


def seeded_on():
    """The day lev_bench was seeded: the day after the last reminder of the seeded history."""
    import datetime as dt

    from django.utils import timezone

    from gesprekken.models import Herinnering

    last = Herinnering.objects.order_by("-sent_at").values_list("sent_at", flat=True).first()
    return timezone.localdate(last) + dt.timedelta(days=1) if last else None


def load_average() -> float:
    return os.getloadavg()[0]


def wait_quiet(limit: float, seconds: float) -> float:
    """Wait (at most `seconds`) until the 1-minute load average is at most `limit`: the
    machine may be shared, and other work inflates every figure. Returns the load."""
    deadline = time.monotonic() + seconds
    load = load_average()
    if load > limit and seconds > 0:
        print(f"Load average {load:.1f}; waiting up to {seconds:.0f} s for {limit:.1f} or less")
    while load > limit and time.monotonic() < deadline:
        time.sleep(10)
        load = load_average()
    return load


# --- Sessions ------------------------------------------------------------------------------------


def session_for(user) -> str:
    """A logged-in session created directly in the database (no login form, no CSRF)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Target:
    key: str
    path: str
    cookie: str | None


@dataclass
class Sample:
    status: int
    queries: int | None
    client_ms: float
    bench_id: str
    error: str = ""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage | None
    body: bytes
    client_ms: float
    bench_id: str
    error: str = ""

    @property
    def queries(self) -> int | None:
        value = self.headers.get("X-Lev-Queries") if self.headers else None
        return int(value) if value else None

    def cookies(self) -> dict[str, str]:
        """The cookies this response sets."""
        jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        headers = (self.headers.get_all("Set-Cookie") if self.headers else None) or []
        for header in headers:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


def send(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: bytes | None = None,
    extra: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Response:
    """One request to the portal as a browser over HTTPS behind the proxy would send it,
    tagged with a bench id that gunicorn's access log records beside its own time."""
    bench_id = uuid.uuid4().hex
    headers = {
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
        "X-Bench-Id": bench_id,
        "Accept-Language": "nl",
        **(extra or {}),
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        elapsed = (time.perf_counter() - started) * 1000
        return Response(0, None, b"", elapsed, bench_id, repr(exc))
    elapsed = (time.perf_counter() - started) * 1000
    return Response(response.status, response.msg, data, elapsed, bench_id)


def fetch(port: int, target: Target, timeout: float = 30.0) -> Sample:
    cookies = {"sessionid": target.cookie} if target.cookie else {}
    r = send(port, "GET", target.path, cookies, timeout=timeout)
    return Sample(r.status, r.queries, r.client_ms, r.bench_id, r.error)


@dataclass
class Form:
    action: str
    method: str
    values: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)

    def fields(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.values:
            out.setdefault(name, []).append(value)
        return out

    def encode(self, changes: dict[str, str | list[str]]) -> bytes:
        """The form as the browser sends it, with `changes` typed in."""
        pairs = [(k, v) for k, v in self.values if k not in changes]
        for name, value in changes.items():
            pairs += [(name, v) for v in ([value] if isinstance(value, str) else value)]
        return urlencode(pairs).encode()


class FormParser(HTMLParser):
    """The forms of a page with what a browser would send for them unchanged: hidden and
    text inputs, checked boxes and radio buttons, textareas, selected options (the first
    one of a single select without a selection). Files and buttons are left out."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.values.append((name, a.get("value", "on")))
            else:
                form.values.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "picked": [], "all": []}
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["all"].append(value)
            form.choices[self._select["name"]].append(value)
            if "selected" in a:
                self._select["picked"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            value = "".join(text)
            self._form.values.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            picked = select["picked"] or ([] if select["multiple"] else select["all"][:1])
            self._form.values += [(select["name"], v) for v in picked]
            self._select = None
        elif tag == "form":
            self._form = None


def find_form(html: str, page_path: str, post_path: str) -> Form | None:
    """The last POST form of the page whose action is `post_path` (an empty action posts
    to the page itself)."""
    parser = FormParser()
    parser.feed(html)
    found = None
    for form in parser.forms:
        action = urlsplit(form.action).path or page_path
        if form.method == "post" and action == post_path:
            found = form
    return found


class Server:
    """gunicorn on a free loopback port, with an access log of server times."""

    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        VAR.mkdir(parents=True, exist_ok=True)
        self.access_log = VAR / "access.log"
        self.error_log = VAR / "gunicorn.log"
        self.access_log.write_text("")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "lev.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            "%({x-bench-id}i)s %(s)s %(D)s",
            "--error-logfile",
            str(self.error_log),
        ]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env)  # noqa: S603 - fixed argv
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.error_log}")
            sample = fetch(self.port, Target("floor", "/health/", None), timeout=5)
            if sample.status == 200:
                return self
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def server_times(self) -> dict[str, float]:
        """bench id -> server time in ms, from gunicorn's access log."""
        times = {}
        for line in self.access_log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] != "-":
                times[parts[0]] = int(parts[2]) / 1000
        return times


# --- Measurements --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class PageResult:
    key: str
    label: str
    samples: list[Sample] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.status != 200)

    @property
    def queries(self) -> tuple[int, int]:
        """Lowest and highest query count over the measured requests (all subjects)."""
        counts = [s.queries for s in self.samples if s.queries is not None]
        return (min(counts), max(counts)) if counts else (0, 0)

    @property
    def p50(self) -> float:
        return statistics.median(self.server_ms) if self.server_ms else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.server_ms, 95) if self.server_ms else 0.0


class Scratch:
    """FLUSHDB of the bench's own Redis database: every cache the portal keeps (one-time
    tokens, rate limits) and every queued task gone, before a measured request."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)

    def __call__(self) -> None:
        self.client.flushdb()


def warm_up(port: int, group: list[Target], requests: int, scratch: Scratch) -> None:
    """`requests` requests of the page, cycling over its subjects, in bursts of WORKERS at
    once with Redis flushed before each burst: each burst keeps every worker busy, so that
    every worker process renders the page itself before the measurement (a worker's first
    render of a view pays for lazy set-up that happens once per process). Not measured."""
    from concurrent.futures import ThreadPoolExecutor

    cycle = itertools.cycle(group)
    with ThreadPoolExecutor(WORKERS) as pool:
        for start in range(0, requests, WORKERS):
            scratch()
            burst = [next(cycle) for _ in range(min(WORKERS, requests - start))]
            list(pool.map(lambda target: fetch(port, target), burst))


def measure_pages(
    server: Server,
    targets: dict[str, list[Target]],
    labels: dict[str, str],
    requests: int,
    warmup: int,
    scratch: Scratch,
) -> dict[str, PageResult]:
    """Each page `requests` times from scratch: one request at a time, cycling over its
    subjects, the bench's Redis database flushed before each. Before that, `warmup`
    requests (`warm_up`) so that every worker process has rendered the page."""
    results = {}
    for key, group in targets.items():
        result = PageResult(key, labels[key])
        warm_up(server.port, group, warmup, scratch)
        cycle = itertools.cycle(group)
        for _ in range(requests):
            scratch()
            result.samples.append(fetch(server.port, next(cycle)))
        results[key] = result
        print(f"  {labels[key]:<52} {result.errors} errors")
    time.sleep(0.5)  # let the workers write their last access-log lines
    times = server.server_times()
    for result in results.values():
        result.server_ms = [times[s.bench_id] for s in result.samples if s.bench_id in times]
    return results


# --- Writes --------------------------------------------------------------------------------------


@dataclass
class WriteSample:
    status: int
    queries: int | None
    bench_id: str
    error: str = ""


@dataclass
class WriteResult:
    key: str
    label: str
    samples: list[WriteSample] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    sent: int = 0  # POSTs sent, warm-up included
    written: int = 0  # what the write's counter went up by

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)

    @property
    def queries(self) -> tuple[int, int]:
        counts = [s.queries for s in self.samples if s.queries is not None]
        return (min(counts), max(counts)) if counts else (0, 0)

    @property
    def p50(self) -> float:
        return statistics.median(self.server_ms) if self.server_ms else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.server_ms, 95) if self.server_ms else 0.0

    @property
    def verified(self) -> bool:
        return self.written == self.sent and self.sent > 0


def prepare_write(port: int, write, subject, session: str, n: int):
    """GET the form page (not measured): the csrftoken cookie, the form's own fields (CSRF
    token, one-time token, versions) and what the person types in. Returns the POST to send
    (path, body, cookies, headers) or an error."""
    page = write.form_url(subject)
    post = write.post_url(subject)
    r = send(port, "GET", page, {"sessionid": session})
    if r.status != 200:
        return f"form page {page}: HTTP {r.status} {r.error}".strip()
    form = find_form(r.body.decode(), page, post)
    if form is None:
        return f"form page {page}: no form posting to {post}"
    body = form.encode(write.fill(subject, form.fields(), form.choices, n))
    cookies = {"sessionid": session, **r.cookies()}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://127.0.0.1",
        "Referer": f"https://127.0.0.1{page}",
    }
    return post, body, cookies, headers


def post_write(port: int, write, subject, prepared) -> WriteSample:
    """Send the prepared POST; a success redirects (302) to the write's done URL."""
    if isinstance(prepared, str):
        return WriteSample(0, None, "", prepared)
    path, body, cookies, headers = prepared
    r = send(port, "POST", path, cookies, body=body, extra=headers)
    sample = WriteSample(r.status, r.queries, r.bench_id)
    location = urlsplit(r.headers.get("Location", "") if r.headers else "").path
    if r.status != 302:
        sample.error = f"HTTP {r.status} {r.error}".strip()
    elif not location.startswith(write.done_url(subject)):
        sample.error = f"redirected to {location}"
    return sample


def measure_writes(
    server: Server,
    writes: list,
    subjects: dict[str, list],
    sessions: dict[int, str],
    rounds: int,
    scratch: Scratch,
) -> dict[str, WriteResult]:
    """Each write as a POST round trip: `rounds` measured rounds, one at a time, cycling over
    its subjects (a consumed subject serves one round). Per round the form page is fetched
    (not measured), Redis flushed, then the POST sent and gunicorn's time of it taken from
    the access log. Before them WORKERS warm-up rounds sent at once, on different subjects
    (each worker process makes the write once). Afterwards the write's counter must have gone
    up by exactly the number of POSTs sent."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    results = {}
    for write in writes:
        group = subjects[write.key]
        result = WriteResult(write.key, write.label)
        results[write.key] = result
        needed = WORKERS + rounds
        if not group or (write.consumed and len(group) < needed):
            print(f"  {write.label:<52} too few subjects ({len(group)})")
            result.samples = [WriteSample(0, None, "", "no subjects")]
            continue
        before = write.count(group)
        connection.close()
        order = [group[i % len(group)] for i in range(needed)]
        warm = [
            prepare_write(server.port, write, s, sessions[s.user.pk], n)
            for n, s in enumerate(order[:WORKERS])
        ]
        scratch()
        with ThreadPoolExecutor(WORKERS) as pool:
            warm_samples = list(
                pool.map(
                    lambda pair, w=write: post_write(server.port, w, *pair),
                    zip(order[:WORKERS], warm, strict=True),
                )
            )
        for n, subject in enumerate(order[WORKERS:], start=WORKERS):
            prepared = prepare_write(server.port, write, subject, sessions[subject.user.pk], n)
            scratch()
            result.samples.append(post_write(server.port, write, subject, prepared))
        scratch()  # the tasks the writes queued: no worker takes them
        result.sent = sum(1 for s in [*warm_samples, *result.samples] if s.bench_id)
        result.written = write.count(group) - before
        connection.close()
        failed = [s.error for s in [*warm_samples, *result.samples] if s.error]
        print(
            f"  {write.label:<52} {len(failed)} errors, {result.written} of {result.sent} "
            f"written{': ' + failed[0] if failed else ''}"
        )
    time.sleep(0.5)
    times = server.server_times()
    for result in results.values():
        result.server_ms = [times[s.bench_id] for s in result.samples if s.bench_id in times]
    return results


@dataclass
class LoadResult:
    clients: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    error_kinds: dict

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure_load(
    server: Server, targets: list[Target], clients: int, max_requests: int, max_seconds: float
) -> LoadResult:
    """`clients` threads, each sending requests back to back (round robin over `targets`),
    until `max_requests` were sent or `max_seconds` passed."""
    lock = threading.Lock()
    counter = itertools.count()
    samples: list[Sample] = []
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= max_requests:
                return
            sample = fetch(server.port, targets[n % len(targets)], timeout=30)
            with lock:
                samples.append(sample)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    kinds: dict[str, int] = {}
    for s in samples:
        if s.status != 200:
            kind = s.error.split("(")[0] if s.error else f"HTTP {s.status}"
            kinds[kind] = kinds.get(kind, 0) + 1
    latencies = [s.client_ms for s in samples]
    return LoadResult(
        clients=clients,
        requests=len(samples),
        errors=sum(kinds.values()),
        seconds=seconds,
        p50_ms=statistics.median(latencies) if latencies else 0.0,
        p95_ms=percentile(latencies, 95) if latencies else 0.0,
        error_kinds=kinds,
    )


def _sweep(label: str) -> dict:
    """One run of the daily sweep task (tasks eager: every reminder is sent in-process, as a
    worker would); what it made is counted by id."""
    from django.db.models import Max

    from gesprekken import tasks
    from gesprekken.models import Herinnering
    from portal.models import Mail

    before = Herinnering.objects.aggregate(n=Max("pk"))["n"] or 0
    mails = Mail.objects.aggregate(n=Max("pk"))["n"] or 0
    started = time.perf_counter()
    queued = tasks.herinneringen_sweep()
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "queued": queued,
        "sent": Herinnering.objects.filter(pk__gt=before).count(),
        "mails": Mail.objects.filter(pk__gt=mails).count(),
    }
    print(f"  {label}: {seconds:.1f} s, {queued} found, {result['sent']} sent")
    return result


def measure_sweep() -> dict:
    """The daily reminder sweep over all trajecten: today's run, a second run right after
    (must send nothing), and the catch-up after a week without the beat (the last seven
    days of sent reminders taken away for the run). Everything the runs made is removed and
    what was taken away is put back, so that the next benchmark finds the same state."""
    import datetime as dt

    from django.db.models import Max
    from django.utils import timezone

    from gesprekken.models import Herinnering
    from portal.models import Mail, Notificatie
    from portal.scale.loader import Loader

    models = (Herinnering, Notificatie, Mail)
    marks = {m: m.objects.aggregate(n=Max("pk"))["n"] or 0 for m in models}
    columns = ["id", "soort", "recipient_id", "gesprek_id", "afspraak_id", "week", "sent_at"]
    week_ago = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=7), dt.time.min)
    )
    hidden: list = []
    out = {}
    try:
        out["daily"] = _sweep("today's sweep")
        out["again"] = _sweep("second sweep")
        for m in models:
            m.objects.filter(pk__gt=marks[m]).delete()
        recent = Herinnering.objects.filter(sent_at__gte=week_ago)
        hidden = list(recent.values_list(*columns))
        recent.delete()
        out["catch_up"] = _sweep("catch-up after a week without the beat")
        out["catch_up"]["hidden"] = len(hidden)
    finally:
        for m in models:
            m.objects.filter(pk__gt=marks[m]).delete()
        if hidden:
            Loader().insert(Herinnering, columns, hidden)
    return out


def measure_pdf() -> dict:
    """bekwaamheid's PDF render service on the Proeve whose dossier holds 60 pieces of
    evidence: once cold (WeasyPrint loading), then three times warm (as a busy worker)."""
    from bekwaamheid import services
    from portal.scale.subjects import pdf_proeve

    proeve = pdf_proeve()
    if proeve is None:
        return {}
    items = sum(len(o["bewijs"]) for o in proeve.snapshot.get("opdrachten", []))
    times = []
    for _ in range(4):
        started = time.perf_counter()
        services.proeve_pdf_render(proeve_id=proeve.pk)
        times.append(time.perf_counter() - started)
    proeve.refresh_from_db()
    size = proeve.pdf.size if proeve.pdf else 0
    print(
        f"  PDF ({items} pieces of evidence): cold {times[0]:.2f} s, warm {min(times[1:]):.2f}–"
        f"{max(times[1:]):.2f} s"
    )
    return {
        "items": items,
        "cold": times[0],
        "warm": statistics.median(times[1:]),
        "warm_max": max(times[1:]),
        "bytes": size,
    }


# --- Report --------------------------------------------------------------------------------------


def verdict(ok: bool, miss: str = "**FAIL**") -> str:
    return "PASS" if ok else miss


def report(
    info: dict,
    pages: dict[str, PageResult],
    floor: PageResult,
    writes: dict[str, WriteResult],
    load: LoadResult,
    sweep: dict,
    pdf: dict,
    args,
    loads: tuple[float, float],
) -> str:
    lines = [
        "## Latest run",
        "",
        "The national-size benchmark: `make bench` (bench/run.py; see bench/README.md). It "
        "seeds the `lev_bench` database with `seed_scale` when that is empty (24 partnerships, "
        "1,000 boards, 7,000 schools, 10,000 trajecten of which 2,000 in the largest "
        "partnership, 80,000 conversations, 200,000 log entries, 100,000 pieces of evidence) "
        "and runs the portal under gunicorn with production settings on loopback.",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gb']} GB memory; "
        f"CPU reference {info['cpu_reference_s']} s (ten million additions in pure Python, "
        "best of three: compare runs by it)",
        f"- PostgreSQL {info['postgresql']}, Python {info['python']}, gunicorn with "
        f"{WORKERS} sync workers (as docker-compose.yml), Redis for one-time tokens, rate "
        "limits and the task queue (no page or fragment cache)",
        f"- Code: {info['code']}",
        f"- Data: seed_scale of {info['seeded']} (dates are relative to that day)",
        f"- Load average (1 min) before and after the page and write measurements: "
        f"{loads[0]:.1f} / {loads[1]:.1f} (the machine is shared; other work inflates every "
        "figure)",
        f"- Pages, **from scratch**: {args.requests} requests per page, one at a time, cycling "
        "over up to 10 people of that role in the largest partnership (busiest to quietest), "
        "the bench's Redis database flushed (FLUSHDB) before every request. Times are "
        "gunicorn's own request time (access log `%(D)s`), so the client's side of loopback "
        f"is left out. Before them {args.warmup} warm-up requests, {WORKERS} at a time, so "
        "that every worker process has rendered the page once. Queries: the `X-Lev-Queries` "
        "header, lowest–highest over the measured requests",
        f"- Writes: POST round trips, {args.write_rounds} measured per write after {WORKERS} "
        "warm-up POSTs sent at once. Each round fetches the form page (not measured: the "
        "csrftoken cookie, the CSRF and one-time tokens, the form's own fields), flushes Redis "
        "and sends the form; the server time of the POST is taken from the access log. A "
        "success is a 302 to the page the view redirects to on success; anything else counts "
        "as an error, and afterwards the rows written are counted (written / POSTs sent, "
        "warm-up included)",
        "",
        "### Pages (from scratch)",
        "",
        f"Budget (issue 16): every page p95 ≤ {PAGE_P95_MS} ms from scratch; at most "
        f"{MAX_QUERIES} queries per page, the same whatever the data size. The floor, a "
        "trivial view through the same middleware and sessions, is informational.",
        "",
        f"| Page | p50 ms | p95 ms (≤ {PAGE_P95_MS}) | Queries (≤ {MAX_QUERIES}) | Errors "
        "| Result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    pages_ok = True
    varying = []
    for page in [floor, *pages.values()]:
        lo, hi = page.queries
        is_floor = page is floor
        ok = page.errors == 0 and (is_floor or (page.p95 <= PAGE_P95_MS and hi <= MAX_QUERIES))
        pages_ok &= ok
        if lo != hi:
            varying.append(page.label)
        queries = f"{lo}" if lo == hi else f"{lo}–{hi}"
        lines.append(
            f"| {page.label} | {page.p50:.1f} | {page.p95:.1f} | {queries} | {page.errors} | "
            f"{'informational' if is_floor and ok else verdict(ok)} |"
        )
    if varying:
        lines += [
            "",
            "Query counts that differ between the people of a role (busiest to quietest): "
            + ", ".join(varying)
            + ". Each stays within the budget; a count that grows with a person's rows would "
            "be a query per row.",
        ]
    lines += [
        "",
        "### Writes (POST round trips)",
        "",
        f"Budget (issue 16): p95 ≤ {WRITE_P95_MS} ms per write, every POST a 302 to the "
        "success page, and every POST written.",
        "",
        f"| Write | p50 ms | p95 ms (≤ {WRITE_P95_MS}) | Queries | Errors | Written / sent "
        "| Result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    writes_ok = bool(writes)
    for w in writes.values():
        lo, hi = w.queries
        ok = w.errors == 0 and w.verified and bool(w.server_ms) and w.p95 <= WRITE_P95_MS
        writes_ok &= ok
        queries = f"{lo}" if lo == hi else f"{lo}–{hi}"
        lines.append(
            f"| {w.label} | {w.p50:.1f} | {w.p95:.1f} | {queries} | {w.errors} | "
            f"{w.written} / {w.sent} | {verdict(ok)} |"
        )
    daily, again = sweep.get("daily", {}), sweep.get("again", {})
    catch = sweep.get("catch_up", {})
    daily_ok = daily.get("seconds", 99) <= SWEEP_S
    again_ok = again.get("sent", 1) == 0
    catch_ok = catch.get("seconds", 99) <= SWEEP_S
    pdf_ok = bool(pdf) and pdf.get("warm", 99) <= PDF_S
    load_ok = load.errors == 0
    lines += [
        "",
        "### Background work and load",
        "",
        "| Measurement | Figure | Budget | Result |",
        "|---|---:|---:|---|",
        f"| Reminder sweep over all trajecten, today's run ({daily.get('queued', 0)} reminders "
        f"found and sent, each rendered and its mail sent in-process) | "
        f"{daily.get('seconds', 0):.1f} s | ≤ {SWEEP_S} s | {verdict(daily_ok)} |",
        f"| Second sweep right after (must send nothing) | {again.get('seconds', 0):.1f} s, "
        f"{again.get('sent', '?')} sent | 0 sent | {verdict(again_ok)} |",
        f"| Catch-up sweep after a week without the beat ({catch.get('queued', 0)} reminders) | "
        f"{catch.get('seconds', 0):.1f} s | ≤ {SWEEP_S} s | {verdict(catch_ok)} |",
    ]
    if pdf:
        lines.append(
            f"| Proeve PDF of a dossier with {pdf['items']} pieces of evidence "
            f"(bekwaamheid.services.proeve_pdf_render, warm, median of 3; cold: "
            f"{pdf['cold']:.1f} s, slowest warm {pdf['warm_max']:.1f} s) | "
            f"{pdf['warm']:.1f} s | ≤ {PDF_S} s | {verdict(pdf_ok)} |"
        )
    else:
        lines.append("| Proeve PDF | no Proeve with 60 pieces of evidence | | **FAIL** |")
    lines.append(
        f"| {load.clients} concurrent clients, all pages above, loopback, no flushing "
        f"({load.requests} requests in {load.seconds:.0f} s; p50 {load.p50_ms:.0f} ms, "
        f"p95 {load.p95_ms:.0f} ms as the clients saw it; {load.errors} errors) | "
        f"{load.throughput:.1f} req/s | 0 errors | {verdict(load_ok)} |"
    )
    if load.error_kinds:
        lines.append("")
        lines.append(
            "Errors under load: " + ", ".join(f"{k}: {v}" for k, v in load.error_kinds.items())
        )
    overall = pages_ok and writes_ok and daily_ok and again_ok and catch_ok and pdf_ok and load_ok
    lines += ["", "Overall, the budgets of issue 16: " + verdict(overall), ""]
    return "\n".join(lines)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_report(path: Path, text: str) -> None:
    """Put `text` between the bench markers of `path`, keeping what is written around them
    (findings, fixes); a file without markers gets them."""
    block = f"{START}\n{text}\n{END}"
    old = path.read_text() if path.exists() else ""
    if START in old and END in old:
        before, rest = old.split(START, 1)
        after = rest.split(END, 1)[1]
        path.write_text(before + block + after)
    else:
        path.write_text(f"# Benchmarks\n\n{block}\n")


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--scale", type=float, default=1.0, help="seed scale when seeding")
    parser.add_argument("--reseed", action="store_true", help="drop lev_bench and seed again")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=300,
        metavar="SECONDS",
        help="before measuring, wait up to this long for a load average of at most half the "
        "number of cores (default 300; 0 to measure at once)",
    )
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3 * WORKERS)
    parser.add_argument(
        "--write-rounds", type=int, default=WRITE_ROUNDS, help="measured POSTs per write"
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="measure the pages and the writes only and print them (no load test, sweeps or "
        "PDF; no report written)",
    )
    parser.add_argument(
        "--writes-only",
        action="store_true",
        help="measure the writes only and print them (no report written)",
    )
    parser.add_argument("--clients", type=int, default=LOAD_CLIENTS)
    parser.add_argument("--load-requests", type=int, default=LOAD_REQUESTS)
    parser.add_argument("--load-seconds", type=float, default=LOAD_SECONDS)
    parser.add_argument(
        "--output",
        default=str(ROOT / "docs" / "benchmarks.md"),
        help="Markdown report ('-' for stdout only)",
    )
    args = parser.parse_args()
    if not urlsplit(args.db).path.lstrip("/").startswith("lev_bench"):
        parser.error("the benchmark only runs on a database named lev_bench...")
    args.secret_key = secrets.token_urlsafe(50)
    env = production_env(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    ensure_database(args.db, drop=args.reseed)
    print("Migrations")
    manage(env, "migrate", "--noinput", "-v0")
    import django

    django.setup()
    from portal.scale import database_has_data

    if not database_has_data():
        print("lev_bench is empty: seed_scale")
        manage(env, "seed_scale", "--scale", str(args.scale))
    print("Static files")
    manage(env, "collectstatic", "--noinput", "-v0", quiet=True)

    from django.contrib.sessions.models import Session
    from django.db import connection

    # What autovacuum does on a live server within minutes of a migration that rewrote a
    # table (a refresh of every stored figure, say): fresh statistics and no dead rows, so
    # that the planner's estimates are those of the data, not of the bloat.
    print("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    from portal.scale.subjects import FLOOR, PAGES, WRITES, sample, write_sample

    info = machine()
    info["code"] = code_state()
    info["seeded"] = seeded_on()
    if info["seeded"] and (datetime.date.today() - info["seeded"]).days > 3:
        print(
            f"Note: lev_bench was seeded on {info['seeded']}; its dates are relative to that "
            "day. Seed again with: make bench BENCH_ARGS=--reseed"
        )
    subjects = sample(n=10)
    write_subjects = write_sample(n=10, signatures=WORKERS + args.write_rounds)
    sessions: dict[int, str] = {}

    def session(user) -> str:
        if user.pk not in sessions:
            sessions[user.pk] = session_for(user)
        return sessions[user.pk]

    targets: dict[str, list[Target]] = {}
    for page in PAGES:
        targets[page.key] = [
            Target(page.key, page.url(s), session(s.user)) for s in subjects[page.role]
        ]
    for group in write_subjects.values():
        for s in group:
            session(s.user)
    labels = {p.key: p.label for p in PAGES}
    connection.close()

    scratch = Scratch(args.redis)
    scratch()
    pages: dict[str, PageResult] = {}
    floor = PageResult("floor", FLOOR.label)
    try:
        with Server(server_env(env)) as server:
            print(f"gunicorn on 127.0.0.1:{server.port}")
            # Half the cores: the run's own set-up (sessions, gunicorn compiling templates)
            # leaves a 1-minute load average of about 1.5 on two cores; measured at once, the
            # floor came out 3-4 times its quiet figure.
            load_before = wait_quiet(QUIET_LOAD * (os.cpu_count() or 1), args.wait_quiet)
            if not args.writes_only:
                print("Pages, from scratch")
                # The floor carries the same session cookies as the pages, so that the
                # session and authentication middleware do the same work.
                floor_targets = [Target("floor", "/health/", c) for c in sessions.values()]
                floor = measure_pages(
                    server,
                    {"floor": floor_targets},
                    {"floor": FLOOR.label},
                    args.requests,
                    args.warmup,
                    scratch,
                )["floor"]
                pages = measure_pages(server, targets, labels, args.requests, args.warmup, scratch)
            print("Writes, POST round trips")
            writes = measure_writes(
                server, WRITES, write_subjects, sessions, args.write_rounds, scratch
            )
            load_after = load_average()
            if args.pages_only or args.writes_only:
                print_figures(floor, pages, writes, (load_before, load_after))
                return 0
            print(f"{args.clients} concurrent clients")
            everything = [t for group in targets.values() for t in group]
            load = measure_load(
                server, everything, args.clients, args.load_requests, args.load_seconds
            )
            print(
                f"  {load.requests} requests, {load.errors} errors, "
                f"{load.throughput:.1f} per second"
            )
        scratch()
        print("Reminders and PDF")
        sweep = measure_sweep()
        pdf = measure_pdf()
    finally:
        Session.objects.filter(session_key__in=list(sessions.values())).delete()

    text = report(info, pages, floor, writes, load, sweep, pdf, args, (load_before, load_after))
    raw = {
        "machine": info,
        "load": [load_before, load_after],
        "pages": {
            k: {
                "p50": r.p50,
                "p95": r.p95,
                "server_ms": r.server_ms,
                "queries": r.queries,
                "errors": r.errors,
            }
            for k, r in {"floor": floor, **pages}.items()
        },
        "writes": {
            k: {
                "p50": w.p50,
                "p95": w.p95,
                "server_ms": w.server_ms,
                "queries": w.queries,
                "errors": w.errors,
                "sent": w.sent,
                "written": w.written,
            }
            for k, w in writes.items()
        },
        "load_test": load.__dict__,
        "sweep": sweep,
        "pdf": pdf,
    }
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "results.json").write_text(json.dumps(raw, indent=2, default=str))
    print()
    print(text)
    if args.output != "-":
        write_report(Path(args.output), text)
        print(f"Written: {args.output}")
    return 0


def print_figures(
    floor: PageResult,
    pages: dict[str, PageResult],
    writes: dict[str, WriteResult],
    loads: tuple[float, float],
) -> None:
    """The figures of --pages-only and --writes-only, against their budgets."""
    print(f"Load average before / after: {loads[0]:.1f} / {loads[1]:.1f}")
    shown = [floor, *pages.values()] if pages else []
    for page in shown:
        lo, hi = page.queries
        over = page is not floor and (page.p95 > PAGE_P95_MS or hi > MAX_QUERIES)
        print(
            f"  {page.label:<52} p50 {page.p50:6.1f}  p95 {page.p95:6.1f}  q {lo}-{hi}  "
            f"errors {page.errors}{'  OVER BUDGET' if over else ''}"
        )
    for w in writes.values():
        lo, hi = w.queries
        over = w.p95 > WRITE_P95_MS or w.errors or not w.verified
        print(
            f"  {w.label:<52} p50 {w.p50:6.1f}  p95 {w.p95:6.1f}  q {lo}-{hi}  "
            f"errors {w.errors}  written {w.written}/{w.sent}{'  OVER BUDGET' if over else ''}"
        )


if __name__ == "__main__":
    sys.exit(main())
