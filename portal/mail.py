"""Mail and in-app notifications.

`notify` is the one way the portal tells a person something: it records a Notificatie, and
unless the person switched that kind of mail off, renders a mail pair (text and HTML, in the
person's language) from `templates/emails/<template>.txt|.html` and queues it. A Celery task
sends it after the transaction commits, retrying with back-off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .models import Mail, Notificatie, User
from .tasking import enqueue


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
    from .tasks import send_mail  # noqa: PLC0415  (tasks import this module)

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
    if template and user.is_active and (force_mail or kind not in (user.muted_mail_kinds or [])):
        mail_queue(
            to=user,
            kind=kind,
            template=template,
            context={"user": user, "url": url, **(context or {})},
            attachments=attachments,
        )
    return note
