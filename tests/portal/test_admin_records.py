"""The admin is for reference data and accounts (issue 18, case 6): domain records are
read-only for every staff user, rights cannot be raised by a staff user, and every admin
change lands in Lev's audit trail."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal.adminkit import AuditedAdmin
from portal.models import AuditEvent, School, User
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "x-Geheim-123-beheer"

DOMAIN_RECORDS = [
    "trajecten.traject",
    "trajecten.geschiktheidsonderzoek",
    "trajecten.ontwikkelpunt",
    "trajecten.scholingsplanversie",
    "trajecten.logboekregel",
    "gesprekken.gesprek",
    "gesprekken.verslag",
    "gesprekken.herinnering",
    "bekwaamheid.dossier",
    "bekwaamheid.onderzoeksopdracht",
    "bekwaamheid.bewijsstuk",
    "bekwaamheid.proeve",
    "bekwaamheid.oordeel",
    "portal.auditevent",
    "portal.notificatie",
]


def staff_with_every_permission() -> User:
    """A staff user (not a superuser) holding every model permission there is: what the
    admin refuses them is refused by Lev, not by a missing permission."""
    user = User.objects.create_user(email="medewerker@example.test", password=PASSWORD)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=user.pk)


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="beheer@example.test", password=PASSWORD)


def _url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def test_every_admin_page_is_audited_and_bulk_delete_is_off():
    import lev.urls  # noqa: F401 - the admin is served (and wrapped) through the URLconf

    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), model._meta.label
    assert "delete_selected" not in dict(admin.site.actions)


@pytest.mark.parametrize("label", DOMAIN_RECORDS)
@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_domain_records_are_read_only_for_every_staff_user(rf, superuser, label, who):
    user = superuser if who == "superuser" else staff_with_every_permission()
    request = rf.get("/beheer/")
    request.user = user
    app, model_name = label.split(".")
    from django.apps import apps

    model_admin = admin.site._registry[apps.get_model(app, model_name)]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_moving_a_signed_conversation_or_a_traject_in_the_admin_is_refused(client, world_cast):
    """The case of the issue: a staff user set another side-entrant on a signed conversation
    and on a traject with a Proeve verdict. Both POSTs are refused and nothing changes."""
    cast, gesprek, other = world_cast
    client.force_login(staff_with_every_permission())
    response = client.post(
        _url("gesprekken.gesprek", "change", gesprek.pk),
        {"traject": other.pk, "soort": gesprek.soort, "status": gesprek.status},
    )
    assert response.status_code == 403
    gesprek.refresh_from_db()
    assert gesprek.traject_id == cast.traject.pk
    response = client.post(
        _url("trajecten.traject", "change", cast.traject.pk),
        {"zij_instromer": other.zij_instromer_id, "school": other.school_id},
    )
    assert response.status_code == 403
    cast.traject.refresh_from_db()
    assert cast.traject.zij_instromer_id == cast.zij_instromer.pk
    # Viewing stays possible, without a save button.
    page = client.get(_url("trajecten.traject", "change", cast.traject.pk)).content.decode()
    assert 'name="_save"' not in page


@pytest.fixture
def world_cast(cast):
    gesprek = f.GesprekFactory(traject=cast.traject)
    f.VerslagFactory(gesprek=gesprek)
    return cast, gesprek, f.TrajectFactory()


def test_a_staff_user_cannot_make_themselves_a_superuser_or_give_themselves_rights(client):
    staff = staff_with_every_permission()
    staff.user_permissions.clear()
    staff.user_permissions.set(Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client.force_login(staff)
    group = Group.objects.create(name="Alles")
    group.permissions.set(Permission.objects.all())
    response = client.post(
        reverse("admin:portal_user_change", args=[staff.pk]),
        {
            "email": staff.email,
            "first_name": "Mede",
            "last_name": "Werker",
            "language": "nl",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "user_permissions": [p.pk for p in Permission.objects.all()[:50]],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert staff.first_name == "Mede"  # the rest of the form was saved
    assert not staff.is_superuser
    assert not staff.groups.exists()
    assert set(staff.user_permissions.values_list("codename", flat=True)) == {
        "change_user",
        "view_user",
    }


def test_a_staff_user_cannot_change_a_superuser_or_a_group(client, superuser):
    client.force_login(staff_with_every_permission())
    response = client.post(
        reverse("admin:portal_user_change", args=[superuser.pk]),
        {"email": "overgenomen@example.test"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "beheer@example.test"
    assert client.post(reverse("admin:auth_group_add"), {"name": "Nieuw"}).status_code == 403
    assert not Group.objects.filter(name="Nieuw").exists()


def test_an_admin_change_lands_in_the_audit_trail(client, superuser):
    school = f.SchoolFactory(name="De Oude Naam")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:portal_school_change", args=[school.pk]),
        {
            "bestuur": school.bestuur_id,
            "name": "De Nieuwe Naam",
            "brin": "",
            "plaats": "Utrecht",
            "is_partnerschool": "on",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "De Nieuwe Naam"
    event = AuditEvent.objects.get(action="beheer.wijzigen")
    assert event.actor == superuser
    assert event.object_type == "portal.School" and event.object_id == str(school.pk)
    assert event.ip == "10.1.2.3"
    assert "Naam" in str(event.detail["wijziging"])
    client.post(reverse("admin:portal_school_delete", args=[school.pk]), {"post": "yes"})
    assert not School.objects.filter(pk=school.pk).exists()
    assert AuditEvent.objects.filter(action="beheer.verwijderen", object_id=str(school.pk)).exists()
