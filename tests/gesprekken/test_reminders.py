"""Reminders: 14 and 3 days before to whoever has not prepared, the day after to whoever has
not signed, overdue afspraken to their owner, a weekly SLB digest. Each goes out once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from gesprekken import selectors, services
from gesprekken.models import Herinnering
from gesprekken.tasks import digest_slb_sweep, herinneringen_sweep
from portal.models import Mail, Notificatie
from tests import factories as f
from trajecten.models import Traject

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: D, hour: int = 7):
    """A moment on `day` in the portal's time zone (the beat runs at 07:00)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(task=herinneringen_sweep):
        with django_capture_on_commit_callbacks(execute=True):
            return task.delay().get()

    return run


def sent(soort=None):
    qs = Herinnering.objects.all()
    if soort:
        qs = qs.filter(soort=soort)
    return {(h.soort, h.recipient_id) for h in qs}


@pytest.fixture
def planned(cast):
    """The cast's traject with its cycle planned from 1 September 2026."""
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        Traject.objects.filter(pk=cast.traject.pk).update(
            start_date=D(2026, 9, 1), end_date=D(2028, 8, 31)
        )
        cast.traject.refresh_from_db()
        services.gesprek_cycle_plan(traject=cast.traject)
    return cast.traject.gesprekken.get(cycle_number=1)  # Tuesday 1 December 2026, 15:30


def test_fourteen_days_before_whoever_has_not_prepared_is_reminded(cast, planned, sweep):
    f.VoorbereidingFactory(gesprek=planned, rol="coach")
    with time_machine.travel(at(D(2026, 11, 17)), tick=False):
        assert sweep() == 2
    assert sent() == {
        ("voorbereiding_14", cast.zij_instromer.pk),
        ("voorbereiding_14", cast.slb.pk),
    }
    assert {m.to[0] for m in mail.outbox} == {cast.zij_instromer.email, cast.slb.email}
    message = next(m for m in mail.outbox if m.to == [cast.zij_instromer.email])
    assert f"/gesprekken/{planned.pk}/voorbereiden/" in message.body
    assert "Waar sta je nu" in message.body
    assert message.alternatives and "Gesprek voorbereiden" in message.alternatives[0][0]


def test_nothing_is_sent_too_early(planned, sweep):
    with time_machine.travel(at(D(2026, 11, 16)), tick=False):
        assert sweep() == 0


def test_three_days_before_a_second_reminder_then_nothing_on_a_rerun(cast, planned, sweep):
    with time_machine.travel(at(D(2026, 11, 17)), tick=False):
        sweep()
    f.VoorbereidingFactory(gesprek=planned, rol="slb")
    with time_machine.travel(at(D(2026, 11, 28)), tick=False):
        assert sweep() == 2
        assert sweep() == 0
    assert sent("voorbereiding_3") == {
        ("voorbereiding_3", cast.zij_instromer.pk),
        ("voorbereiding_3", cast.coach.pk),
    }
    assert Mail.objects.count() == 3 + 2


def test_a_repeated_run_the_same_morning_sends_nothing_twice(planned, sweep):
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        first = sweep()
        second = sweep()
        # A retried task for the same reminder is harmless too.
        h = Herinnering.objects.first()
        assert (
            services.herinnering_send(
                soort=h.soort, recipient_id=h.recipient_id, gesprek_id=h.gesprek_id
            )
            is False
        )
    assert first == 3 and second == 0
    assert Herinnering.objects.count() == Mail.objects.count() == 3


def test_someone_who_prepared_after_the_sweep_is_not_reminded(cast, planned):
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        due = selectors.due_preparation_reminders(
            "voorbereiding_14", D(2026, 11, 24), D(2026, 12, 4)
        )
        f.VoorbereidingFactory(gesprek=planned, rol="zij_instromer")
        results = {
            d.recipient_id: services.herinnering_send(
                soort=d.soort, recipient_id=d.recipient_id, gesprek_id=d.gesprek_id
            )
            for d in due
        }
    assert results[cast.zij_instromer.pk] is False and results[cast.coach.pk] is True


def test_the_day_after_the_slb_is_asked_for_the_report(cast, planned, sweep):
    with time_machine.travel(at(D(2026, 12, 2)), tick=False):
        assert sweep() == 1
    assert sent("verslag") == {("verslag", cast.slb.pk)}
    assert "nog niet geschreven" in mail.outbox[-1].subject


def test_after_the_report_is_written_the_others_are_asked_to_sign(cast, planned, sweep):
    with time_machine.travel(at(D(2026, 12, 2)), tick=False):
        sweep()
    verslag = f.VerslagFactory(gesprek=planned)
    services.verslag_sign(verslag=verslag, user=cast.coach, version=1)
    with time_machine.travel(at(D(2026, 12, 3)), tick=False):
        assert sweep() == 1
    assert sent("verslag") == {("verslag", cast.slb.pk), ("verslag", cast.zij_instromer.pk)}
    assert "wacht op je handtekening" in mail.outbox[-1].subject


def test_a_signed_report_needs_no_reminder(planned, sweep):
    f.sign_all(f.VerslagFactory(gesprek=planned))
    with time_machine.travel(at(D(2026, 12, 2)), tick=False):
        assert sweep() == 0


def test_an_overdue_afspraak_reminds_its_owner_once(cast, planned, sweep):
    verslag = f.VerslagFactory(gesprek=planned)
    late = f.AfspraakFactory(verslag=verslag, owner=cast.coach, due_date=D(2026, 12, 10))
    f.AfspraakFactory(
        verslag=verslag, owner=cast.zij_instromer, due_date=D(2026, 12, 10), done_at=timezone.now()
    )
    f.sign_all(verslag)
    with time_machine.travel(at(D(2026, 12, 10)), tick=False):
        assert sweep() == 0  # due today is not overdue yet
    with time_machine.travel(at(D(2026, 12, 11)), tick=False):
        assert sweep() == 1
        assert sweep() == 0
    assert sent("afspraak") == {("afspraak", cast.coach.pk)}
    assert Herinnering.objects.get(soort="afspraak").afspraak == late
    assert late.omschrijving in mail.outbox[-1].body


def test_weekly_digest_lists_the_slbs_coming_conversations(cast, planned, sweep):
    other = f.TrajectFactory(slb=cast.slb)
    f.GesprekFactory(traject=other, cycle_number=1, planned_for=D(2026, 12, 8))
    with time_machine.travel(at(D(2026, 11, 30), 6), tick=False):  # a Monday
        assert sweep(digest_slb_sweep) == 1
        assert sweep(digest_slb_sweep) == 0
    (message,) = [m for m in mail.outbox if "komende twee weken" in m.subject]
    assert message.to == [cast.slb.email]
    assert cast.traject.zij_instromer.get_full_name() in message.body
    assert other.zij_instromer.get_full_name() in message.body
    with time_machine.travel(at(D(2026, 12, 7), 6), tick=False):  # next week: a new digest
        assert sweep(digest_slb_sweep) == 1


def test_a_muted_kind_sends_no_mail_but_keeps_the_notification(cast, planned, sweep):
    cast.zij_instromer.muted_mail_kinds = ["herinnering_voorbereiding"]
    cast.zij_instromer.save()
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        sweep()
    assert Notificatie.objects.filter(
        user=cast.zij_instromer, kind="herinnering_voorbereiding"
    ).exists()
    assert cast.zij_instromer.email not in {m.to[0] for m in mail.outbox}
    assert cast.coach.email in {m.to[0] for m in mail.outbox}


def test_mail_is_in_the_recipients_language(cast, planned, sweep):
    cast.coach.language = "en"
    cast.coach.save()
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        sweep()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "December" in by_to[cast.coach.email].body
    assert "december" in by_to[cast.zij_instromer.email].body
    assert "dinsdag" in by_to[cast.zij_instromer.email].body


def test_stopped_trajecten_get_no_reminders(cast, planned, sweep):
    Traject.objects.filter(pk=cast.traject.pk).update(status=Traject.Status.GESTOPT)
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        assert sweep() == 0


def test_the_sweep_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    day = timezone.localdate() + datetime.timedelta(days=10)
    for n in range(40):
        g = f.GesprekFactory(cycle_number=1, planned_for=day)
        if n % 2:
            f.VoorbereidingFactory(gesprek=g)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        due = selectors.due_preparation_reminders(
            "voorbereiding_14",
            today + datetime.timedelta(days=4),
            today + datetime.timedelta(days=14),
        )
    assert len(due) == 40 * 3 - 20
    with django_assert_num_queries(3):
        selectors.due_verslag_reminders(today - datetime.timedelta(days=7), today)
    with django_assert_num_queries(1):
        selectors.due_afspraak_reminders(today - datetime.timedelta(days=7), today)
    with django_assert_num_queries(2):
        selectors.due_digests(today)
