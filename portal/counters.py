"""Version counters in the shared cache, and work done now and again after commit.

A cached entry is stored under a key that holds the version of what it was computed from;
bumping the version makes every such entry stale at once (the role summary, the overview
figures). A counter the cache lost starts again at the current time in nanoseconds, never at a
value an older entry could have been stored under."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction


def versions(keys: Iterable[str], found: dict | None = None) -> dict[str, int]:
    """The current value of each counter, in one cache round trip (two when some are new).

    A missing counter (new, or lost with the cache) is set to the current time in
    nanoseconds. Two processes may both set one; the later value wins, which only makes
    entries stored under the earlier one unreachable (a miss, never a stale hit): each
    process sets it before it reads the data it caches, and a writer bumps only after its
    commit."""
    keys = list(keys)
    if found is None:  # else: what the caller fetched with its own get_many (one round trip)
        found = cache.get_many(keys)
    found = dict(found)
    missing = {key: time.time_ns() for key in keys if found.get(key) is None}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {key: found[key] for key in keys}


def bump(keys: Iterable[str]) -> None:
    """Move these counters on."""
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # no counter yet (or evicted): start one that cannot repeat
            cache.set(key, time.time_ns(), timeout=None)


def now_and_after_commit(work: Callable[[], object]) -> None:
    """Run `work` now (this request sees its own write at once) and again once the current
    transaction commits (what another request cached from the old data meanwhile is dropped,
    and a concurrent write is visible)."""
    work()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(work)
