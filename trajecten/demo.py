"""Demo data for trajecten: intake, ontwikkelpunten, scholingsplannen and logboek.

Called by `manage.py demo` after the core demo. Idempotent: each part is created only when
its natural key (the traject's onderzoek, plan or log) does not exist yet. Records are made
directly, not through the services, so that the demo can have dates in the past and sends
no mail.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.demo import DemoContext, demo_user
from portal.models import User

from . import lifecycle
from .models import (
    Activiteit,
    Activiteitvoortgang,
    Bekwaamheidsgebied,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekreactie,
    Logboekregel,
    Ontwikkelpunt,
    Planopmerking,
    Rol,
    Scholingsplan,
    Scholingsplanversie,
    Traject,
)

# n: [(gebied code, titel, omschrijving)]
PUNTEN = {
    1: [
        (
            "pedagogisch",
            "Klassenmanagement bij overgangsmomenten",
            "Rust bewaren bij wisselingen tussen lessen en na de pauze.",
        ),
        (
            "vakdidactisch",
            "Instructie volgens het directe-instructiemodel",
            "Korte, heldere instructie met begeleide inoefening.",
        ),
        (
            "vakinhoudelijk",
            "Rekenen in groep 5",
            "Vakkennis van breuken en verhoudingen op het niveau van groep 5-6.",
        ),
    ],
    2: [
        (
            "vakdidactisch",
            "Differentiëren in de rekenles",
            "Drie niveaus in de les, met verlengde instructie.",
        ),
        ("vakinhoudelijk", "Taal voor NT2-leerlingen", "Woordenschatdidactiek en taalsteun."),
        ("pedagogisch", "Oudergesprekken voeren", "Voorbereiden en voeren van oudergesprekken."),
        (
            "vakdidactisch",
            "Toetsgegevens gebruiken",
            "Resultaten uit het leerlingvolgsysteem vertalen naar de groepsplanning.",
        ),
    ],
    3: [
        (
            "pedagogisch",
            "Groepsvorming in de eerste weken",
            "Afspraken en routines met de groep opbouwen.",
        ),
        ("vakdidactisch", "Begrijpend lezen", "Strategieën voor begrijpend lezen aanleren."),
    ],
    4: [
        ("pedagogisch", "Pedagogisch klimaat", "Een veilige, voorspelbare klas."),
        ("vakinhoudelijk", "Wereldoriëntatie", "Vakkennis aardrijkskunde en geschiedenis."),
        ("vakdidactisch", "Lesvoorbereiding", "Lesdoelen formuleren en evalueren."),
    ],
}

# Per ontwikkelpunt (by index): [(omschrijving, ondersteuning, start month, months)]
ACTIVITEITEN = {
    1: [
        [
            ("Module Klassenmanagement (pabo, blok 1)", ["slb"], 0, 3),
            ("Twee observaties bij de coach tijdens overgangen", ["coach"], 1, 2),
        ],
        [
            ("Module Didactiek en instructie", ["slb"], 2, 4),
            ("Instructie filmen en nabespreken", ["coach", "duo"], 3, 3),
        ],
        [("Module Rekendidactiek 1", ["slb"], 4, 4)],
    ],
    2: [
        [("Module Differentiatie", ["slb"], 0, 4), ("Lesbezoek met nabespreking", ["coach"], 4, 2)],
        [("Module Taal en NT2", ["slb"], 2, 5)],
        [
            ("Oefengesprek met de coach", ["coach"], 6, 2),
            ("Meelopen bij tien-minutengesprekken", ["coach"], 8, 2),
        ],
        [("Workshop leerlingvolgsysteem", ["slb"], 10, 2)],
    ],
    3: [
        [
            ("Module Groepsdynamica", ["slb"], 0, 3),
            ("Kringgesprekken voorbereiden met de coach", ["coach"], 0, 2),
        ],
        [("Module Begrijpend lezen", ["slb"], 2, 4)],
    ],
    4: [
        [("Module Pedagogiek", ["slb"], 0, 4)],
        [("Module Wereldoriëntatie", ["slb"], 3, 5)],
        [("Lesvoorbereidingen laten beoordelen door de coach", ["coach"], 1, 6)],
    ],
}

LOG_ENTRIES = [
    # (days after start, wat er gebeurde, geleerd, punt indexes, coach reaction)
    (
        12,
        "Eerste week voor groep 5. De overgang na de pauze liep rommelig: het duurde tien "
        "minuten voordat iedereen zat.",
        "Ik moet de routine na de pauze vooraf met de klas oefenen.",
        [0],
        "Goed dat je dit zo eerlijk opschrijft. Probeer morgen een vast signaal bij de deur.",
    ),
    (
        40,
        "Rekenles over breuken gegeven met de pizzaplaat.",
        "De kinderen begrepen het beter met concreet materiaal dan met het boek.",
        [2],
        "",
    ),
    (
        75,
        "Instructie gefilmd en met de coach bekeken.",
        "Mijn instructie duurde 20 minuten; de helft van de klas haakte na 10 minuten af.",
        [1],
        "Mooie analyse. Volgende keer: maximaal 10 minuten en dan een korte check.",
    ),
    (
        110,
        "Module Klassenmanagement afgerond met de eindopdracht.",
        "De theorie over proactief klassenmanagement helpt me vooruit te denken.",
        [0],
        "",
    ),
    (
        150,
        "Directe instructie toegepast bij spelling, met begeleide inoefening aan de "
        "instructietafel.",
        "Kinderen die extra hulp nodig hebben zie ik nu eerder.",
        [1],
        "",
    ),
    (
        200,
        "Overgangen gaan nu vlot; de klas kent de routines.",
        "Voorspelbaarheid geeft rust, ook voor mij.",
        [0, 1],
        "Dat zie ik terug in de klas. Knap gedaan!",
    ),
]


def _tiny_pdf(title: str) -> bytes:
    """A small valid one-page PDF with a line of text, for the demo reports."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=1)


def _onderzoek(traject: Traject, n: int, slb: User) -> list[Ontwikkelpunt]:
    if Geschiktheidsonderzoek.objects.filter(traject=traject).exists():
        return list(Ontwikkelpunt.objects.filter(traject=traject).order_by("order", "pk"))
    datum = traject.start_date - datetime.timedelta(days=30)
    naam = traject.zij_instromer.get_full_name()
    onderzoek = Geschiktheidsonderzoek(
        traject=traject,
        datum=datum,
        uitkomst=Geschiktheidsonderzoek.Uitkomst.POSITIEF,
        kan_direct_lesgeven="Ja, met begeleiding van een coach in de eerste maanden. "
        "Goede presentatie en natuurlijk overwicht.",
        kan_binnen_twee_jaar="Ja. De vooropleiding (hbo/wo) en de motivatie maken dit "
        "haalbaar binnen twee jaar.",
        scholing_en_ondersteuning="Modules didactiek en pedagogiek bij de pabo, een coach op "
        "school en studieloopbaanbegeleiding; zie de ontwikkelpunten.",
        vastgelegd_door=slb,
        rapport_naam=f"Geschiktheidsonderzoek {naam}.pdf",
    )
    onderzoek.rapport.save(
        "rapport.pdf", ContentFile(_tiny_pdf(f"Geschiktheidsonderzoek {naam}")), save=False
    )
    onderzoek.save()
    Geschiktheidsonderzoek.objects.filter(pk=onderzoek.pk).update(created_at=_at(datum, 15))
    gebieden = _gebieden()
    return [
        Ontwikkelpunt.objects.create(
            traject=traject,
            gebied=gebieden[code],
            titel=titel,
            omschrijving=omschrijving,
            order=i,
        )
        for i, (code, titel, omschrijving) in enumerate(PUNTEN[n], start=1)
    ]


GEBIEDEN = [
    ("vakinhoudelijk", "Vakinhoudelijk bekwaam", "Subject-matter competence", 1),
    ("vakdidactisch", "Vakdidactisch bekwaam", "Subject-teaching competence", 2),
    ("pedagogisch", "Pedagogisch bekwaam", "Pedagogical competence", 3),
]


def _gebieden() -> dict[str, Bekwaamheidsgebied]:
    """The three areas, seeded by migration 0002; recreated here when a test database was
    flushed after migrating (browser tests)."""
    return {
        code: Bekwaamheidsgebied.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )[0]
        for code, name, name_en, order in GEBIEDEN
    }


def _version(plan, nummer, status, created_by, created, toelichting="") -> Scholingsplanversie:
    versie = Scholingsplanversie.objects.create(
        plan=plan,
        nummer=nummer,
        status=status,
        created_by=created_by,
        toelichting=toelichting,
        submitted_at=_at(created + datetime.timedelta(days=5))
        if status != Scholingsplanversie.Status.CONCEPT
        else None,
        vastgesteld_op=_at(created + datetime.timedelta(days=12), 16)
        if status == Scholingsplanversie.Status.VASTGESTELD
        else None,
    )
    Scholingsplanversie.objects.filter(pk=versie.pk).update(created_at=_at(created))
    return versie


def _activities(versie, traject, punten, n) -> list[Activiteit]:
    made = []
    for punt, items in zip(punten, ACTIVITEITEN[n], strict=False):
        for order, (omschrijving, support, offset, months) in enumerate(items, start=1):
            van = _add_months(traject.start_date, offset)
            tot = min(_add_months(van, months) - datetime.timedelta(days=1), traject.end_date)
            made.append(
                Activiteit.objects.create(
                    versie=versie,
                    ontwikkelpunt=punt,
                    omschrijving=omschrijving,
                    ondersteuning=support,
                    periode_van=van,
                    periode_tot=tot,
                    order=order,
                )
            )
    return made


def _agree(versie, traject, schoolleider: User, day: datetime.date) -> None:
    for partij, user, rol, hours in (
        (Instemming.Partij.ZIJ_INSTROMER, traject.zij_instromer, Rol.ZIJ_INSTROMER, 9),
        (Instemming.Partij.SCHOOL, schoolleider, Rol.SCHOOLLEIDER, 11),
        (Instemming.Partij.OPLEIDING, traject.slb, Rol.SLB, 16),
    ):
        Instemming.objects.create(
            versie=versie, partij=partij, user=user, rol=rol, at=_at(day, hours)
        )


def _copy(versie, activiteiten) -> list[Activiteit]:
    return [
        Activiteit.objects.create(
            versie=versie,
            key=a.key,
            ontwikkelpunt=a.ontwikkelpunt,
            omschrijving=a.omschrijving,
            ondersteuning=list(a.ondersteuning),
            periode_van=a.periode_van,
            periode_tot=a.periode_tot,
            order=a.order,
        )
        for a in activiteiten
    ]


def _done(plan, activiteiten, user, count=None) -> None:
    for a in activiteiten[:count]:
        Activiteitvoortgang.objects.get_or_create(
            plan=plan,
            key=a.key,
            defaults={"afgerond": True, "gewijzigd_door": user},
        )


def _plan(traject, n, punten, ctx: DemoContext, schoolleider: User) -> None:
    if Scholingsplan.objects.filter(traject=traject).exists():
        return
    slb = traject.slb
    plan = Scholingsplan.objects.create(traject=traject)
    start = traject.start_date
    vast = Scholingsplanversie.Status.VASTGESTELD
    if n == 3:
        versie = _version(
            plan,
            1,
            Scholingsplanversie.Status.CONCEPT,
            slb,
            min(start + datetime.timedelta(days=20), ctx.today),
        )
        _activities(versie, traject, punten, n)
        Planopmerking.objects.create(
            versie=versie,
            auteur=traject.zij_instromer,
            tekst="Kan de module Begrijpend lezen eerder? Ik geef het al vanaf volgende maand.",
        )
        return
    v1 = _version(plan, 1, vast, slb, start + datetime.timedelta(days=7))
    first = _activities(v1, traject, punten, n)
    _agree(v1, traject, schoolleider, start + datetime.timedelta(days=19))
    current = first
    if n == 1:
        v2 = _version(
            plan,
            2,
            vast,
            slb,
            start + datetime.timedelta(days=120),
            toelichting="Na het tweede driemaandelijkse gesprek: de rekenmodule schuift een "
            "maand op (roostervrij in blok 3) en er komt een observatie bij een "
            "collega van groep 6 bij.",
        )
        current = _copy(v2, first)
        rekenen = current[-1]
        rekenen.periode_van = _add_months(rekenen.periode_van, 1)
        rekenen.periode_tot = min(
            _add_months(rekenen.periode_tot + datetime.timedelta(days=1), 1)
            - datetime.timedelta(days=1),
            traject.end_date,
        )
        rekenen.omschrijving = "Module Rekendidactiek 1 (blok 3)"
        rekenen.save(update_fields=["periode_van", "periode_tot", "omschrijving"])
        current.append(
            Activiteit.objects.create(
                versie=v2,
                ontwikkelpunt=punten[2],
                omschrijving="Observatie rekenles in groep 6",
                ondersteuning=["duo"],
                periode_van=_add_months(start, 5),
                periode_tot=_add_months(start, 6) - datetime.timedelta(days=1),
                order=2,
            )
        )
        _agree(v2, traject, schoolleider, start + datetime.timedelta(days=132))
        _done(plan, current, traject.zij_instromer, count=3)
    elif n == 2:
        _done(plan, current, traject.zij_instromer, count=4)
    elif n == 4:
        _done(plan, current, traject.zij_instromer)


def _logboek(traject, punten, today) -> None:
    if Logboekregel.objects.filter(traject=traject).exists():
        return
    for days, wat, geleerd, idx, reactie in LOG_ENTRIES:
        datum = min(traject.start_date + datetime.timedelta(days=days), today)
        regel = Logboekregel.objects.create(
            traject=traject, datum=datum, wat_er_gebeurde=wat, geleerd=geleerd
        )
        Logboekregel.objects.filter(pk=regel.pk).update(
            created_at=_at(datum, 20), updated_at=_at(datum, 20)
        )
        regel.ontwikkelpunten.set([punten[i] for i in idx])
        if reactie and traject.coach:
            r = Logboekreactie.objects.create(
                regel=regel, auteur=traject.coach, rol=Rol.COACH, tekst=reactie
            )
            Logboekreactie.objects.filter(pk=r.pk).update(
                created_at=_at(min(datum + datetime.timedelta(days=1), today), 8)
            )


def _former_school_leader() -> User:
    """Who agreed for Sint-Jozefschool back then; the account is no longer active."""
    email = "oud-schoolleider-jozef@lev.test"
    return demo_user(email, "Gerard", "Hoekstra", is_active=False)


def load(ctx: DemoContext) -> None:
    leaders = {
        1: ctx.user("schoolleider1"),
        2: ctx.user("schoolleider2"),
        3: ctx.user("schoolleider1"),
        4: _former_school_leader(),
    }
    for n, traject in sorted(ctx.trajecten.items()):
        if n not in PUNTEN:
            continue
        punten = _onderzoek(traject, n, traject.slb or ctx.user("slb1"))
        _plan(traject, n, punten, ctx, leaders[n])
        if n == 1:
            _logboek(traject, punten, ctx.today)
    # The records above are written back-dated, without the services that move the phase:
    # give each traject the phase they put it in (the later apps' loaders move it on).
    lifecycle.store_derived([t.pk for t in ctx.trajecten.values()])
