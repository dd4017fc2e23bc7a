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
    dump.chmod(0o600)
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


@pytest.mark.django_db
def test_backups_are_private_and_restore_refuses_a_world_readable_one(tmp_path):
    """Issue 19, case 5: the dumps hold password hashes, sessions and every upload."""
    from django.core.management import CommandError, call_command

    folder = tmp_path / "backups"
    old = os.umask(0o022)  # a usual umask: files would be 0644 without care
    try:
        db_file, media_file = backup(folder)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in (db_file, media_file):
        assert path.stat().st_mode & 0o777 == 0o600, path
    db_file.chmod(0o644)
    before = db_file.read_bytes()
    with pytest.raises(CommandError, match="can be read by others.*chmod 600"):
        call_command("restore", str(db_file), "--yes")
    with pytest.raises(Exception, match="can be read by others"):
        restore_database(db_file)
    db_file.chmod(0o600)
    media_file.chmod(0o640)
    with pytest.raises(CommandError, match="can be read by others"):
        call_command("restore", str(db_file), str(media_file), "--yes")
    with pytest.raises(Exception, match="can be read by others"):
        restore_media(media_file)
    assert db_file.read_bytes() == before
