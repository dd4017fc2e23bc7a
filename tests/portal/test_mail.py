"""Mail goes through the queue, in the recipient's language, once."""

import pytest
from django.core import mail

from portal.mail import mail_send, mails_send
from portal.models import Mail, Notificatie
from portal.services import user_create

pytestmark = pytest.mark.django_db


def test_invitation_creates_notification_and_sends_a_set_password_mail(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(email="nieuw@example.test", first_name="Noor", last_name="Bos")
    assert not user.has_usable_password()
    assert Notificatie.objects.filter(user=user, kind="uitnodiging").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/account/password/reset/key/" in message.body
    assert "Beste Noor" in message.body
    assert message.alternatives and "Wachtwoord instellen" in message.alternatives[0][0]
    assert Mail.objects.get(user=user).status == Mail.Status.SENT


def test_invitation_in_english_for_an_english_user(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(email="en@example.test", first_name="Amy", last_name="Lee", language="en")
    assert "Dear Amy" in mail.outbox[0].body


def test_a_sent_mail_is_not_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(email="twee@example.test", first_name="A", last_name="B")
    mail_send(mail_id=Mail.objects.get(user=user).pk)
    assert len(mail.outbox) == 1


def test_failed_send_is_recorded_for_the_admin(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        user = user_create(email="fout@example.test", first_name="A", last_name="B")
    settings.EMAIL_BACKEND = "tests.portal.failing_backend.FailingBackend"
    record = Mail.objects.get(user=user)
    with pytest.raises(OSError):
        mail_send(mail_id=record.pk)
    record.refresh_from_db()
    assert record.attempts == 1 and record.status == Mail.Status.QUEUED
    assert "verbinding" in record.last_error
    mail_send(mail_id=record.pk, final_attempt=True)
    record.refresh_from_db()
    assert record.status == Mail.Status.FAILED


def test_an_apostrophe_in_a_name_reaches_the_text_mail_as_written(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(email="darcy@example.test", first_name="D'Arcy", last_name="van 't Erve")
    message = mail.outbox[0]
    assert "Beste D'Arcy" in message.body and "&#x27;" not in message.body
    assert "D&#x27;Arcy" in message.alternatives[0][0]  # the HTML part is escaped as HTML


class _Probe(str):
    """A value for every name a mail template uses: any attribute or key of it is the same
    text, with the characters HTML escaping would change."""

    TEXT = "O'Neil & <Co>"

    def __new__(cls):
        return super().__new__(cls, cls.TEXT)

    #: Asked by the date filters, which then write nothing for a value that is no date.
    DATE_PARTS = frozenset(
        "year month day hour minute second microsecond tzinfo weekday isoweekday "
        "isocalendar timetuple utcoffset toordinal".split()
    )

    def __getattr__(self, name):
        if name.startswith("__") or name in self.DATE_PARTS:
            raise AttributeError(name)
        return _Probe()

    def __getitem__(self, key):
        return _Probe()


def test_no_text_mail_is_html_escaped():
    """Every text template (also the subject, its first line) shows names, titles and school
    names as written; the HTML part escapes them."""
    import re
    from pathlib import Path

    from django.conf import settings

    from portal.mail import render_mail

    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    templates = sorted(path.stem for path in folder.glob("*.txt"))
    assert len(templates) >= 20
    for name in templates:
        source = (folder / f"{name}.txt").read_text()
        context = {word: _Probe() for word in set(re.findall(r"[A-Za-z_]\w*", source))}
        context.pop("url", None)  # made absolute by render_mail
        subject, text, html = render_mail(name, context, "nl")
        assert _Probe.TEXT in subject + text, name
        assert "&#x27;" not in subject + text and "&amp;" not in subject + text, name
        assert "&lt;Co&gt;" in html or _Probe.TEXT not in html, name


def _queued(n: int = 1) -> list[Mail]:
    return [
        Mail.objects.create(to=f"p{i}@school.test", kind="k", subject=f"S{i}", body_text="t")
        for i in range(n)
    ]


def test_a_mail_another_worker_is_sending_is_left_alone_until_its_claim_runs_out():
    """Issue 19: a worker takes a mail ("sending") before it talks to the mail server; a
    second worker leaves it alone, unless the first was lost (its claim ran out)."""
    from django.utils import timezone

    from portal.mail import MAIL_CLAIM_TIMEOUT, mail_requeue_stale

    (record,) = _queued()
    Mail.objects.filter(pk=record.pk).update(status="sending", claimed_at=timezone.now())
    mail_send(mail_id=record.pk)
    assert mails_send(mail_ids=[record.pk]) == []
    assert mail.outbox == [] and mail_requeue_stale() == 0
    long_ago = timezone.now() - MAIL_CLAIM_TIMEOUT - timezone.timedelta(seconds=1)
    Mail.objects.filter(pk=record.pk).update(claimed_at=long_ago)
    assert mail_requeue_stale() == 1  # eager here: sent by the task it queued
    assert len(mail.outbox) == 1
    record.refresh_from_db()
    assert record.status == Mail.Status.SENT and record.attempts == 1


def test_each_mail_of_a_batch_is_recorded_as_sent_as_soon_as_it_left(settings):
    """A failing send in the middle of a batch: the ones before and after are sent and
    recorded; the failed one waits, with its error, for a retry of its own."""
    records = _queued(3)
    settings.EMAIL_BACKEND = "tests.portal.failing_backend.FailOnSubjectBackend"
    settings.LEV_TEST_FAIL_SUBJECT = "S1"
    assert mails_send(mail_ids=[r.pk for r in records]) == [records[1].pk]
    status = dict(Mail.objects.values_list("subject", "status"))
    assert status == {"S0": "sent", "S1": "queued", "S2": "sent"}
    assert [m.subject for m in mail.outbox] == ["S0", "S2"]


def test_every_attempt_of_a_mail_carries_the_same_message_id():
    """A mail sent again after a lost worker is recognisably the same message."""
    from portal.mail import email_message, message_id

    (record,) = _queued()
    first, second = email_message(record), email_message(record)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == message_id(record)
    assert message_id(record) != message_id(_queued()[0])
    mail_send(mail_id=record.pk)
    assert mail.outbox[0].message()["Message-ID"] == message_id(record)
