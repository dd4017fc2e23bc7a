"""A read-only JSON API for the college's systems (docs/api.md, schema at /api/openapi.json).

The student information system picks up trajecten with their status, dates, school (BRIN),
route and Proeve outcomes. Each integration has its own key (`ApiToken`, created by the admin
in the Django admin, stored as a SHA-256 hash, scoped to one partnership) sent as
``Authorization: Bearer <key>``. The API never looks at the session or the logged-in user: a
request without a valid, unrevoked key gets 401 with a JSON body.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import wraps
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bekwaamheid.models import Proeve, Uitslag
from trajecten.models import Traject

from . import audit
from .models import ApiToken, Partnerschap, User

TOKEN_PREFIX = "lev_"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


# --- Keys (services) -----------------------------------------------------------------------


def hash_token(raw: str) -> str:
    """The stored form of a key. The keys are 256-bit random, so a fast hash suffices."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, name: str, partnerschap: Partnerschap, created_by: User | None = None, request=None
) -> tuple[ApiToken, str]:
    """Create a key for one integration; returns the record and the key itself, which is
    not stored anywhere and must be shown to the admin once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        partnerschap=partnerschap,
        prefix=raw[:12],
        token_hash=hash_token(raw),
        created_by=created_by,
    )
    audit.record(
        action="api_token.create",
        actor=created_by,
        obj=token,
        request=request,
        detail={"name": name, "partnerschap": partnerschap.pk},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None, request=None) -> bool:
    """Revoke a key from now on; False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(action="api_token.revoke", actor=by, obj=token, request=request)
    return True


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Authentication ------------------------------------------------------------------------


def _error(status: int, code: str, detail: str, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": detail}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _unauthorized(detail: str, invalid: bool) -> JsonResponse:
    challenge = 'Bearer realm="lev"' + (', error="invalid_token"' if invalid else "")
    return _error(401, "unauthorized", detail, {"WWW-Authenticate": challenge})


def bearer_key(request) -> str:
    """The key sent as ``Authorization: Bearer <key>``, or "" (only this header is read)."""
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" else ""


def active_token(raw: str) -> ApiToken | None:
    """The unrevoked key `raw` stands for, or None."""
    return (
        ApiToken.objects.select_related("partnerschap")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )


def api_view(view):
    """GET only, JSON only, a valid Bearer key required; passes the key to the view."""

    @wraps(view)
    @require_GET
    def wrapper(request, *args, **kwargs):
        raw = bearer_key(request)
        if not raw:
            return _unauthorized(
                _("Stuur een API-sleutel mee: Authorization: Bearer <sleutel>."), invalid=False
            )
        token = active_token(raw)
        if token is None:
            return _unauthorized(_("Deze API-sleutel is onbekend of ingetrokken."), invalid=True)
        _touch(token)
        response = view(request, token, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


# --- Reads ---------------------------------------------------------------------------------


def trajecten_for_token(token: ApiToken) -> QuerySet[Traject]:
    """The trajecten a key may read: those at the schools of its partnership, with school,
    board, side-entrant and Proeve attempts fetched in a fixed number of queries."""
    proeven = Proeve.objects.order_by("poging", "pk")
    return (
        Traject.objects.filter(school__bestuur__partnerschap=token.partnerschap_id)
        .select_related("zij_instromer", "school__bestuur", "dossier")
        .prefetch_related(Prefetch("dossier__proeven", queryset=proeven))
        .order_by("pk")
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def proeve_json(proeve: Proeve) -> dict:
    # The outcome is only final once both assessors signed (status afgerond): before that the
    # API shows no uitslag, so a provisional verdict never reaches the SIS.
    final = proeve.status == Proeve.Status.AFGEROND and proeve.uitslag in Uitslag.values
    return {
        "poging": proeve.poging,
        "status": proeve.status,
        "datum": _iso(proeve.datum),
        "uitslag": proeve.uitslag if final else None,
        "afgerond_at": _iso(proeve.afgerond_at) if final else None,
    }


def traject_json(traject: Traject) -> dict:
    school = traject.school
    bestuur = school.bestuur
    dossier = getattr(traject, "dossier", None)
    proeven = list(dossier.proeven.all()) if dossier is not None else []
    return {
        "id": traject.pk,
        "status": traject.status,
        "route": traject.route,
        "start_date": _iso(traject.start_date),
        "end_date": _iso(traject.end_date),
        "zij_instromer": {
            "name": traject.zij_instromer.get_full_name(),
            "email": traject.zij_instromer.email,
        },
        "school": {"brin": school.brin, "name": school.name, "plaats": school.plaats},
        "schoolbestuur": {
            "bevoegd_gezag_nummer": bestuur.bevoegd_gezag_nummer,
            "name": bestuur.name,
        },
        "proeven": [proeve_json(p) for p in proeven],
        "updated_at": _iso(traject.updated_at),
    }


def _int_param(request, name: str, default: int) -> int | None:
    value = request.GET.get(name, "")
    if value == "":
        return default
    # At most nine digits: a page past the id range would reach the database as an OFFSET
    # it refuses (a 500).
    ok = value.isascii() and value.isdigit() and len(value) <= 9 and int(value) > 0
    return int(value) if ok else None


# --- Views ---------------------------------------------------------------------------------


@api_view
def trajecten(request, token: ApiToken):
    """GET /api/v1/trajecten/?page=1&page_size=50&status=actief"""
    page = _int_param(request, "page", 1)
    size = _int_param(request, "page_size", PAGE_SIZE)
    if page is None or size is None:
        return _error(
            400, "bad_request", _("page en page_size moeten positieve gehele getallen zijn.")
        )
    size = min(size, MAX_PAGE_SIZE)
    qs = trajecten_for_token(token)
    status = request.GET.get("status", "")
    if status:
        if status not in Traject.Status.values:
            return _error(
                400,
                "bad_request",
                _("Onbekende status; kies uit: %(choices)s.")
                % {"choices": ", ".join(Traject.Status.values)},
            )
        qs = qs.filter(status=status)
    count = qs.count()
    num_pages = max(1, -(-count // size))
    if page > num_pages:
        return _error(404, "not_found", _("Deze pagina bestaat niet."))
    items = list(qs[(page - 1) * size : page * size])

    def link(number: int) -> str:
        query = {"page": number, "page_size": size, **({"status": status} if status else {})}
        return request.build_absolute_uri(f"{reverse('api:trajecten')}?{urlencode(query)}")

    return JsonResponse(
        {
            "count": count,
            "page": page,
            "page_size": size,
            "num_pages": num_pages,
            "next": link(page + 1) if page < num_pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": [traject_json(t) for t in items],
        }
    )


@api_view
def traject(request, token: ApiToken, pk: int):
    """GET /api/v1/trajecten/<id>/ (404 outside the key's partnership, as if missing)."""
    found = trajecten_for_token(token).filter(pk=pk).first()
    if found is None:
        return _error(404, "not_found", _("Dit traject bestaat niet."))
    return JsonResponse(traject_json(found))


@require_GET
def openapi(request):
    """The OpenAPI 3 description of this API (public: it describes, it holds no data)."""
    response = JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # so that API tools may load it
    return response


# --- OpenAPI -------------------------------------------------------------------------------


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def openapi_schema() -> dict:
    """The OpenAPI 3.0 document; docs/openapi.json is this, written out (a test compares)."""
    date = {"type": "string", "format": "date"}
    date_time = {"type": "string", "format": "date-time"}
    error = {"$ref": "#/components/schemas/Error"}

    def json_response(description: str, schema: dict) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    unauthorized = json_response(
        "Geen, een onbekende of een ingetrokken sleutel. Header WWW-Authenticate: Bearer.", error
    )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Lev API",
            "version": "1.0.0",
            "description": (
                "Alleen-lezen API voor de systemen van de opleiding (zoals het "
                "studentinformatiesysteem): trajecten van zij-instromers met status, data, "
                "school (BRIN), route en de uitslagen van de Proeve van bekwaamheid. Eén "
                "sleutel per koppeling, aangemaakt door de beheerder, geldig voor één "
                "partnerschap. Zie docs/api.md."
            ),
            "license": {"name": "EUPL-1.2"},
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/trajecten/": {
                "get": {
                    "operationId": "listTrajecten",
                    "summary": "Trajecten van het partnerschap van de sleutel, per pagina",
                    "parameters": [
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE_SIZE,
                                "default": PAGE_SIZE,
                            },
                            "description": f"Groter dan {MAX_PAGE_SIZE} wordt {MAX_PAGE_SIZE}.",
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string", "enum": list(Traject.Status.values)},
                            "description": "Alleen trajecten met deze status.",
                        },
                    ],
                    "responses": {
                        "200": json_response(
                            "Een pagina trajecten, oplopend op id.",
                            {"$ref": "#/components/schemas/TrajectPage"},
                        ),
                        "400": json_response("Ongeldige parameter.", error),
                        "401": unauthorized,
                        "404": json_response("De pagina bestaat niet.", error),
                    },
                }
            },
            "/trajecten/{id}/": {
                "get": {
                    "operationId": "getTraject",
                    "summary": "Eén traject",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": json_response(
                            "Het traject.", {"$ref": "#/components/schemas/Traject"}
                        ),
                        "401": unauthorized,
                        "404": json_response(
                            "Bestaat niet, of hoort niet bij het partnerschap van de sleutel.",
                            error,
                        ),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer lev_... (de sleutel uit het beheer).",
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "detail"],
                    "properties": {
                        "error": {
                            "type": "string",
                            "enum": ["unauthorized", "bad_request", "not_found"],
                        },
                        "detail": {"type": "string", "description": "Uitleg in het Nederlands."},
                    },
                },
                "TrajectPage": {
                    "type": "object",
                    "required": ["count", "page", "page_size", "num_pages", "results"],
                    "properties": {
                        "count": {"type": "integer", "description": "Aantal trajecten in totaal."},
                        "page": {"type": "integer"},
                        "page_size": {"type": "integer"},
                        "num_pages": {"type": "integer"},
                        "next": _nullable({"type": "string", "format": "uri"}),
                        "previous": _nullable({"type": "string", "format": "uri"}),
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Traject"},
                        },
                    },
                },
                "Traject": {
                    "type": "object",
                    "required": [
                        "id",
                        "status",
                        "route",
                        "start_date",
                        "end_date",
                        "zij_instromer",
                        "school",
                        "schoolbestuur",
                        "proeven",
                        "updated_at",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "status": {"type": "string", "enum": list(Traject.Status.values)},
                        "route": {
                            "type": "string",
                            "enum": list(Traject.Route.values),
                            "description": "zib: zij-instroom in beroep; versneld: versneld "
                            "voor de klas.",
                        },
                        "start_date": date,
                        "end_date": {**date, "description": "Hoogstens twee jaar na de start."},
                        "zij_instromer": {
                            "type": "object",
                            "required": ["name", "email"],
                            "properties": {
                                "name": {"type": "string"},
                                "email": {"type": "string", "format": "email"},
                            },
                        },
                        "school": {
                            "type": "object",
                            "required": ["brin", "name", "plaats"],
                            "properties": {
                                "brin": _nullable(
                                    {
                                        "type": "string",
                                        "description": "Vestigingsnummer: BRIN en twee "
                                        "cijfers, bijvoorbeeld 12AB00.",
                                    }
                                ),
                                "name": {"type": "string"},
                                "plaats": {"type": "string"},
                            },
                        },
                        "schoolbestuur": {
                            "type": "object",
                            "required": ["bevoegd_gezag_nummer", "name"],
                            "properties": {
                                "bevoegd_gezag_nummer": _nullable({"type": "string"}),
                                "name": {"type": "string"},
                            },
                        },
                        "proeven": {
                            "type": "array",
                            "description": "Pogingen van de Proeve van bekwaamheid, oudste "
                            "eerst; leeg zolang er geen is.",
                            "items": {"$ref": "#/components/schemas/Proeve"},
                        },
                        "updated_at": date_time,
                    },
                },
                "Proeve": {
                    "type": "object",
                    "required": ["poging", "status", "datum", "uitslag", "afgerond_at"],
                    "properties": {
                        "poging": {
                            "type": "integer",
                            "description": "1, of hoger bij een herkansing.",
                        },
                        "status": {"type": "string", "enum": list(Proeve.Status.values)},
                        "datum": _nullable({**date_time, "description": "Geplande datum en tijd."}),
                        "uitslag": _nullable(
                            {
                                "type": "string",
                                "enum": [*Uitslag.values, None],
                                "description": "Pas gevuld als beide assessoren het oordeel "
                                "ondertekenden (status afgerond).",
                            }
                        ),
                        "afgerond_at": _nullable(
                            {**date_time, "description": "Moment waarop het oordeel vaststond."}
                        ),
                    },
                },
            },
        },
    }
