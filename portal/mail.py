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
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Mail, Notificatie, User
from .tasking import enqueue

# Mails a batched send claims at a time (one short transaction); each is recorded as sent
# right after it left, so a worker lost halfway through sends nothing a second time.
SEND_GROUP = 10

# How long a claim holds: longer than a group can take to send (SEND_GROUP times the
# EMAIL_TIMEOUT of one send), so a slow worker is never overtaken; after it, another worker
# may take a mail a lost worker left "sending".
MAIL_CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


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


def message_id(mail: Mail) -> str:
    """The Message-ID of a mail, the same on every attempt: a mail sent again after a worker
    was lost just as the mail server took it reaches the mailbox as the same message, which
    mail stores and clients show once."""
    domain = urlsplit(settings.SITE_URL).hostname or "lev.invalid"
    return f"<lev-mail-{mail.pk}.{int(mail.created_at.timestamp())}@{domain}>"


def email_message(mail: Mail, connection=None) -> EmailMultiAlternatives:
    """The e-mail of a queued Mail: text, HTML alternative and attachments."""
    message = EmailMultiAlternatives(
        mail.subject,
        mail.body_text,
        to=[mail.to],
        connection=connection,
        headers={"Message-ID": message_id(mail)},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for item in mail.attachments:
        message.attach(item["name"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def _claimable(now) -> Q:
    """Mails a worker may take: queued, or taken by a worker that was lost (its claim older
    than MAIL_CLAIM_TIMEOUT, longer than a send can take: EMAIL_TIMEOUT bounds each one)."""
    return Q(status=Mail.Status.QUEUED) | Q(
        status=Mail.Status.SENDING, claimed_at__lt=now - MAIL_CLAIM_TIMEOUT
    )


def _claim(mail_ids: list[int]) -> list[Mail]:
    """Take the mails of `mail_ids` that no one sends or sent, in one short transaction:
    from then on they are "sending", so no other worker sends them, and no transaction is
    held open while the mail server talks."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), pk__in=mail_ids)
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        Mail.objects.filter(pk__in=ids).update(status=Mail.Status.SENDING, claimed_at=now)
    return list(Mail.objects.filter(pk__in=ids).order_by("pk"))


def _send_one(mail: Mail, connection=None, *, final_attempt: bool = False) -> Exception | None:
    """Send one claimed mail and record the outcome at once, each in its own write: a
    worker lost halfway through a group leaves the mails it sent recorded as sent, and the
    rest "sending" until MAIL_CLAIM_TIMEOUT lets another worker take them."""
    try:
        email_message(mail, connection).send()
    except (smtplib.SMTPException, OSError) as exc:  # SMTPException is an OSError too
        Mail.objects.filter(pk=mail.pk).update(
            status=Mail.Status.FAILED if final_attempt else Mail.Status.QUEUED,
            attempts=F("attempts") + 1,
            last_error=str(exc)[:2000],
            claimed_at=None,
        )
        return exc
    Mail.objects.filter(pk=mail.pk).update(
        status=Mail.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    return None


def mails_send(*, mail_ids: list[int]) -> list[int]:
    """Send queued mails over one connection, as `mail_send` sends one: each at most
    once (a mail already sent, or held by another worker, is skipped), claimed SEND_GROUP at
    a time and recorded as sent right after it left. Returns the ids of those that failed,
    with their attempt and error recorded, for a retry on their own (`tasks.send_mail`)."""
    failed = []
    with get_connection() as connection:
        for start in range(0, len(mail_ids), SEND_GROUP):
            for mail in _claim(mail_ids[start : start + SEND_GROUP]):
                if _send_one(mail, connection) is not None:
                    failed.append(mail.pk)
    return failed


def mail_send(*, mail_id: int, final_attempt: bool = False) -> None:
    """Send a queued mail once. Raises OSError on an SMTP failure so the task retries;
    the attempt and its error are recorded first, for the admin to see."""
    for mail in _claim([mail_id]):
        error = _send_one(mail, final_attempt=final_attempt)
        if error is not None and not final_attempt:
            raise OSError(str(error)) from error


def mail_requeue_stale(*, older_than_minutes: int = 10) -> int:
    """Queue again every mail still waiting after `older_than_minutes` (a broker outage),
    and every mail a lost worker left "sending" (killed or cut off while it sent)."""
    from .mailtasks import send_mail  # mailtasks imports this module

    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=older_than_minutes)
    ids = list(
        Mail.objects.filter(
            Q(status=Mail.Status.QUEUED, created_at__lt=cutoff, attempts=0)
            | Q(status=Mail.Status.SENDING, claimed_at__lt=now - MAIL_CLAIM_TIMEOUT)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        send_mail.delay(pk)
    return len(ids)
