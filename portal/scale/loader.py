"""Fast bulk loading for seed_scale: COPY on PostgreSQL, bulk_create elsewhere (the test
database may be SQLite). Rows are tuples of values in the order of `columns` (attnames such
as "traject_id"); ids are reserved up front so that rows can reference each other before
they are written."""

from __future__ import annotations

import datetime
import io
import json
import uuid
from collections import Counter

from django.db import connection, models

COPY_CHUNK = 20_000
BULK_BATCH = 1_000


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, uuid.UUID):
        return str(value)
    elif not isinstance(value, str):
        return str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _defaults(model: type[models.Model], columns: list[str]) -> list[tuple[str, object]]:
    """(attname, () -> value) for every concrete column of `model` missing from `columns`:
    now() for auto_now(_add) fields, else what Django would use (the default, called per row
    when callable; "" for text; None)."""
    now = datetime.datetime.now(datetime.UTC)
    out = []
    for field in model._meta.concrete_fields:
        if field.attname in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out.append((field.attname, lambda: now))
        else:
            out.append((field.attname, field._get_default))
    return out


class Loader:
    """Writes rows of any model (or M2M through model) and counts them per table."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows: Counter[str] = Counter()
        self._next: dict[str, int] = {}

    def reserve(self, model: type[models.Model], n: int) -> int:
        """Reserve `n` consecutive ids of `model`; returns the first. On PostgreSQL the
        sequence moves past them, so concurrent inserts can never collide."""
        table = model._meta.db_table
        if n <= 0:
            return 0
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
            return first
        if table not in self._next:
            last = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
            self._next[table] = last + 1
        first = self._next[table]
        self._next[table] = first + n
        return first

    def insert(self, model: type[models.Model], columns: list[str], rows) -> int:
        """Write `rows` (tuples in `columns` order) into `model`'s table; returns the count.

        Columns left out get the field's default (a callable default is called per row),
        now() for auto_now(_add) fields, or NULL; COPY knows nothing of Django's defaults."""
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return 0
        extra = _defaults(model, columns)
        if extra:
            columns = [*columns, *(name for name, _fill in extra)]
            rows = [(*row, *(fill() for _name, fill in extra)) for row in rows]
        if self.postgres:
            attname_to_column = {f.attname: f.column for f in model._meta.concrete_fields}
            cols = ", ".join(connection.ops.quote_name(attname_to_column[c]) for c in columns)
            sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({cols}) FROM STDIN"
            with connection.cursor() as cursor:
                for start in range(0, len(rows), COPY_CHUNK):
                    buffer = io.StringIO()
                    for row in rows[start : start + COPY_CHUNK]:
                        buffer.write("\t".join(_text(v) for v in row))
                        buffer.write("\n")
                    buffer.seek(0)
                    cursor.copy_expert(sql, buffer)
        else:
            model.objects.bulk_create(
                (model(**dict(zip(columns, row, strict=True))) for row in rows),
                batch_size=BULK_BATCH,
            )
        self.rows[model._meta.label] += len(rows)
        return len(rows)

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load (PostgreSQL)."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
