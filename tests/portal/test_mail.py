"""Mail goes through the queue, in the recipient's language, once."""

import pytest
from django.core import mail

from portal.models import Mail, Notificatie
from portal.services import mail_send, user_create

pytestmark = pytest.mark.django_db


def test_invitation_creates_notification_and_sends_a_set_password_mail(django_capture_on_commit_callbacks):
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
