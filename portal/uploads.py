"""Uploads: sniff the real content type, limit the size, store under a safe random name, and
serve only through views that have checked access.

Every app uses these helpers; no upload has a public URL (MEDIA_URL is None).
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    """A family of accepted file types: extensions mapped to the MIME types sniffing finds."""

    name: str
    mimes: frozenset[str]


PDF = Kind("pdf", frozenset({"application/pdf"}))
IMAGE = Kind(
    "image", frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"})
)
OFFICE = Kind(
    "office",
    frozenset(
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
        }
    ),
)
AUDIO = Kind(
    "audio",
    frozenset({"audio/mpeg", "audio/mp4", "audio/x-wav", "audio/ogg", "audio/x-m4a", "audio/aac"}),
)
VIDEO = Kind("video", frozenset({"video/mp4", "video/webm", "video/quicktime", "video/x-m4v"}))

DOCUMENTS = (PDF, IMAGE, OFFICE)
EVIDENCE = (PDF, IMAGE, OFFICE, AUDIO, VIDEO)

# Extensions we accept per sniffed MIME type: a file whose name says .pdf but whose bytes are
# a PNG is refused as a mismatch.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "image/heic": {"heic", "heif"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.ms-powerpoint": {"ppt"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "application/vnd.oasis.opendocument.presentation": {"odp"},
    "audio/mpeg": {"mp3"},
    "audio/mp4": {"m4a", "mp4"},
    "audio/x-m4a": {"m4a"},
    "audio/aac": {"aac"},
    "audio/x-wav": {"wav"},
    "audio/ogg": {"ogg", "oga"},
    "video/mp4": {"mp4", "m4v"},
    "video/x-m4v": {"m4v", "mp4"},
    "video/webm": {"webm"},
    "video/quicktime": {"mov"},
}

# The longest ODF media type is under 80 characters.
MIMETYPE_MAX = 100

_OOXML_MAIN = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff(fileobj) -> str | None:
    """The MIME type the bytes of `fileobj` show, or None when unknown."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in (None, "application/zip"):
        # OOXML and ODF files are zip archives: look inside for the part that names them.
        # Read only the first bytes of the "mimetype" part: a small upload can unpack to
        # gigabytes (zip bomb). A damaged, encrypted or exotic archive is simply not an
        # office file: zlib.error, EOFError, RuntimeError (encrypted) and
        # NotImplementedError (compression method) are no 500.
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    with archive.open("mimetype") as part:
                        odf = part.read(MIMETYPE_MAX).decode("ascii", "ignore").strip()
                    mime = odf if odf in EXTENSIONS else mime
                else:
                    for prefix, ooxml in _OOXML_MAIN.items():
                        if any(n.startswith(prefix) for n in names):
                            mime = ooxml
                            break
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zlib.error,
        ):
            pass
        finally:
            fileobj.seek(0)
    if mime == "application/x-ole-storage" or (
        mime is None and head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):
        guessed, _enc = mimetypes.guess_type(getattr(fileobj, "name", "") or "")
        mime = (
            guessed
            if guessed
            in ("application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint")
            else None
        )
    return mime


def safe_name(name: str, max_length: int = 120) -> str:
    """A display name without path parts, control characters or shell-unfriendly symbols."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.\- ()]+", "_", name, flags=re.UNICODE).strip(" .") or "bestand"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return name[:max_length]
    return f"{stem[: max_length - len(ext) - 1]}.{ext}"


ZIP_BASED = {
    *(m for m in EXTENSIONS if m.startswith("application/vnd.openxmlformats")),
    *(m for m in EXTENSIONS if m.startswith("application/vnd.oasis.opendocument")),
}


def check_unpacked(fileobj) -> None:
    """Refuse an archive (an office file) with more entries or more unpacked bytes than the
    settings allow. The sizes the archive declares are checked first; then every entry is
    inflated and counted, stopping at the limit, because a declared size can lie."""
    limit = settings.LEV_MAX_UNPACKED_MB * 1024 * 1024
    too_big = ValidationError(
        _(
            "Dit bestand pakt uit tot meer dan %(max)d MB; dat is voor een document niet "
            "gewoon. Sla het opnieuw op (bijvoorbeeld als PDF) en probeer het nog eens."
        ),
        code="unpacked_too_large",
        params={"max": settings.LEV_MAX_UNPACKED_MB},
    )
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            if len(entries) > settings.LEV_MAX_ZIP_ENTRIES:
                raise ValidationError(
                    _("Dit bestand bevat te veel onderdelen (meer dan %(max)d)."),
                    code="too_many_entries",
                    params={"max": settings.LEV_MAX_ZIP_ENTRIES},
                )
            if sum(e.file_size for e in entries) > limit:
                raise too_big
            total = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(1024 * 1024):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ):
        raise ValidationError(
            _("Dit bestand is beschadigd of versleuteld en kan niet worden gelezen."),
            code="damaged",
        ) from None
    finally:
        fileobj.seek(0)


def validate_upload(upload, kinds=DOCUMENTS, max_mb: int | None = None) -> str:
    """Check an uploaded file's size and real content type; return the sniffed MIME type.

    Raises ValidationError (translated) on an empty, too large, unknown, executable or
    mismatching file.
    """
    max_mb = max_mb or settings.LEV_MAX_UPLOAD_MB
    if upload.size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("Het bestand is te groot (%(size).1f MB); het maximum is %(max)d MB."),
            code="too_large",
            params={"size": upload.size / 1024 / 1024, "max": max_mb},
        )
    mime = sniff(upload)
    allowed = set().union(*(k.mimes for k in kinds))
    if mime is None or mime not in allowed:
        raise ValidationError(
            _("Dit soort bestand wordt niet geaccepteerd. Toegestaan: %(kinds)s."),
            code="bad_type",
            params={"kinds": ", ".join(sorted({e for m in allowed for e in EXTENSIONS[m]}))},
        )
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext not in EXTENSIONS.get(mime, set()):
        raise ValidationError(
            _("De bestandsnaam (.%(ext)s) past niet bij de inhoud van het bestand (%(mime)s)."),
            code="mismatch",
            params={"ext": ext or "?", "mime": mime},
        )
    if mime in ZIP_BASED:
        check_unpacked(upload)
    return mime


@contextmanager
def discard_on_error(instance, *fields: str):
    """Delete the files stored on `instance`'s file `fields` inside the block if the block
    raises. A service stores an upload before it saves the row that refers to it; when a later
    step fails, the transaction takes the row back, and the file (personal data) would stay
    on disk with nothing pointing at it, out of reach of access checks and retention."""
    before = {name: getattr(instance, name).name for name in fields}
    try:
        yield
    except BaseException:
        for name in fields:
            fieldfile = getattr(instance, name)
            if fieldfile.name and fieldfile.name != before[name]:
                fieldfile.storage.delete(fieldfile.name)
        raise


def upload_path(instance, filename: str) -> str:
    """A stored name that reveals nothing and cannot collide: <app>/<yyyy>/<uuid>.<ext>."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    ext = ext if re.fullmatch(r"\.[a-z0-9]+", ext or "") else ""
    return f"{instance._meta.app_label}/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"


def file_response(fieldfile, display_name: str, inline: bool = False) -> FileResponse:
    """Serve a stored upload to a user whose access the caller has already checked."""
    name = safe_name(display_name or os.path.basename(fieldfile.name))
    content_type, _enc = mimetypes.guess_type(name)
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
