"""A Redis cache that falls back to the database instead of failing when Redis is down.

The cache holds no domain data: only one-time form tokens and login rate-limit counters.
Both are protections, and neither may switch off when Redis is unreachable: every operation
that fails on Redis is done on the fallback cache instead (`"FALLBACK": "<alias>"` in the
cache's settings: Django's database cache, table lev_cache_fallback), so a claimed form token
stays claimed and a login throttle keeps counting. Without a fallback a read misses and a
write is dropped (pages keep working; what a page shows always comes from the database).
`incr` is left as Django has it (it raises): a counter must not answer a made-up number.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every operation, and each one builds
    its table of some 170 response callbacks (about 0.2 ms). One client per connection pool
    does the same work; the pool hands out the connections as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback_alias = params.get("FALLBACK", "")

    def _safe(self, name, default, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _DOWN:
            if self._fallback_alias:
                logger.warning("Redis cache unavailable during %s: using the database", name)
                return getattr(caches[self._fallback_alias], name)(*args, **kwargs)
            logger.warning("Redis cache unavailable during %s", name)
            return default

    def get(self, key, default=None, version=None):
        return self._safe("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._safe("get_many", {}, keys, version)

    def set(self, *args, **kwargs):
        return self._safe("set", None, *args, **kwargs)

    def add(self, *args, **kwargs):
        # True: a lock taken while Redis is down must not spin (allauth's rate limiter
        # takes one). Rate limiting fails open during an outage; the login itself still
        # checks the password.
        return self._safe("add", True, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._safe("set_many", [], *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._safe("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._safe("delete_many", None, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._safe("touch", False, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._safe("has_key", False, *args, **kwargs)

    def clear(self):
        return self._safe("clear", None)


DURABLE = "fallback"


def durable_cache():
    """The database cache (the "fallback" alias): for what must outlive a Redis outage and a
    Redis restart alike, the one-time form claims and the per-account login counters. The
    default cache where no such alias is configured."""
    return caches[DURABLE if DURABLE in settings.CACHES else "default"]
