"""The reminder sweeps send in bulk: a fixed number of queries whatever the number due, each
reminder still once, with the same texts as one by one, and a failing chunk costs no others."""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gesprekken import selectors, services
from gesprekken.models import Handtekening, Herinnering
from gesprekken.services import herinneringen
from gesprekken.tasks import digest_slb_sweep, herinneringen_sweep
from portal.mail import mails_send
from portal.models import Mail, Notificatie
from tests import factories as f
from trajecten.models import Traject

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
TODAY = D(2026, 11, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def _today():
    moment = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(7)))
    with time_machine.travel(moment, tick=False):
        yield


def traject_with_everything_due():
    """A traject with one reminder of each daily kind due, each to one person: the SLB has
    not prepared the conversation in three days, the coach not the one in ten days, the
    zij-instromer has not signed the report of yesterday's conversation and let its
    agreement run over the date. The SLB's weekly overview lists the two coming ones."""
    traject = f.TrajectFactory()
    soon = f.GesprekFactory(traject=traject, cycle_number=1, planned_for=TODAY + 3 * DAY)
    later = f.GesprekFactory(traject=traject, cycle_number=2, planned_for=TODAY + 10 * DAY)
    held = f.GesprekFactory(traject=traject, cycle_number=3, planned_for=TODAY - DAY)
    for gesprek, roles in ((soon, ("zij_instromer", "coach")), (later, ("zij_instromer", "slb"))):
        for rol in roles:
            f.VoorbereidingFactory(gesprek=gesprek, rol=rol)
    verslag = f.VerslagFactory(gesprek=held)
    for rol in ("coach", "slb"):
        Handtekening.objects.create(
            verslag=verslag, rol=rol, user=traject.holder(rol), version=verslag.version
        )
    f.AfspraakFactory(verslag=verslag, owner=traject.zij_instromer, due_date=TODAY - DAY)
    return traject


def counts() -> tuple[int, int, int]:
    return Herinnering.objects.count(), Notificatie.objects.count(), Mail.objects.count()


def forget_everything_sent() -> None:
    for model in (Herinnering, Notificatie, Mail):
        model.objects.all().delete()


def due_today() -> list[selectors.Due]:
    return [
        *selectors.due_preparation_reminders("voorbereiding_14", TODAY + 4 * DAY, TODAY + 14 * DAY),
        *selectors.due_preparation_reminders("voorbereiding_3", TODAY, TODAY + 3 * DAY),
        *selectors.due_verslag_reminders(TODAY - 7 * DAY, TODAY - DAY),
        *selectors.due_afspraak_reminders(TODAY - 7 * DAY, TODAY - DAY),
    ]


def measure(task, django_capture_on_commit_callbacks) -> tuple[int, int, int]:
    """(queries, reminders sent, tasks queued after commit) of one run of `task`."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with CaptureQueriesContext(connection) as queries:
            sent = task()
    return len(queries), sent, len(callbacks)


# Each kind stays below 83 reminders: SQLite splits a bulk insert of mails into batches of
# 999 // 12 columns, which would add an INSERT that PostgreSQL does not need.
def test_the_daily_sweep_takes_as_many_queries_for_40_trajecten_as_for_5(
    django_capture_on_commit_callbacks,
):
    for _n in range(5):
        traject_with_everything_due()
    small = measure(herinneringen_sweep, django_capture_on_commit_callbacks)
    forget_everything_sent()
    for _n in range(35):
        traject_with_everything_due()
    large = measure(herinneringen_sweep, django_capture_on_commit_callbacks)
    # Four reminders per traject, and per kind one task that sends its mails.
    assert small[1:] == (5 * 4, 4)
    assert large[1:] == (40 * 4, 4)
    assert large[0] == small[0]
    assert counts() == (160, 160, 160)


def test_the_weekly_digest_takes_as_many_queries_for_40_slbs_as_for_5(
    django_capture_on_commit_callbacks,
):
    for _n in range(5):
        traject_with_everything_due()
    small = measure(digest_slb_sweep, django_capture_on_commit_callbacks)
    forget_everything_sent()
    for _n in range(35):
        traject_with_everything_due()
    large = measure(digest_slb_sweep, django_capture_on_commit_callbacks)
    assert small[1:] == (5, 1) and large[1:] == (40, 1)
    assert large[0] == small[0]


def test_a_second_sweep_right_after_sends_nothing(django_capture_on_commit_callbacks):
    for _n in range(3):
        traject_with_everything_due()
    with django_capture_on_commit_callbacks(execute=True):
        assert herinneringen_sweep() == 12
        assert digest_slb_sweep() == 3
    before, outbox = counts(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert herinneringen_sweep() == 0
        assert digest_slb_sweep() == 0
    assert before == (15, 15, 15)
    assert counts() == before and len(mail.outbox) == outbox
    assert set(Mail.objects.values_list("status", flat=True)) == {Mail.Status.SENT}


def test_a_reminder_sent_one_by_one_is_not_sent_again_by_the_batch(
    django_capture_on_commit_callbacks,
):
    traject = traject_with_everything_due()
    due = due_today()
    verslag = next(d for d in due if d.soort == "verslag")
    assert services.herinnering_send(
        soort=verslag.soort, recipient_id=verslag.recipient_id, gesprek_id=verslag.gesprek_id
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.herinneringen_send_batch(due=due)
    assert result.sent == 3 and result.failed == []
    assert Herinnering.objects.filter(soort="verslag").count() == 1
    assert Mail.objects.filter(user=traject.zij_instromer, kind="herinnering_verslag").count() == 1
    assert counts() == (4, 4, 4)


def test_the_batch_writes_exactly_what_one_by_one_would(django_capture_on_commit_callbacks):
    traject = traject_with_everything_due()
    traject.zij_instromer.language = "en"
    traject.zij_instromer.save(update_fields=["language"])
    due = due_today()
    digest = selectors.due_digests(TODAY)

    def written():
        notes = set(Notificatie.objects.values_list("user_id", "kind", "text", "url"))
        mails = set(Mail.objects.values_list("to", "kind", "subject", "body_text", "body_html"))
        return notes, mails

    services.herinneringen_send_batch(due=[*due, *digest])
    in_bulk = written()
    forget_everything_sent()
    for d in [*due, *digest]:
        services.herinnering_send(
            soort=d.soort,
            recipient_id=d.recipient_id,
            gesprek_id=d.gesprek_id,
            afspraak_id=d.afspraak_id,
            week=d.week,
        )
    assert in_bulk == written()
    assert len(in_bulk[1]) == 5


def test_mail_is_in_the_recipients_language(django_capture_on_commit_callbacks):
    traject = traject_with_everything_due()
    traject.coach.language = "en"
    traject.coach.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        herinneringen_sweep()
    (english,) = [m for m in mail.outbox if m.to == [traject.coach.email]]
    (dutch,) = [m for m in mail.outbox if m.to == [traject.slb.email]]
    assert "Dear" in english.body and "November" in english.body
    assert "Beste" in dutch.body and "november" in dutch.body
    assert "Prepare" in Notificatie.objects.get(user=traject.coach).text
    assert "Bereid" in Notificatie.objects.get(user=traject.slb).text


def test_a_muted_kind_gets_a_notification_but_no_mail(django_capture_on_commit_callbacks):
    traject = traject_with_everything_due()
    traject.slb.muted_mail_kinds = ["herinnering_voorbereiding"]
    traject.slb.save(update_fields=["muted_mail_kinds"])
    with django_capture_on_commit_callbacks(execute=True):
        assert herinneringen_sweep() == 4
    assert Herinnering.objects.filter(recipient=traject.slb, soort="voorbereiding_3").exists()
    assert Notificatie.objects.filter(user=traject.slb, kind="herinnering_voorbereiding").exists()
    assert not Mail.objects.filter(user=traject.slb).exists()
    assert traject.slb.email not in {m.to[0] for m in mail.outbox}
    assert counts() == (4, 4, 3)


def test_an_inactive_person_gets_nothing(django_capture_on_commit_callbacks):
    traject = traject_with_everything_due()
    traject.coach.is_active = False
    traject.coach.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        assert herinneringen_sweep() == 3
    assert not Herinnering.objects.filter(recipient=traject.coach).exists()
    assert not Notificatie.objects.filter(user=traject.coach).exists()
    assert not Mail.objects.filter(user=traject.coach).exists()


def test_a_claim_made_after_the_sweep_read_causes_no_duplicate(
    django_capture_on_commit_callbacks,
):
    traject_with_everything_due()
    traject_with_everything_due()
    due = due_today()
    taken = next(d for d in due if d.soort == "voorbereiding_14")
    Herinnering.objects.create(
        soort=taken.soort, recipient_id=taken.recipient_id, gesprek_id=taken.gesprek_id
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.herinneringen_send_batch(due=due)
    assert result.sent == 7
    assert Herinnering.objects.count() == 8
    assert not Mail.objects.filter(user_id=taken.recipient_id).exists()
    assert len(mail.outbox) == 7


def test_a_claim_between_the_check_and_the_insert_causes_no_duplicate(
    django_capture_on_commit_callbacks,
):
    """Another sweep claims one of the chunk after it was checked: the bulk insert fails,
    each is claimed on its own, and the others still go out."""
    traject_with_everything_due()
    traject_with_everything_due()
    due = due_today()
    original = herinneringen._gesprek_reminders

    def and_meanwhile_another_sweep(soort, items, recipients):
        reminders = original(soort, items, recipients)
        if soort == "voorbereiding_14":
            Herinnering.objects.create(**reminders[0].key)
        return reminders

    with (
        mock.patch.object(herinneringen, "_gesprek_reminders", and_meanwhile_another_sweep),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = services.herinneringen_send_batch(due=due)
    assert result.sent == 7 and result.failed == []
    assert Herinnering.objects.filter(soort="voorbereiding_14").count() == 2
    assert Herinnering.objects.count() == 8
    assert Mail.objects.filter(kind="herinnering_voorbereiding").count() == 3
    assert len(mail.outbox) == 7


def test_a_chunk_that_fails_is_rolled_back_and_the_other_chunks_stand(
    django_capture_on_commit_callbacks,
):
    for _n in range(3):
        traject_with_everything_due()
    due = sorted(
        (d for d in due_today() if d.soort == "voorbereiding_14"), key=lambda d: d.gesprek_id
    )
    original = herinneringen.notify_bulk
    calls = []

    def second_chunk_fails(*, messages):
        calls.append(len(messages))
        if len(calls) == 2:
            raise OSError("template storage gone")
        return original(messages=messages)

    with (
        mock.patch.object(herinneringen, "notify_bulk", second_chunk_fails),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = services.herinneringen_send_batch(due=due, chunk_size=1)
    assert calls == [1, 1, 1]
    assert result.sent == 2 and result.failed == [due[1]]
    assert Herinnering.objects.count() == 2
    assert not Herinnering.objects.filter(gesprek_id=due[1].gesprek_id).exists()
    assert counts() == (2, 2, 2)


def test_the_sweep_hands_a_failed_chunk_to_one_task_per_reminder(
    django_capture_on_commit_callbacks,
):
    traject_with_everything_due()
    with (
        mock.patch.object(herinneringen, "_send_chunk", side_effect=OSError("database gone")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert herinneringen_sweep() == 4  # handed on, then sent one by one after commit
    assert counts() == (4, 4, 4)
    assert len(mail.outbox) == 4


class RefusesOneAddress(locmem.EmailBackend):
    """The test mailbox, with a mail server that refuses the address REFUSED."""

    def send_messages(self, messages):
        if any(REFUSED in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"no such user")})
        return super().send_messages(messages)


REFUSED = "weg@example.test"


def test_the_mails_go_over_one_connection_and_a_refused_one_holds_up_no_other(
    settings, django_capture_on_commit_callbacks
):
    for _n in range(2):
        traject_with_everything_due()
    refused = f.UserFactory(email=REFUSED)
    Traject.objects.filter(pk=Traject.objects.order_by("pk").first().pk).update(slb=refused)
    settings.EMAIL_BACKEND = "tests.gesprekken.test_sweep_batched.RefusesOneAddress"
    with (
        mock.patch.object(RefusesOneAddress, "open", autospec=True, return_value=True) as opened,
        mock.patch("portal.tasks.send_mail.delay") as retried,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert herinneringen_sweep() == 8
    assert opened.call_count == 4  # one connection per kind, not per mail
    (mail_id,) = [c.args[0] for c in retried.call_args_list]
    refused_mail = Mail.objects.get(pk=mail_id)
    assert refused_mail.to == REFUSED and refused_mail.status == Mail.Status.QUEUED
    assert refused_mail.attempts == 1 and "no such user" in refused_mail.last_error
    assert Mail.objects.filter(status=Mail.Status.SENT, attempts=1).count() == 7
    assert len(mail.outbox) == 7


def test_a_batch_sends_no_mail_twice(django_capture_on_commit_callbacks):
    traject_with_everything_due()
    with django_capture_on_commit_callbacks(execute=True):
        herinneringen_sweep()
    assert len(mail.outbox) == 4
    assert mails_send(mail_ids=list(Mail.objects.values_list("pk", flat=True))) == []
    assert len(mail.outbox) == 4
