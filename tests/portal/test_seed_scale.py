"""seed_scale at a hundredth of national size: the proportions, realistic states, the records
the rules demand, and every main page of the largest partnership answering 200."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bekwaamheid.models import Bewijsstuk, Oordeel, Proeve
from gesprekken.models import Gesprek, Signaal, Verslag
from portal.models import Partnerschap, School, Schoolbestuur, User
from portal.scale import Counts
from portal.scale.base import PDF_ITEMS
from portal.scale.subjects import FLOOR, PAGES, largest_partnerschap, pdf_proeve, sample
from trajecten.models import Logboekregel, Scholingsplanversie, Traject

SCALE = 0.01


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One small world for the whole module, rolled back at the end."""
    from conftest import ensure_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # a transactional test may have flushed the seeded areas
        out = io.StringIO()
        call_command("seed_scale", scale=SCALE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def counts() -> Counts:
    return Counts.at(SCALE)


def test_seed_makes_the_counts_of_the_scale(world, db, counts):
    assert counts.trajecten == 100 and counts.partnerschappen == 6
    assert Partnerschap.objects.count() == counts.partnerschappen
    assert Schoolbestuur.objects.count() == counts.besturen
    assert School.objects.count() == counts.scholen
    assert Traject.objects.count() == counts.trajecten
    assert Gesprek.objects.count() == counts.gesprekken
    assert Logboekregel.objects.count() == counts.logboekregels
    assert Bewijsstuk.objects.count() == counts.bewijsstukken


def test_largest_partnership_holds_a_fifth_of_the_trajecten(world, db, counts):
    per_ps = list(
        Partnerschap.objects.annotate(n=Count("besturen__scholen__trajecten"))
        .order_by("-n")
        .values_list("n", flat=True)
    )
    assert per_ps[0] == counts.largest == 20
    assert per_ps[1] < per_ps[0]
    assert largest_partnerschap().besturen.exists()


def test_seed_prints_progress(world):
    assert "trajecten" in world and "conversations and reports" in world and "total" in world


def test_trajecten_are_in_every_state_with_some_near_their_end(world, db):
    statuses = set(Traject.objects.values_list("status", flat=True))
    assert statuses == {"intake", "actief", "afgerond", "gestopt"}
    today = timezone.localdate()
    assert Traject.objects.filter(
        status="actief", end_date__lte=today.replace(year=today.year + 1)
    ).exists()
    first = Traject.objects.order_by("start_date").first().start_date
    assert (today - first).days > 2 * 365


def test_every_started_traject_has_an_agreed_plan_with_activities(world, db):
    agreed = Scholingsplanversie.objects.filter(status="vastgesteld")
    assert agreed.exists()
    assert not agreed.annotate(n=Count("instemmingen")).exclude(n=3).exists()
    assert not agreed.annotate(n=Count("activiteiten")).filter(n=0).exists()
    finished = Traject.objects.filter(status="afgerond")
    assert (
        finished.filter(scholingsplan__versies__status="vastgesteld").distinct().count()
        == finished.count()
    )


def test_reports_are_signed_only_for_past_conversations(world, db):
    now = timezone.now()
    locked = Verslag.objects.filter(locked_at__isnull=False)
    assert locked.count() > Verslag.objects.count() / 2
    assert not locked.filter(gesprek__starts_at__gt=now).exists()
    assert not locked.filter(locked_at__gt=now).exists()
    assert not Verslag.objects.filter(gesprek__starts_at__gt=now).exists()
    assert set(locked.exclude(koers="").values_list("koers", flat=True)) == {
        "op_koers",
        "aandacht",
        "uit_koers",
    }
    assert Signaal.objects.filter(verslag__locked_at__isnull=False).exists()
    assert Gesprek.objects.filter(starts_at__gt=now, status="gepland").exists()


def test_evidence_is_links_only(world, db):
    assert not Bewijsstuk.objects.exclude(bestand="").exists()
    assert not Bewijsstuk.objects.filter(link="").exists()


def test_proeven_have_signed_oordelen_and_one_dossier_has_sixty_items(world, db):
    assert Oordeel.objects.filter(locked_at__isnull=False).exists()
    assert Proeve.objects.filter(status="afgerond", uitslag="voldoende").exists()
    proeve = pdf_proeve()
    assert proeve is not None
    assert len([b for o in proeve.snapshot["opdrachten"] for b in o["bewijs"]]) == PDF_ITEMS


def test_coordinators_and_assessors_have_totp(world, db):
    from allauth.mfa.models import Authenticator

    with_totp = set(Authenticator.objects.filter(type="totp").values_list("user_id", flat=True))
    ps = largest_partnerschap()
    assert set(ps.coordinatoren.values_list("pk", flat=True)) <= with_totp
    assert set(ps.assessoren.values_list("pk", flat=True)) <= with_totp


def test_all_accounts_share_one_password_hash(world, db):
    assert User.objects.values("password").distinct().count() == 1


def test_seed_refuses_a_database_with_data(world, db):
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", scale=SCALE, stdout=io.StringIO())


@pytest.mark.parametrize("main_page", PAGES, ids=[p.key for p in PAGES])
def test_main_pages_of_the_largest_partnership_answer_200(world, db, client, main_page):
    subjects = sample(n=2)[main_page.role]
    assert subjects, f"no {main_page.role} in the largest partnership"
    for subject in subjects:
        client.force_login(subject.user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(main_page.url(subject))
        assert response.status_code == 200, (main_page.key, subject.user.email)


def test_the_floor_answers(world, db, client):
    assert client.get(FLOOR.url(None)).status_code == 200


def test_postgresql_connections_run_without_jit(db):
    """JIT compiled the overviews' plans for seconds before running them for milliseconds."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_first_sweep_after_seeding_does_only_todays_work_and_a_second_nothing(
    world, db, django_capture_on_commit_callbacks
):
    """The seeded reminder history is that of a daily sweep up to yesterday."""
    import datetime

    from gesprekken import tasks
    from gesprekken.models import Herinnering

    mark = Herinnering.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        tasks.herinneringen_sweep()
    today = timezone.localdate()
    expected = {
        "voorbereiding_14": today + datetime.timedelta(days=14),
        "voorbereiding_3": today + datetime.timedelta(days=3),
        "verslag": today - datetime.timedelta(days=1),
    }
    for h in Herinnering.objects.filter(pk__gt=mark).select_related("gesprek", "afspraak"):
        if h.soort == "afspraak":
            assert h.afspraak.due_date == today - datetime.timedelta(days=1)
        else:
            assert timezone.localdate(h.gesprek.starts_at) == expected[h.soort], h.soort
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.herinneringen_sweep() == 0
