"""Personal data (AVG/GDPR): everything held about a person, as a zip of JSON and files.

What is in it: the account; everything the person wrote or that names them anywhere in the
portal (every row of Lev's apps with a foreign key to them); and, for their own trajecten as
side-entrant, every record of those trajecten. Other people's private working notes
(PRIVATE_MODELS) are left out unless the person wrote them: they belong to the note's author
and are described on the privacy page.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import deque

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.utils import timezone

from .models import User
from .uploads import safe_name

LEV_APPS = ("portal", "trajecten", "gesprekken", "bekwaamheid")
PRIVATE_MODELS = {"gesprekken.PriveNotitie"}
SKIP_MODELS = {"portal.User"}


def _lev_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in LEV_APPS]


def path_to(model: type[models.Model], target: type[models.Model], depth: int = 4) -> str | None:
    """The shortest lookup path of foreign keys from `model` to `target` ("" for itself)."""
    if model is target:
        return ""
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if path.count("__") >= depth:
            continue
        for field in current._meta.fields:
            if not isinstance(field, (models.ForeignKey, models.OneToOneField)):
                continue
            rel = field.related_model
            step = f"{path}__{field.name}" if path else field.name
            if rel is target:
                return step
            if rel not in seen and rel._meta.app_label in LEV_APPS and rel is not User:
                seen.add(rel)
                queue.append((rel, step))
    return None


def _user_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.fields
        if isinstance(f, (models.ForeignKey, models.OneToOneField)) and f.related_model is User
    ]


def collect(user: User) -> tuple[dict[str, list[dict]], list[tuple[str, object]]]:
    """The person's data per model label, and the stored files to include."""
    from trajecten.models import Traject  # portal sits on top

    own_trajecten = list(Traject.objects.filter(zij_instromer=user).values_list("pk", flat=True))
    data: dict[str, list[dict]] = {
        "account": [
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "language": user.language,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "muted_mail_kinds": user.muted_mail_kinds,
            }
        ]
    }
    files: list[tuple[str, object]] = []
    for model in _lev_models():
        label = model._meta.label
        if label in SKIP_MODELS:
            continue
        q = models.Q()
        for name in _user_fields(model):
            q |= models.Q(**{name: user})
        if label not in PRIVATE_MODELS and own_trajecten:
            path = path_to(model, Traject)
            if path is not None:
                q |= models.Q(**{f"{path}__in" if path else "pk__in": own_trajecten})
        if not q:
            continue
        rows = list(model._default_manager.filter(q).distinct())
        if not rows:
            continue
        data[label] = [
            {"pk": item["pk"], **item["fields"]} for item in serializers.serialize("python", rows)
        ]
        file_fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        for row in rows:
            for field in file_fields:
                stored = getattr(row, field.name)
                if stored and stored.name:
                    name = f"files/{label}/{row.pk}-{field.name}-{safe_name(stored.name)}"
                    files.append((name, stored))
    return data, files


def zip_response(content: bytes, filename: str) -> HttpResponse:
    """A zip of personal data as a download that no cache keeps."""
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_zip(user: User, extra: dict | None = None) -> bytes:
    """A zip with data.json and the person's files; `extra`: more JSON files by name (the
    formal request adds the checked private notes, portal.inzage)."""
    data, files = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"exported_at": timezone.now(), "data": data},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            ),
        )
        archive.writestr("LEESMIJ.txt", README if not extra else README_FORMAL)
        for name, content in (extra or {}).items():
            archive.writestr(
                name, json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
        for name, stored in files:
            try:
                with stored.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except (FileNotFoundError, OSError):
                archive.writestr(name + ".ontbreekt.txt", "Bestand niet gevonden in de opslag.")
    return buffer.getvalue()


README = """Gegevens uit Lev / Data from Lev

data.json bevat de gegevens die Lev over je bewaart, per soort record: alles wat je zelf
schreef en alles wat op je traject is vastgelegd. files/ bevat de bestanden die daarbij horen.

Niet in deze download: de privénotities die je coach of studieloopbaanbegeleider voor
zichzelf maakte over jullie gesprekken. Ook die zijn persoonsgegevens over jou. Je krijgt ze
met een formeel inzageverzoek bij de coördinator van je partnerschap; die controleert ze
eerst op gegevens over anderen en beantwoordt het verzoek binnen een maand.

data.json holds what Lev keeps about you, per kind of record: everything you wrote and
everything recorded on your traject. files/ holds the files that belong to those records.

Not in this download: the private notes your coach or study-career supervisor made for
themselves about your conversations. They are personal data about you too. You get them
with a formal request for access to the coordinator of your partnership, who first checks
them for data about others and answers within a month.
"""

README_FORMAL = """Gegevens uit Lev, op je inzageverzoek / Data from Lev, on your request

data.json en files/ bevatten alles wat Lev over je bewaart. prive-notities.json bevat de
privénotities die coach en studieloopbaanbegeleider over jullie gesprekken maakten, zoals de
coördinator ze verstrekte: gegevens over andere mensen zijn eruit gehaald.

data.json and files/ hold everything Lev keeps about you. prive-notities.json holds the
private notes coach and study-career supervisor made about your conversations, as the
coordinator released them: data about other people has been taken out.
"""
