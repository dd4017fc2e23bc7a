"""The development mailbox: with LEV_MAILBOX on (`make demo`), every mail the portal sends is
written as one .eml file under var/mailbox/ instead of going out or to the console, and staff
read them at /dev/mailbox/ with their text and links (an invitation, a password reset, a
reminder), so a newcomer can follow what a person would receive.

Development only: the settings refuse LEV_MAILBOX with DEBUG=0.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{32}\.eml$")


def mailbox_dir() -> Path:
    return Path(settings.LEV_MAILBOX_DIR)


class MailboxBackend(BaseEmailBackend):
    """Django e-mail backend that stores each message in the development mailbox."""

    def send_messages(self, email_messages) -> int:
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        sent = 0
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{uuid.uuid4().hex}.eml"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(message.message().as_bytes())
            sent += 1
        return sent


@dataclass(frozen=True)
class StoredMail:
    name: str
    to: str
    subject: str
    sent: datetime.datetime | None
    text: str
    html: str
    attachments: tuple[str, ...]


def _read(path: Path) -> StoredMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    try:
        sent = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent = None
    return StoredMail(
        name=path.name,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        sent=sent,
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        attachments=tuple(
            part.get_filename() or "" for part in message.iter_attachments() if part.get_filename()
        ),
    )


def mailbox_list(limit: int = 200) -> list[StoredMail]:
    """The newest `limit` mails, newest first."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if _NAME.match(p.name)), reverse=True)
    return [_read(folder / name) for name in names[:limit]]


def mailbox_get(name: str) -> StoredMail | None:
    """One mail by its file name; None for a name that is not one of the mailbox's."""
    if not _NAME.match(name):
        return None
    path = mailbox_dir() / name
    return _read(path) if path.is_file() else None
