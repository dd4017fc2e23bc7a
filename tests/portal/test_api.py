"""The read-only JSON API for the college's systems: keys, scope, pages, Proeve outcomes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bekwaamheid.models import Bekwaamheidskader, Dossier, Proeve
from portal import api
from portal.models import ApiToken, AuditEvent
from tests import factories as f
from trajecten.models import Traject

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/trajecten/"
DOCS_OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def partnerschap():
    return f.PartnerschapFactory()


@pytest.fixture
def key(partnerschap):
    _token, raw = api.api_token_create(name="SIS", partnerschap=partnerschap)
    return raw


def get(client, url, key=None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(url, params, headers=headers)


def traject_in(partnerschap, **kwargs) -> Traject:
    school = f.SchoolFactory(bestuur=f.SchoolbestuurFactory(partnerschap=partnerschap))
    return f.TrajectFactory(school=school, **kwargs)


def with_proeve(traject: Traject, **kwargs) -> Proeve:
    kader = Bekwaamheidskader.objects.get(status=Bekwaamheidskader.Status.ACTIEF)
    dossier, _created = Dossier.objects.get_or_create(traject=traject, defaults={"kader": kader})
    return Proeve.objects.create(dossier=dossier, **kwargs)


# --- refusing --------------------------------------------------------------------------------


def test_without_a_key_the_api_answers_401_json(client):
    response = client.get(LIST_URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "unauthorized"
    assert response["WWW-Authenticate"] == 'Bearer realm="lev"'


def test_a_wrong_key_is_refused(client, key):
    response = get(client, LIST_URL, key + "x")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert "onbekend of ingetrokken" in response.json()["detail"]


def test_another_scheme_is_refused(client, key):
    response = client.get(LIST_URL, headers={"Authorization": f"Token {key}"})
    assert response.status_code == 401


def test_a_revoked_key_is_refused(client, key):
    token = ApiToken.objects.get()
    assert get(client, LIST_URL, key).status_code == 200
    assert api.api_token_revoke(token=token)
    assert get(client, LIST_URL, key).status_code == 401
    assert not api.api_token_revoke(token=token)  # revoking twice changes nothing


def test_the_session_is_never_used(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(LIST_URL)
    assert response.status_code == 401
    assert "sessionid" not in response.cookies


def test_the_api_is_read_only(client, key):
    response = client.post(LIST_URL, {}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 405


def test_only_a_hash_of_the_key_is_stored(key):
    token = ApiToken.objects.get()
    assert token.token_hash == api.hash_token(key)
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.prefix == key[:12]


# --- reading ---------------------------------------------------------------------------------


def test_a_key_lists_the_trajecten_of_its_partnership_only(client, partnerschap, key):
    mine = traject_in(partnerschap, route=Traject.Route.VERSNELD)
    traject_in(f.PartnerschapFactory())  # another partnership
    response = get(client, LIST_URL, key)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == mine.pk
    assert item["status"] == "actief"
    assert item["route"] == "versneld"
    assert item["start_date"] == mine.start_date.isoformat()
    assert item["end_date"] == mine.end_date.isoformat()
    assert item["school"]["brin"] == mine.school.brin
    assert item["schoolbestuur"]["bevoegd_gezag_nummer"] == mine.school.bestuur.bevoegd_gezag_nummer
    assert item["zij_instromer"]["email"] == mine.zij_instromer.email
    assert item["proeven"] == []


def test_detail_of_own_traject_and_404_for_others(client, partnerschap, key):
    mine = traject_in(partnerschap)
    other = traject_in(f.PartnerschapFactory())
    assert get(client, f"{LIST_URL}{mine.pk}/", key).json()["id"] == mine.pk
    response = get(client, f"{LIST_URL}{other.pk}/", key)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_proeve_outcomes_are_shown_once_final(client, partnerschap, key):
    traject = traject_in(partnerschap)
    done = timezone.now() - datetime.timedelta(days=30)
    with_proeve(
        traject,
        poging=1,
        status=Proeve.Status.AFGEROND,
        uitslag="onvoldoende",
        afgerond_at=done,
    )
    with_proeve(traject, poging=2, status=Proeve.Status.GEPLAND, datum=timezone.now())
    proeven = get(client, LIST_URL, key).json()["results"][0]["proeven"]
    assert [p["poging"] for p in proeven] == [1, 2]
    assert proeven[0]["uitslag"] == "onvoldoende"
    assert proeven[0]["afgerond_at"] == done.isoformat()
    assert proeven[1]["status"] == "gepland"
    assert proeven[1]["uitslag"] is None


def test_a_provisional_uitslag_never_leaves_lev(client, partnerschap, key):
    with_proeve(
        traject_in(partnerschap), poging=1, status=Proeve.Status.GEPLAND, uitslag="voldoende"
    )
    assert get(client, LIST_URL, key).json()["results"][0]["proeven"][0]["uitslag"] is None


def test_status_filter(client, partnerschap, key):
    traject_in(partnerschap)
    done = traject_in(partnerschap, status=Traject.Status.AFGEROND)
    body = get(client, LIST_URL, key, status="afgerond").json()
    assert [t["id"] for t in body["results"]] == [done.pk]
    response = get(client, LIST_URL, key, status="kapot")
    assert response.status_code == 400
    assert "intake" in response.json()["detail"]


def test_pages_link_to_each_other(client, partnerschap, key):
    ids = [traject_in(partnerschap).pk for _ in range(5)]
    first = get(client, LIST_URL, key, page_size=2).json()
    assert (first["count"], first["num_pages"], first["previous"]) == (5, 3, None)
    assert [t["id"] for t in first["results"]] == sorted(ids)[:2]
    assert first["next"] == "http://testserver/api/v1/trajecten/?page=2&page_size=2"
    last = get(client, LIST_URL, key, page=3, page_size=2).json()
    assert [t["id"] for t in last["results"]] == sorted(ids)[4:]
    assert last["next"] is None
    assert last["previous"].endswith("page=2&page_size=2")


def test_bad_page_parameters(client, partnerschap, key):
    traject_in(partnerschap)
    assert get(client, LIST_URL, key, page=2).status_code == 404
    assert get(client, LIST_URL, key, page="x").status_code == 400
    assert get(client, LIST_URL, key, page_size=0).status_code == 400
    assert get(client, LIST_URL, key, page_size=10_000).json()["page_size"] == api.MAX_PAGE_SIZE


def test_an_empty_partnership_answers_an_empty_first_page(client, key):
    body = get(client, LIST_URL, key).json()
    assert (body["count"], body["num_pages"], body["results"]) == (0, 1, [])


def test_query_count_does_not_grow_with_the_number_of_trajecten(
    client, partnerschap, key, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            traject = traject_in(partnerschap)
            with_proeve(traject, poging=1, status=Proeve.Status.AFGEROND, uitslag="voldoende")
            if i % 2:
                with_proeve(traject, poging=2, status=Proeve.Status.INGEDIEND)

    add(2)
    get(client, LIST_URL, key)  # the first request records last_used_at
    with CaptureQueriesContext(connection) as few:
        assert len(get(client, LIST_URL, key).json()["results"]) == 2
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert len(get(client, LIST_URL, key).json()["results"]) == 12
    assert len(many) == len(few)
    with django_assert_max_num_queries(6):
        get(client, LIST_URL, key)


def test_last_used_is_recorded_at_most_once_a_minute(client, key):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        get(client, LIST_URL, key)
        token.refresh_from_db()
        assert token.last_used_at == timezone.now()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, 30, tzinfo=datetime.UTC)):
        with CaptureQueriesContext(connection) as queries:
            get(client, LIST_URL, key)
        assert not any(q["sql"].startswith("UPDATE") for q in queries)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 5, tzinfo=datetime.UTC), tick=False):
        get(client, LIST_URL, key)
        token.refresh_from_db()
        assert token.last_used_at == timezone.now()


def test_responses_follow_the_schema(client, partnerschap, key):
    traject = traject_in(partnerschap)
    with_proeve(traject, poging=1, status=Proeve.Status.GEPLAND)
    schemas = api.openapi_schema()["components"]["schemas"]
    body = get(client, LIST_URL, key).json()
    assert set(schemas["TrajectPage"]["properties"]) == set(body)
    item = body["results"][0]
    assert set(schemas["Traject"]["properties"]) == set(item)
    assert set(schemas["Traject"]["required"]) <= set(item)
    assert set(schemas["Proeve"]["properties"]) == set(item["proeven"][0])
    assert set(schemas["Error"]["properties"]) == set(client.get(LIST_URL).json())


# --- the schema and the admin -----------------------------------------------------------------


def test_openapi_schema_is_served_without_a_key(client):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {"/trajecten/", "/trajecten/{id}/"}
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_openapi_json_is_the_served_schema(client):
    """docs/openapi.json is written from portal.api.openapi_schema(); regenerate it with
    `python -c` as docs/api.md says when this fails."""
    assert json.loads(DOCS_OPENAPI.read_text()) == client.get(reverse("api:openapi")).json()


def test_admin_creates_a_key_and_shows_it_once(admin_client, partnerschap):
    response = admin_client.post(
        reverse("admin:portal_apitoken_add"), {"name": "Osiris", "partnerschap": partnerschap.pk}
    )
    assert response.status_code == 200
    raw = response.context["raw_key"]
    assert raw.startswith("lev_") and len(raw) > 40
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="Osiris")
    assert token.token_hash == api.hash_token(raw)
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    change_page = admin_client.get(reverse("admin:portal_apitoken_change", args=[token.pk]))
    assert raw not in change_page.content.decode()
    assert get(admin_client.__class__(), LIST_URL, raw).status_code == 200


def test_admin_revokes_keys_and_cannot_delete_them(admin_client, key):
    token = ApiToken.objects.get()
    response = admin_client.post(
        reverse("admin:portal_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 sleutel ingetrokken" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    delete = admin_client.post(reverse("admin:portal_apitoken_delete", args=[token.pk]))
    assert delete.status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
