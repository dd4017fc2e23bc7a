"""Backups of the database and the uploaded files.

PostgreSQL through pg_dump/pg_restore (custom format), SQLite through its online backup
API; the media folder as a tar.gz. Used by `manage.py backup` and `manage.py restore`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict, name: str | None = None) -> list[str]:
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return [*args, "-d", name or db["NAME"]]


def dump_database(target: Path, alias: str = "default") -> Path:
    """Write the database to `target` (a .dump for PostgreSQL, a .sqlite3 copy for SQLite)."""
    db = connections[alias].settings_dict
    target.parent.mkdir(parents=True, exist_ok=True)
    if db["ENGINE"].endswith("postgresql"):
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(target), *_pg_args(db)],
            check=True,
            env=_pg_env(db),
        )
    else:
        src = sqlite3.connect(db["NAME"])
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    return target


def restore_database(source: Path, alias: str = "default", name: str | None = None) -> None:
    """Restore `source` into the database (or into database `name` on the same server)."""
    db = connections[alias].settings_dict
    if db["ENGINE"].endswith("postgresql"):
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                *_pg_args(db, name),
                str(source),
            ],
            check=True,
            env=_pg_env(db),
        )
    else:
        connections[alias].close()
        shutil.copyfile(source, name or db["NAME"])


def dump_media(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname=".")
    return target


def restore_media(source: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as tar:
        tar.extractall(media, filter="data")


def backup(folder: Path) -> tuple[Path, Path]:
    """Back up database and media into `folder`; returns both paths."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    db = connections["default"].settings_dict
    ext = "dump" if db["ENGINE"].endswith("postgresql") else "sqlite3"
    return (
        dump_database(folder / f"lev-{stamp}.{ext}"),
        dump_media(folder / f"lev-media-{stamp}.tar.gz"),
    )
