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

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class UnsafeBackup(Exception):
    """A backup file that others on the machine can read: refused (it holds password
    hashes, live sessions and every upload)."""


def _private_dir(folder: Path) -> None:
    """The backup folder, readable by the owner only (made so if it is not)."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    folder.chmod(PRIVATE_DIR)


def _private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 before anything is written to it, so that no
    moment exists in which another user could open it."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def check_private(path: Path) -> None:
    """Refuse a backup file that group or others may read or write."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise UnsafeBackup(
            f"{path} can be read by others on this machine (mode {mode:o}); it holds password "
            f"hashes, sessions and uploads. Make it private first: chmod 600 {path}"
        )


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
    _private_dir(target.parent)
    _private_file(target)
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
    target.chmod(PRIVATE_FILE)
    return target


def restore_database(source: Path, alias: str = "default", name: str | None = None) -> None:
    """Restore `source` into the database (or into database `name` on the same server).
    Refuses a file others may read (UnsafeBackup)."""
    check_private(source)
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
    _private_dir(target.parent)
    _private_file(target)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname=".")
    target.chmod(PRIVATE_FILE)
    return target


def restore_media(source: Path) -> None:
    check_private(source)
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
