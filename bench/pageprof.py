"""Profile one benchmark page in-process on lev_bench: its SQL (slowest first, with EXPLAIN
ANALYZE of the slowest) and, with --cprofile, where the Python time goes.

    .venv/bin/python bench/pageprof.py co_overzicht
    .venv/bin/python bench/pageprof.py zi_traject --explain 3 --cprofile
    .venv/bin/python bench/pageprof.py --list

Page keys are those of portal.scale.subjects.PAGES. Uses the same production settings as
bench/run.py (DEBUG=0), Django's test client and the first person of the page's role.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DB, DEFAULT_REDIS, VAR  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", nargs="?")
    parser.add_argument("--list", action="store_true", help="list the page keys")
    parser.add_argument("--subject", type=int, default=0, help="which person of the role")
    parser.add_argument("--explain", type=int, default=1, help="EXPLAIN ANALYZE the N slowest")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--top", type=int, default=40, help="cProfile lines to print")
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before every request (first visit)"
    )
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
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from portal.scale.subjects import PAGES, sample  # noqa: PLC0415

    if args.set:
        from django.db.backends.signals import connection_created  # noqa: PLC0415

        def apply(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                for item in args.set:
                    name, value = item.split("=", 1)
                    cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

        connection_created.connect(apply)
    pages = {p.key: p for p in PAGES}
    if args.list or args.page not in pages:
        for p in PAGES:
            print(f"{p.key:<18} {p.label}")
        return 0 if args.list else 2
    page = pages[args.page]
    subject = sample(n=args.subject + 1)[page.role][args.subject]
    url = page.url(subject)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(subject.user, backend="django.contrib.auth.backends.ModelBackend")
    print(f"{page.label}: {url} as {subject.user.email}")
    from django.core.cache import cache  # noqa: PLC0415

    def prepare() -> None:
        if args.cold:
            cache.clear()

    client.get(url)  # warm-up
    times = []
    for _ in range(args.runs):
        prepare()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    print(f"status {response.status_code}; {', '.join(f'{t:.0f}' for t in times)} ms")

    connection.force_debug_cursor = True
    connection.queries_log.clear()
    prepare()
    started = time.perf_counter()
    client.get(url)
    total = (time.perf_counter() - started) * 1000
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"{len(queries)} queries, {sql_ms:.0f} ms of {total:.0f} ms in SQL")
    ranked = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
    for q in ranked:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
    for q in ranked[: args.explain]:
        print("\nEXPLAIN ANALYZE of", f"{float(q['time']) * 1000:.1f} ms:")
        print(q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (line,) in cursor.fetchall():
                print("   ", line)
    if args.cprofile:
        prepare()
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
