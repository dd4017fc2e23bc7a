"""The demo data as a test world: named people and one object of every kind, so that every
URL of the portal can be tried by every kind of person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.management import call_command
from django.utils import timezone

from portal.models import Partnerschap, Startbijeenkomst, User

PEOPLE = {
    "zi1": "zijinstromer1@lev.test",
    "coach1": "coach1@lev.test",
    "slb1": "slb1@lev.test",
    "duo1": "duo1@lev.test",
    "sl1": "schoolleider1@lev.test",
    "coord": "coordinator@lev.test",
    "zi2": "zijinstromer2@lev.test",
    "coach2": "coach2@lev.test",
    "sl2": "schoolleider2@lev.test",
    "docent": "docent1@lev.test",
    "av": "assessor-veld@lev.test",
    "ao": "assessor-opleiding@lev.test",
}


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


def build() -> World:
    import portal.mail as portal_mail
    from bekwaamheid.models import Bewijsstuk, Onderzoeksopdracht, Opdracht, Proeve
    from conftest import ensure_reference_data
    from gesprekken.models import Afspraak, Gesprek, SignaalTag
    from trajecten.models import Logboekregel, Scholingsplanversie, Traject

    ensure_reference_data()
    contexts: dict[str, dict] = {}
    original = portal_mail.render_mail

    def record(template, context, language):
        contexts.setdefault(template, context)
        return original(template, context, language)

    portal_mail.render_mail = record
    try:
        call_command("demo", verbosity=0)
        from gesprekken import tasks

        # The sweeps write their reminders in bulk (notifications and mails, whose templates
        # `record` sees); a reminder of a chunk that failed is queued on its own after
        # commit, and the world never commits, so such a one is sent in-line here.
        queued, tasks.enqueue = tasks.enqueue, lambda task, *a, **kw: task(*a, **kw)
        try:
            tasks.herinneringen_sweep()
            tasks.digest_slb_sweep()
        finally:
            tasks.enqueue = queued
    finally:
        portal_mail.render_mail = original
    world = World()
    for key, email in PEOPLE.items():
        world.users[key] = User.objects.get(email=email)
    world.users["outsider"] = User.objects.create_user(
        email="buitenstaander@example.test",
        password="test-wachtwoord-123",
        first_name="Bo",
        last_name="Buiten",
    )
    zi1 = world.users["zi1"]
    t1 = Traject.objects.get(zij_instromer=zi1)
    ps = Partnerschap.objects.get()
    o = world.objects
    o["mail_contexts"] = contexts
    o["t1"] = t1
    from portal.models import Inzageverzoek

    o["inzage"] = Inzageverzoek.objects.create(
        persoon=world.users["zi1"],
        partnerschap=ps,
        ontvangen_op=timezone.localdate(),
        geregistreerd_door=world.users["coord"],
    )
    o["gesprek"] = Gesprek.objects.filter(traject=t1).order_by("starts_at").last()
    o["gesprek_verslag"] = (
        Gesprek.objects.filter(traject=t1, verslag__isnull=False).order_by("starts_at").last()
    )
    o["afspraak"] = Afspraak.objects.filter(verslag__gesprek__traject=t1).first()
    o["regel"] = Logboekregel.objects.filter(traject=t1).order_by("pk").first()
    o["regel_bijlage"] = Logboekregel.objects.filter(traject=t1).exclude(bijlage="").first()
    if o["regel_bijlage"] is None:
        from django.core.files.base import ContentFile

        regel = o["regel"]
        regel.bijlage.save("les.pdf", ContentFile(b"%PDF-1.4 lesplan"), save=False)
        regel.bijlage_naam = "les.pdf"
        regel.save(update_fields=["bijlage", "bijlage_naam"])
        o["regel_bijlage"] = regel
    o["planversie"] = (
        Scholingsplanversie.objects.filter(plan__traject=t1).order_by("nummer").first()
    )
    o["werk"] = Onderzoeksopdracht.objects.filter(dossier__traject=t1).order_by("pk").first()
    o["criterium"] = o["werk"].criteria.first()
    o["bewijsstuk"] = (
        Bewijsstuk.objects.filter(onderzoeksopdracht__dossier__traject=t1)
        .exclude(bestand="")
        .first()
    )
    o["opdracht"] = Opdracht.objects.filter(uitwerkingen__dossier__traject=t1).first()
    o["proeve"] = Proeve.objects.get(dossier__traject__zij_instromer=world.users["zi2"])
    o["proeve_afgerond"] = Proeve.objects.get(
        dossier__traject__zij_instromer__email="zijinstromer4@lev.test", status="afgerond"
    )
    o["proeve_bewijsstuk"] = o["proeve"].bewijsstukken.first()
    o["tag"] = SignaalTag.objects.filter(partnerschap=ps).first()
    start = timezone.now() + datetime.timedelta(days=20)
    o["startbijeenkomst"] = Startbijeenkomst.objects.create(
        partnerschap=ps,
        title="Start",
        cohort_start=t1.start_date,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Pabo",
    )
    o["startbijeenkomst"].uitnodigingen.create(user=world.users["coach1"], rol="coach")
    return world
