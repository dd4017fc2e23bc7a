"""Coaching material stays out of the dossier and the snapshot; the framework is edited in
the admin as a concept version, published versions are read-only."""

import pytest
from django.urls import reverse

from bekwaamheid.models import Bekwaamheidskader
from tests import factories as f
from tests.bekwaamheid.helpers import plan, submit

pytestmark = pytest.mark.django_db

SECRET = "VERTROUWELIJK-COACHINGSGESPREK"


def test_conversation_notes_never_appear_in_the_dossier_snapshot_or_pdf(client, world):
    gesprek = f.GesprekFactory(traject=world.cast.traject)
    f.VoorbereidingFactory(gesprek=gesprek, waar_sta_ik=SECRET)
    f.VerslagFactory(gesprek=gesprek, tekst=SECRET)
    proeve = plan(world, submit(world))
    assert SECRET not in str(proeve.snapshot)
    client.force_login(world.cast.coach)
    page = client.get(reverse("bekwaamheid:dossier", args=[world.cast.traject.pk]))
    assert SECRET not in page.content.decode()
    client.force_login(world.veld)
    for name in ("proeve", "proeve_dossier"):
        assert (
            SECRET
            not in client.get(reverse(f"bekwaamheid:{name}", args=[proeve.pk])).content.decode()
        )


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_the_framework_and_makes_a_new_concept_version(admin_client):
    url = reverse("admin:bekwaamheid_bekwaamheidskader_changelist")
    assert admin_client.get(url).status_code == 200
    kader = f.active_kader()
    admin_client.post(url, {"action": "new_version", "_selected_action": [kader.pk]})
    concept = Bekwaamheidskader.objects.get(status=Bekwaamheidskader.Status.CONCEPT)
    assert concept.eisen.count() == kader.eisen.count()
    change = admin_client.get(
        reverse("admin:bekwaamheid_bekwaamheidskader_change", args=[concept.pk])
    )
    assert change.status_code == 200 and b'name="eisen-0-titel"' in change.content


def test_a_published_version_is_read_only_in_the_admin(admin_client):
    kader = f.active_kader()
    eis = kader.eisen.get(code="VD1")
    url = reverse("admin:bekwaamheid_bekwaamheidseis_change", args=[eis.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and b'name="titel"' not in page.content
    response = admin_client.post(url, {"titel": "Gewijzigd", "code": "VD1"})
    assert response.status_code == 403
    eis.refresh_from_db()
    assert eis.titel != "Gewijzigd"


def test_publishing_through_the_admin_archives_the_old_version(admin_client):
    url = reverse("admin:bekwaamheid_bekwaamheidskader_changelist")
    old = f.active_kader()
    admin_client.post(url, {"action": "new_version", "_selected_action": [old.pk]})
    concept = Bekwaamheidskader.objects.get(status=Bekwaamheidskader.Status.CONCEPT)
    admin_client.post(url, {"action": "publish", "_selected_action": [concept.pk]})
    old.refresh_from_db()
    concept.refresh_from_db()
    assert old.status == "gearchiveerd" and concept.status == "actief"


def test_anonymous_posts_go_to_login_and_change_nothing(client, world):
    proeve = plan(world, submit(world))
    work, bewijs, traject = world.work.pk, world.bewijs.pk, world.cast.traject.pk
    routes = [
        ("dossier_submit", [traject]),
        ("criterium_add", [work]),
        ("bewijsstuk_add", [work]),
        ("feedback_request", [work]),
        ("feedback_post", [work]),
        ("afronden", [work]),
        ("in_dossier", [work]),
        ("bewijsstuk_remove", [bewijs]),
        ("bewijsstuk_restore", [bewijs]),
        ("proeve_plan", [proeve.pk]),
        ("beoordeling", [proeve.pk]),
        ("oordeel", [proeve.pk]),
        ("oordeel_sign", [proeve.pk]),
        ("oordeel_unsign", [proeve.pk]),
        ("oordeel_addendum", [proeve.pk]),
        ("traject_afronden", [proeve.pk]),
        ("pdf_request", [proeve.pk]),
    ]
    before = proeve.version
    for name, args in routes:
        response = client.post(reverse(f"bekwaamheid:{name}", args=args), {"tekst": "x"})
        assert response.status_code == 302, name
        assert "/account/login/" in response["Location"], name
    proeve.refresh_from_db()
    assert proeve.version == before and proeve.pdf_status == "geen"
    assert world.work.feedback.count() == 1
