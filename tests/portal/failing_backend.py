from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("geen verbinding met de mailserver")


class FailOnSubjectBackend(BaseEmailBackend):
    """Refuses the one message whose subject is settings.LEV_TEST_FAIL_SUBJECT; the others
    go to the test outbox as with the locmem backend."""

    def send_messages(self, email_messages):
        from django.conf import settings
        from django.core import mail

        for message in email_messages:
            if message.subject == settings.LEV_TEST_FAIL_SUBJECT:
                raise ConnectionRefusedError("geen verbinding met de mailserver")
            mail.outbox.append(message)
        return len(email_messages)
