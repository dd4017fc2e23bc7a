"""Build a national-size data set for benchmarks: 24 partnerships, 1,000 school boards,
7,000 schools, 10,000 trajecten (2,000 in the largest partnership) with plans, 200,000 log
entries, 80,000 conversations with reports and signals, 100,000 pieces of evidence, Proeven
with oordelen, and everyone around them. `--scale 0.01` makes a hundredth of it.

All accounts share the password lev-schaal-2026 (one precomputed hash). Refuses a database
that already holds data, unless --force (then it adds a second world beside the first).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from portal.scale import Counts, World, database_has_data


class Command(BaseCommand):
    help = "Fill an empty database with a national-size data set (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 = national size (default); 0.01 = a hundredth (for tests).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when the database already holds data (adds to it).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, scale: float, force: bool, seed: int, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if database_has_data() and not force:
            raise CommandError(
                "This database already holds data; seed_scale fills only an empty one. "
                "Use --force to add a national-size data set anyway."
            )
        counts = Counts.at(scale)
        self.stdout.write(
            f"seed_scale (scale {scale:g}): {counts.partnerschappen} partnerships, "
            f"{counts.besturen:,} boards, {counts.scholen:,} schools, "
            f"{counts.trajecten:,} trajecten ({counts.largest:,} in the largest partnership), "
            f"{counts.gesprekken:,} conversations, {counts.logboekregels:,} log entries, "
            f"{counts.bewijsstukken:,} pieces of evidence"
        )
        started = time.monotonic()
        World(counts, seed=seed, say=self.stdout.write).build()
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))
