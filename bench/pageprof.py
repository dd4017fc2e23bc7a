"""Profile one benchmark page or write in-process on lev_bench, from scratch as bench/run.py
measures it (the cache, the bench's own Redis database, emptied before every request): where
the time goes (SQL, template rendering and the SQL run from templates, the rest), its SQL
slowest first, EXPLAIN ANALYZE of the slowest reads, and with --cprofile the Python time.

    .venv/bin/python bench/pageprof.py co_overzicht
    .venv/bin/python bench/pageprof.py zi_traject --explain 3 --cprofile
    .venv/bin/python bench/pageprof.py w_oordeel --runs 5     # a write: GET the form, POST it
    .venv/bin/python bench/pageprof.py --list

Keys are those of portal.scale.subjects.PAGES and WRITES. Uses the same production settings
as bench/run.py (DEBUG=0), Django's test client and the first person of the page's role
(--subject for another). A write is made for real on lev_bench, once per run plus two (the
warm-up and the measured one, and one more with --cprofile), as the benchmark's writes are;
only reads are EXPLAIN ANALYZEd (that would run a write a second time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DB, DEFAULT_REDIS, VAR, find_form  # noqa: E402


@dataclass
class Query:
    sql: str
    params: object
    ms: float
    in_template: bool


@dataclass
class Trace:
    """What one request spent: its queries (each timed, and whether a template ran it) and
    the time inside the outermost template render."""

    queries: list[Query] = field(default_factory=list)
    render_ms: float = 0.0
    depth: int = 0

    def sql_ms(self, in_template: bool | None = None) -> float:
        return sum(
            q.ms for q in self.queries if in_template is None or q.in_template == in_template
        )


def instrument(trace_of):
    """Time every query and every outermost template render of the request in progress
    (`trace_of()` gives its Trace, or None between requests)."""
    from django.db import connection
    from django.template.backends.django import Template

    original = Template.render

    def render(self, *args, **kwargs):
        trace = trace_of()
        if trace is None:
            return original(self, *args, **kwargs)
        trace.depth += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            trace.depth -= 1
            if trace.depth == 0:
                trace.render_ms += (time.perf_counter() - started) * 1000

    Template.render = render

    def timer(execute, sql, params, many, context):
        trace = trace_of()
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if trace is not None:
                ms = (time.perf_counter() - started) * 1000
                trace.queries.append(Query(sql, params, ms, trace.depth > 0))

    return connection.execute_wrapper(timer)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("key", nargs="?", help="a page or write key (--list)")
    parser.add_argument("--list", action="store_true", help="list the page and write keys")
    parser.add_argument("--subject", type=int, default=0, help="which person of the role")
    parser.add_argument("--explain", type=int, default=1, help="EXPLAIN ANALYZE the N slowest")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime...)")
    parser.add_argument("--top", type=int, default=40, help="cProfile lines to print")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the session, e.g. --set jit=off",
    )
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.db,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="lev.settings",
        # As gunicorn in the benchmark: a write queues its tasks on the broker.
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portal.scale.subjects import PAGES, WRITES, sample, write_sample

    call_command("collectstatic", interactive=False, verbosity=0)
    if args.set:
        from django.db.backends.signals import connection_created

        def apply(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                for item in args.set:
                    name, value = item.split("=", 1)
                    cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

        connection_created.connect(apply)
    pages = {p.key: p for p in PAGES}
    writes = {w.key: w for w in WRITES}
    if args.list or (args.key not in pages and args.key not in writes):
        for p in PAGES:
            print(f"{p.key:<18} {p.label}")
        for w in WRITES:
            print(f"{w.key:<18} {w.label} (a write)")
        return 0 if args.list else 2

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    rounds = args.runs + 2 + (1 if args.cprofile else 0)
    if args.key in pages:
        page = pages[args.key]
        subject = sample(n=args.subject + 1)[page.role][args.subject]
        url = page.url(subject)
        client.force_login(subject.user, backend="django.contrib.auth.backends.ModelBackend")
        print(f"{page.label}: {url} as {subject.user.email}")

        def prepare(n: int):
            cache.clear()  # FLUSHDB of the bench's Redis database: from scratch
            return lambda: client.get(url)

    else:
        write = writes[args.key]
        group = write_sample(n=max(10, args.subject + rounds), signatures=args.subject + rounds)[
            write.key
        ]
        print(f"{write.label}: {write.post_url(group[args.subject])} and others, POST")

        def prepare(n: int):
            """Log in and GET the form (neither measured), then flush the cache."""
            subject = group[(args.subject + n) % len(group)]
            client.force_login(subject.user, backend="django.contrib.auth.backends.ModelBackend")
            page, post = write.form_url(subject), write.post_url(subject)
            form = find_form(client.get(page).content.decode(), page, post)
            if form is None:
                raise SystemExit(f"{page}: no form posting to {post}")
            body = form.encode(write.fill(subject, form.fields(), form.choices, n))
            cache.clear()
            return lambda: client.post(post, body, content_type="application/x-www-form-urlencoded")

    try:
        return measure(args, prepare, connection)
    finally:
        client.logout()  # the session force_login made in lev_bench


def measure(args, prepare, connection) -> int:
    """Warm-up, timed runs, then one traced request (and one profiled with --cprofile)."""
    current: list[Trace | None] = [None]
    with instrument(lambda: current[0]):
        prepare(0)()  # warm-up
        times = []
        for n in range(1, args.runs + 1):
            send = prepare(n)
            started = time.perf_counter()
            response = send()
            times.append((time.perf_counter() - started) * 1000)
        print(f"status {response.status_code}; {', '.join(f'{t:.0f}' for t in times)} ms")

        send = prepare(args.runs + 1)
        trace = current[0] = Trace()
        started = time.perf_counter()
        response = send()
        total = (time.perf_counter() - started) * 1000
        current[0] = None
    in_tpl = [q for q in trace.queries if q.in_template]
    print(
        f"status {response.status_code}, {total:.0f} ms: {len(trace.queries)} queries, "
        f"{trace.sql_ms():.0f} ms SQL; template rendering {trace.render_ms:.0f} ms, of which "
        f"{trace.sql_ms(True):.0f} ms SQL in {len(in_tpl)} queries the templates ran; the "
        f"rest (views, forms, middleware, ORM building) "
        f"{total - trace.render_ms - trace.sql_ms(False):.0f} ms"
    )
    ranked = sorted(trace.queries, key=lambda q: q.ms, reverse=True)
    for q in ranked:
        where = "tpl" if q.in_template else "   "
        print(f"  {q.ms:7.1f} ms {where} {' '.join(q.sql.split())[:150]}")
    reads = [q for q in ranked if q.sql.lstrip().upper().startswith("SELECT")]
    for q in reads[: args.explain]:
        print(f"\nEXPLAIN ANALYZE of {q.ms:.1f} ms:")
        print(q.sql, q.params)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q.sql, q.params)
            for (line,) in cursor.fetchall():
                print("   ", line)
    if args.cprofile:
        send = prepare(args.runs + 2)
        profiler = cProfile.Profile()
        profiler.enable()
        send()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
