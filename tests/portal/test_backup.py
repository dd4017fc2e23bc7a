"""A backup restores into a fresh database with every row."""

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.backup import backup, restore_database, restore_media
from tests import factories as f


def row_counts(cursor_factory) -> dict[str, int]:
    """Rows per table, for every table the source database has."""
    counts = {}
    with cursor_factory() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # our own table names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_row(tmp_path):
    f.LogboekregelFactory.create_batch(3)
    media_file = Path(settings.MEDIA_ROOT) / "trajecten" / "bewijs.txt"
    media_file.parent.mkdir(parents=True, exist_ok=True)
    media_file.write_text("bewijs")
    before = row_counts(connection.cursor)
    assert before["trajecten_logboekregel"] == 3

    db_file, media_tar = backup(tmp_path)
    assert db_file.stat().st_size > 0

    if connection.vendor == "postgresql":
        import psycopg2

        params = connection.get_connection_params()
        fresh = f"lev_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(**{**params, "dbname": "postgres"})
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{fresh}"')
        try:
            restore_database(db_file, name=fresh)
            restored = psycopg2.connect(**{**params, "dbname": fresh})
            try:
                after = row_counts(restored.cursor)
            finally:
                restored.close()
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            admin.close()
    else:
        import sqlite3

        fresh = tmp_path / "fresh.sqlite3"
        restore_database(db_file, name=str(fresh))
        restored = sqlite3.connect(fresh)
        try:
            after = row_counts(lambda: contextlib.closing(restored.cursor()))
        finally:
            restored.close()
    assert after == before

    media_file.unlink()
    restore_media(media_tar)
    assert media_file.read_text() == "bewijs"


def test_pg_dump_is_installed_in_ci():
    from conftest import REQUIRE_SERVICES

    if REQUIRE_SERVICES:
        assert any(
            os.access(os.path.join(p, "pg_dump"), os.X_OK) for p in os.environ["PATH"].split(":")
        )


@pytest.mark.django_db
def test_restore_without_anyone_to_confirm_says_so_in_one_line_and_changes_nothing(
    tmp_path, monkeypatch
):
    import io

    from django.core.management import CommandError, call_command

    f.LogboekregelFactory()
    dump = tmp_path / "lev.dump"
    dump.write_bytes(b"not restored")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no one types 'ja'
    with pytest.raises(CommandError, match="no confirmation was given.*--yes"):
        call_command("restore", str(dump))
    from trajecten.models import Logboekregel

    assert Logboekregel.objects.count() == 1


@pytest.mark.parametrize(("yes", "passed"), [("YES=1", True), ("YES=", False)])
def test_make_restore_passes_yes_for_scripts(yes, passed):
    import subprocess

    dry = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "restore", "DB=var/x.dump", yes],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = next(line for line in dry.splitlines() if "manage.py restore" in line)
    assert command.split()[-1] == "--yes" if passed else "--yes" not in command
