"""In CI (LEV_REQUIRE_SERVICES=1) the suite runs on PostgreSQL and Redis, or fails."""

import os

import pytest
from django.db import connection

from conftest import REQUIRE_SERVICES


@pytest.mark.django_db
def test_suite_runs_on_postgresql_in_ci():
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("LEV_REQUIRE_SERVICES=1 but the tests run on " + connection.vendor)
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)


def test_redis_answers(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert client.ping() is True
    if REQUIRE_SERVICES:
        assert os.environ.get("REDIS_URL"), "CI must set REDIS_URL"
