"""Shared helpers of the property-based tests (tests/*/test_properties*.py) that post hostile
input through the real views: the Hypothesis settings they run with, a snapshot of the
database to prove that a refused request changed nothing, a multipart body that keeps a file
name exactly as given, the check every response goes through, and the strategies for texts,
dates, numbers, ids and uploaded files (damaged, encrypted and bomb-like zips among them)."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

PROPS = settings(
    max_examples=20,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    # No "explain" phase: it re-runs a failing example many times (slow with a web client).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what a refused request may not leave behind ----------------------------------------------

ALLOWED = {200, 302, 400, 403, 404, 409}
PROJECT_APPS = ("portal", "trajecten", "gesprekken", "bekwaamheid")


def _tables() -> list[tuple[str, str]]:
    return [
        (model._meta.label, model._meta.db_table)
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def db_state(*watched) -> dict:
    """The row count of every table of Lev's apps (m2m tables included; one query), and
    every row of the `watched` models (to see an update in place)."""
    tables = _tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for _l, t in tables)
        )
        state: dict = dict(zip((label for label, _t in tables), cursor.fetchone(), strict=True))
    for model in watched:
        state[f"{model._meta.label} rows"] = list(model.objects.order_by("pk").values_list())
    return state


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


BOUNDARY = "LevPropertyBoundary7MA4YWxkTrZu0gW"


def multipart(data: dict, files: dict) -> bytes:
    """A multipart body as a browser (or an attacker) sends it, with the file name exactly as
    given: path parts, NUL, quotes and RTL marks reach the server unchanged (Django's test
    client would strip the path)."""
    parts = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
                + str(item).encode()
                + b"\r\n"
            )
    for key, (name, content) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; '.encode()
            + f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client, path: str, data: dict, files: dict | None = None):
    """POST without the messages an earlier example left in the cookie, so that the
    response's messages are this request's own. `files`: {field: (name, bytes) or None}."""
    client.cookies.pop("messages", None)
    files = {k: v for k, v in (files or {}).items() if v is not None}
    if files:
        return client.post(
            path,
            multipart(data, files),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return client.post(path, data)


def acted(response, levels=(messages.SUCCESS,)) -> bool:
    """The view reported a success (every write says so with a success message)."""
    return response.status_code in (200, 302) and any(
        m.level in levels for m in get_messages(response.wsgi_request)
    )


def check(response, before: dict, *watched, levels=(messages.SUCCESS,)) -> bool:
    """Never a 500; a refused request changed nothing. Returns whether the view acted.
    `levels`: the message levels with which this view reports that it did something."""
    assert response.status_code in ALLOWED, response.status_code
    did = acted(response, levels)
    if currently_in_test_context():  # see --hypothesis-show-statistics
        event("acted" if did else f"refused ({response.status_code})")
    if not did:
        # This module is not a test module, so pytest does not rewrite its asserts: the
        # message names the tables that changed.
        tables = changed(before, db_state(*watched))
        assert tables == [], tables
    return did


# --- strategies ---------------------------------------------------------------------------------
# Each value is half of the time an ordinary one (or a name such as "today" or "CURRENT" that
# the test turns into a valid value), so that whole forms are often valid and the success path
# is explored too; the other half is hostile.

SPECIAL = "\x00\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u0301\U0001f600<>&\"'%;,\n\r\t "
HUGE = ["a", "é", "\u202e", "\x00", "\U0001f600", "<b>", "\u0301"]
ORDINARY = ["Een rekenles in groep 5.", "Ja", "Instructie korter: \u202ede\u202c klas", "x"]


def texts(max_size: int = 30):
    return st.one_of(
        st.sampled_from(ORDINARY),
        st.one_of(
            st.text(max_size=max_size),
            st.text(alphabet=SPECIAL + "abcXYZ019", max_size=max_size),
            st.builds(lambda c, n: c * n, st.sampled_from(HUGE), st.integers(1000, 20000)),
        ),
    )


def dates(valid: str = "today"):
    return st.one_of(
        st.just(valid),
        st.one_of(
            st.dates().map(datetime.date.isoformat),
            st.dates(
                min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)
            ).map(datetime.date.isoformat),
            st.sampled_from(
                [
                    "",
                    "0000-00-00",
                    "2024-02-30",
                    "31-12-2024",
                    "9999-12-31",
                    "0001-01-01",
                    "-1",
                    "1e9",
                    "\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff11",
                ]
            ),
            texts(12),
        ),
    )


def numbers():
    return st.one_of(
        st.just("CURRENT"),
        st.integers(-(10**20), 10**20).map(str),
        st.sampled_from(["", "0", "-1", "1.5", "1e3", "NaN", "\x00"]),
    )


# Ids as the tests name them; `resolve` turns them into the real ids of this test's data.
ID_NAMES = ["own", "own2", "other", "far", "0", "-1", "9223372036854775808", "abc", ""]


def ids():
    return st.one_of(st.sampled_from(["own", "own2"]), st.sampled_from(ID_NAMES))


def resolve(name: str, table: dict) -> str:
    value = table.get(name, name)
    return str(value.pk if hasattr(value, "pk") else value)


# --- uploaded files -----------------------------------------------------------------------------


def zip_bytes(entries, method, damage, encrypted) -> bytes:
    """A zip (the container of .docx, .xlsx, .odt) of `entries` [(name, bytes)], with the
    encryption flag set if `encrypted`, and `damage` [(position, byte)] written over it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    if encrypted and entries:
        data[6] |= 1
        central = data.find(b"PK\x01\x02")
        if central >= 0:
            data[central + 8] |= 1
    for position, value in damage:
        if data:
            data[position % len(data)] = value
    return bytes(data)


ZIPS = st.builds(
    zip_bytes,
    entries=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "mimetype",
                    "word/document.xml",
                    "xl/workbook.xml",
                    "ppt/x.xml",
                    "[Content_Types].xml",
                    "../../evil.txt",
                    "a" * 200,
                ]
            ),
            st.one_of(
                st.binary(max_size=120),
                st.sampled_from([b"application/vnd.oasis.opendocument.text", b"application/pdf"]),
            ),
        ),
        max_size=3,
    ),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
    damage=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3),
    encrypted=st.booleans(),
)
FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "rapport.pdf",
            "foto.png",
            "verslag.docx",
            "../../etc/passwd.pdf",
            "..\\..\\boot.ini.pdf",
            "/abs/pad/x.pdf",
            "a\x00b.pdf",
            "\u202efdp.exe",
            "CON.pdf",
            ".pdf",
            "x" * 400 + ".pdf",
            "zonder-extensie",
            "HOOFD.PDF",
            "\U0001d4bb\u00f6t\u00f6.png",
        ]
    ),
    st.builds(
        lambda stem, ext: stem + ext,
        st.text(max_size=40),
        st.sampled_from([".pdf", ".png", ".docx", ".odt", ".exe", ""]),
    ),
)


def upload_files(pdf_bytes: bytes, png_bytes: bytes):
    """The value of a file field for `post`: no file, a valid PDF (`pdf_bytes`) under an
    ordinary name, or any name with hostile content (random bytes, a truncated PDF, a PDF or
    PNG under the wrong name, a damaged zip). Each app's tests pass their own valid files."""
    contents = st.one_of(
        st.binary(max_size=600),
        st.integers(0, len(pdf_bytes)).map(lambda n: pdf_bytes[:n]),
        st.sampled_from([pdf_bytes, png_bytes, b"%PDF-" + b"\x00" * 300]),
        ZIPS,
    )
    return st.one_of(
        st.none(),
        st.one_of(
            st.tuples(st.sampled_from(["Lesplan.pdf", "verslag.pdf"]), st.just(pdf_bytes)),
            st.tuples(FILE_NAMES, contents),
        ),
    )
