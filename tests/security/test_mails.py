"""Every mail the portal sends renders in Dutch and in English, with the portal's name and a
link to the page.

The contexts are real: the demo data and a handful of services produce every kind of mail
once, and each is rendered again in both languages. A mail template without a real sender
here fails the suite.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

import portal.mail as portal_mail

pytestmark = pytest.mark.django_db

DUTCH_MARKERS = re.compile(r"\b(je|jouw|wordt|niet|Beste|gesprek|afspraak|verslag)\b")


def mail_templates() -> set[str]:
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    return {p.stem for p in folder.glob("*.txt") if not p.stem.startswith("_")}


@pytest.fixture(scope="module")
def captured(world, django_db_blocker):
    """(template -> context) of every mail the demo and the services below send."""
    from django.db import transaction

    from gesprekken import services as gs
    from gesprekken.models import Gesprek
    from portal.services import startbijeenkomst_plan, user_create
    from trajecten import services as ts
    from trajecten.models import Instemming, Scholingsplanversie, Traject

    seen: dict[str, dict] = dict(world.objects.get("mail_contexts", {}))
    original = portal_mail.render_mail

    def record(template, context, language):
        seen.setdefault(template, context)
        return original(template, context, language)

    portal_mail.render_mail = record
    u = world.users
    t1 = world["t1"]
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            start = timezone.now() + datetime.timedelta(days=40)
            extra = gs.gesprek_add(
                traject=t1,
                actor=u["slb1"],
                starts_at=start,
                duration_minutes=60,
                location="Lokaal 4",
                video_url="",
            )
            extra = Gesprek.objects.get(pk=getattr(extra, "pk", extra))
            gs.gesprek_move(
                gesprek=extra,
                actor=u["slb1"],
                sequence=extra.sequence,
                starts_at=start + datetime.timedelta(days=1),
                duration_minutes=60,
                location="Lokaal 5",
                video_url="",
            )
            from tests.factories import GesprekFactory

            yesterday = timezone.localdate() - datetime.timedelta(days=1)
            past = GesprekFactory(
                traject=t1,
                soort=Gesprek.Soort.EXTRA,
                cycle_number=None,
                planned_for=yesterday,
                starts_at=timezone.now() - datetime.timedelta(days=1),
            )
            gs.herinnering_send(soort="verslag", recipient_id=u["slb1"].pk, gesprek_id=past.pk)
            startbijeenkomst_plan(
                partnerschap=t1.school.bestuur.partnerschap,
                title="Start cohort",
                cohort_start=t1.start_date,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                location="Pabo",
                planned_by=u["coord"],
            )
            ts.logboekreactie_add(
                regel=world["regel"], user=u["coach1"], rol="coach", tekst="Mooi gedaan!"
            )
            ts.traject_role_change(traject=t1, rol="duo", user=u["coach2"], door=u["coord"])
            ts.traject_verlengen(
                traject=t1,
                tot=t1.end_date + datetime.timedelta(days=60),
                reden="Ziekte",
                akkoord="schoolleider en opleiding",
                door=u["coord"],
            )
            user_create(email="nieuw-mailtest@example.test", first_name="Noor", last_name="Bos")
            t3 = Traject.objects.get(zij_instromer__email="zijinstromer3@lev.test")
            draft = Scholingsplanversie.objects.filter(
                plan__traject=t3, status=Scholingsplanversie.Status.CONCEPT
            ).first()
            if draft is not None:
                ts.scholingsplan_submit(versie=draft, user=u["slb1"])
                for partij, person, rol in (
                    (Instemming.Partij.ZIJ_INSTROMER, t3.zij_instromer, "zij_instromer"),
                    (Instemming.Partij.SCHOOL, u["sl1"], "schoolleider"),
                    (Instemming.Partij.OPLEIDING, u["slb1"], "slb"),
                ):
                    ts.scholingsplan_agree(versie=draft, user=person, partij=partij, rol=rol)
            transaction.set_rollback(True)
    finally:
        portal_mail.render_mail = original
    return seen


def test_every_mail_template_is_sent_somewhere(captured):
    assert mail_templates() - set(captured) == set()


@pytest.mark.parametrize("template", sorted(mail_templates()))
def test_mail_renders_in_dutch_and_english(captured, template):
    context = captured.get(template)
    assert context is not None, f"{template} was not sent by any flow"
    nl = portal_mail.render_mail(template, context, "nl")
    en = portal_mail.render_mail(template, context, "en")
    for subject, text, html in (nl, en):
        assert subject.strip(), "empty subject"
        assert "Lev" in html and "Lev" in text + subject
        if context.get("url"):
            url = portal_mail.absolute_url(context["url"])
            assert url in text and url in html
    assert en[0] != nl[0], f"{template}: the subject is not translated"
    assert en[1] != nl[1], f"{template}: the text is not translated"
    # What people wrote themselves (names, titles, questions) may be Dutch: leave it out.
    body = en[1]
    for value in context.values():
        for text in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(text, str) or hasattr(text, "pk"):
                body = body.replace(str(text), "")
            if hasattr(text, "get_full_name"):
                body = body.replace(text.get_full_name(), "").replace(text.first_name, "")
    leftover = DUTCH_MARKERS.findall(re.sub(r"https?://\S+", "", body))
    assert not leftover, f"{template}: Dutch words in the English mail: {leftover}"
