"""Mail and in-app notifications.

`notify` is the one way the portal tells a person something: it records a Notificatie, and
unless the person switched that kind of mail off, renders a mail pair (text and HTML, in the
person's language) from `templates/emails/<template>.txt|.html` and queues it. A Celery task
sends it after the transaction commits, retrying with back-off. `notify_bulk` does the same for
many people at once (the reminder sweeps): one insert for the notifications, one for the mails,
and one task that sends them all over one connection (`mails_send`).
"""

from __future__ import annotations

import base64
import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Mail, Notificatie, User
from .tasking import enqueue

# Mails a batched send commits at a time: a mail that left is recorded as sent soon after,
# and a worker lost halfway through a group sends at most this many a second time (kept
# small: a person should not get the same reminder twice; one transaction per mail cost the
# catch-up sweep several seconds).
SEND_GROUP = 10


@dataclass(frozen=True)
class Message:
    """One notification for `notify_bulk`: the arguments `notify` takes, as a value."""

    user: User
    kind: str
    text: str
    url: str = ""
    template: str | None = None
    context: dict = field(default_factory=dict)


def absolute_url(path: str) -> str:
    """The full URL of a portal path, for links in mails and calendar feeds."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def render_text(name: str, context: dict) -> str:
    """A plain-text template, without HTML escaping: a text mail is not HTML. Escaped, a name
    such as "van 't Erve" or a school "De Boog & De Brug" reached the reader as
    "van &#x27;t Erve" and "De Boog &amp; De Brug" (in the subject too)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render (subject, text, html) of `templates/emails/<template>` in `language`.

    The subject is the first line of the text template; the rest is the body. The HTML part
    is escaped as any page; the text part is not (render_text).
    """
    ctx = {"site_url": settings.SITE_URL, "portal_name": "Lev", **context}
    if "url" in ctx:
        ctx["url"] = absolute_url(ctx["url"])
    with translation.override(language):
        text = render_text(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n", html


def _wants_mail(user: User, kind: str, *, force: bool = False) -> bool:
    """Whether `user` gets a mail of `kind`: not when inactive or when they muted the kind."""
    return user.is_active and (force or kind not in (user.muted_mail_kinds or []))


@transaction.atomic
def mail_queue(
    *, to: User, kind: str, template: str, context: dict, attachments: list | None = None
) -> Mail:
    """Render a mail for `to` and queue it; the send runs after commit."""
    subject, text, html = render_mail(template, context, to.language)
    mail = Mail.objects.create(
        to=to.email,
        user=to,
        kind=kind,
        subject=f"[Lev] {subject}",
        body_text=text,
        body_html=html,
        attachments=attachments or [],
    )
    from .mailtasks import send_mail  # mailtasks imports this module

    enqueue(send_mail, mail.pk)
    return mail


@transaction.atomic
def notify(
    *,
    user: User,
    kind: str,
    text: str,
    url: str = "",
    template: str | None = None,
    context: dict | None = None,
    attachments: list | None = None,
    force_mail: bool = False,
) -> Notificatie:
    """Tell `user` about an event: an in-app notification and (unless muted) a mail.

    `text` is stored as given: pass it already translated into the user's language
    (wrap the call in `translation.override(user.language)`).
    """
    note = Notificatie.objects.create(user=user, kind=kind, text=text[:300], url=url)
    if template and _wants_mail(user, kind, force=force_mail):
        mail_queue(
            to=user,
            kind=kind,
            template=template,
            context={"user": user, "url": url, **(context or {})},
            attachments=attachments,
        )
    return note


@transaction.atomic
def notify_bulk(*, messages: list[Message]) -> list[Notificatie]:
    """`notify` for many people at once, in a fixed number of queries: the Notificaties in
    one insert, the mails (the same templates and context as `notify`, each rendered in its
    recipient's language, left out for a muted kind or an inactive person) in another, and
    one task after commit that sends them over one connection (`mails_send`; one that fails
    is retried on its own, so that a failing address holds up no other).
    """
    from .mailtasks import send_mails  # mailtasks imports this module

    notes = Notificatie.objects.bulk_create(
        [Notificatie(user=m.user, kind=m.kind, text=m.text[:300], url=m.url) for m in messages]
    )
    mails = []
    for m in messages:
        if not (m.template and _wants_mail(m.user, m.kind)):
            continue
        subject, text, html = render_mail(
            m.template, {"user": m.user, "url": m.url, **m.context}, m.user.language
        )
        mails.append(
            Mail(
                to=m.user.email,
                user=m.user,
                kind=m.kind,
                subject=f"[Lev] {subject}",
                body_text=text,
                body_html=html,
                attachments=[],
            )
        )
    if mails:
        enqueue(send_mails, [mail.pk for mail in Mail.objects.bulk_create(mails)])
    return notes


def email_message(mail: Mail, connection=None) -> EmailMultiAlternatives:
    """The e-mail of a queued Mail: text, HTML alternative and attachments."""
    message = EmailMultiAlternatives(
        mail.subject, mail.body_text, to=[mail.to], connection=connection
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for item in mail.attachments:
        message.attach(item["name"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def mails_send(*, mail_ids: list[int]) -> list[int]:
    """Send queued mails over one connection, as `mail_send` sends one: each at most
    once (a mail already sent, or held by another worker, is skipped), recorded as sent in
    the transaction of its group of SEND_GROUP. Returns the ids of those that failed, with
    their attempt and error recorded, for a retry on their own (`tasks.send_mail`)."""
    failed = []
    with get_connection() as connection:
        for start in range(0, len(mail_ids), SEND_GROUP):
            failed += _send_group(connection, mail_ids[start : start + SEND_GROUP])
    return failed


@transaction.atomic
def _send_group(connection, mail_ids: list[int]) -> list[int]:
    mails = (
        Mail.objects.select_for_update(skip_locked=True)
        .filter(pk__in=mail_ids, status=Mail.Status.QUEUED)
        .order_by("pk")
    )
    sent, failed = [], []
    for mail in mails:
        try:
            email_message(mail, connection).send()
        except OSError as exc:  # smtplib.SMTPException is one too
            mail.attempts += 1
            mail.last_error = str(exc)[:2000]
            mail.save(update_fields=["attempts", "last_error"])
            failed.append(mail.pk)
        else:
            sent.append(mail.pk)
    Mail.objects.filter(pk__in=sent).update(
        status=Mail.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    return failed


def mail_send(*, mail_id: int, final_attempt: bool = False) -> None:
    """Send a queued mail once. Raises OSError on an SMTP failure so the task retries;
    the attempt and its error are recorded first, for the admin to see."""
    error = None
    with transaction.atomic():
        mail = Mail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == Mail.Status.SENT:
            return
        message = email_message(mail)
        mail.attempts += 1
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            error = exc
            mail.last_error = str(exc)[:2000]
            mail.status = Mail.Status.FAILED if final_attempt else Mail.Status.QUEUED
            mail.save(update_fields=["attempts", "last_error", "status"])
        else:
            mail.status = Mail.Status.SENT
            mail.sent_at = timezone.now()
            mail.save(update_fields=["attempts", "status", "sent_at"])
    if error is not None and not final_attempt:
        raise OSError(str(error)) from error


def mail_requeue_stale(*, older_than_minutes: int = 10) -> int:
    """Queue again every mail still waiting after `older_than_minutes` (broker outage)."""
    from .mailtasks import send_mail  # mailtasks imports this module

    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    ids = list(
        Mail.objects.filter(
            status=Mail.Status.QUEUED, created_at__lt=cutoff, attempts=0
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        send_mail.delay(pk)
    return len(ids)
