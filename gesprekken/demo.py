"""Demo data for the conversation cycle (idempotent: a second run changes nothing).

- every demo traject gets its quarterly cycle, past conversations included;
- zijinstromer1, 2 and 4 have signed reports with afspraken and signalen for every past
  conversation (zijinstromer4, finished, has the full history, with an addendum);
- zijinstromer1's next conversation is moved to ten days from now and the side-entrant has
  not prepared it, so the reminder sweep has work to do; one of their afspraken is overdue.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.demo import DemoContext
from trajecten.models import Ontwikkelpunt, Rol

from . import services
from .models import (
    Addendum,
    Afspraak,
    Gesprek,
    Handtekening,
    Signaal,
    SignaalTag,
    Verslag,
    Voorbereiding,
)
from .planning import at_default_time

# (waar sta ik, volgende stap, wat nodig), per conversation number (cycled).
PREPS = [
    (
        "Ik heb de eerste weken vooral overleefd. De ochtendroutine staat, maar bij de "
        "overgangen verlies ik de groep.",
        "Overgangen tussen lessen voorbereiden met vaste signalen.",
        "Een lesbezoek bij mijn coach tijdens een overgang, en tijd om dat na te bespreken.",
    ),
    (
        "De klas loopt beter; de instructie is nog te lang. Kinderen haken af na tien minuten.",
        "Instructie korter en in stappen (IGDI) in rekenen.",
        "Feedback op twee rekenlessen, en de module didactiek op tijd afronden.",
    ),
    (
        "Ik durf meer los te laten. Ik merk dat mijn studiedag vaak opgaat aan nakijkwerk.",
        "Mijn onderzoeksopdracht over differentiatie starten.",
        "Afspraken met de directie over mijn studiedag.",
    ),
    (
        "Ouders weten me te vinden; het tienminutengesprek ging goed.",
        "Het dossier vullen met bewijs voor pedagogisch handelen.",
        "Hulp bij het kiezen van sterke bewijsstukken.",
    ),
]
QUESTIONS_COACH = [
    "Waar merk je aan de groep dat een overgang goed gaat?\n"
    "Wat doe je als eerste als het onrustig wordt?",
    "Welke les van deze periode ging het best, en waarom juist die?",
    "Wat heb je nodig van het team om je studiedag echt te kunnen gebruiken?",
]
QUESTIONS_SLB = [
    "Hoe verhoudt wat je in de module leerde zich tot wat je in de klas ziet?",
    "Welke bekwaamheidseis vind je nu het lastigst, en wat zegt je logboek daarover?",
    "Ligt de planning richting de Proeve nog op schema?",
]
REPORTS = [
    (
        "We bespraken de eerste periode. {name} heeft de ochtendroutine goed neergezet; de "
        "overgangen tussen lessen zijn nog onrustig. De coach komt kijken bij een overgang. De "
        "module pedagogiek sluit goed aan.",
        Verslag.Koers.OP_KOERS,
        "De basis staat, de volgende stap is helder.",
    ),
    (
        "De instructie is korter geworden, maar de verwerking loopt nog door elkaar. De "
        "werkdruk is hoog: nakijkwerk neemt de studiedag in beslag. Afgesproken is dat de "
        "schoolleider wordt gevraagd de studiedag te beschermen.",
        Verslag.Koers.AANDACHT,
        "De studiedag staat onder druk; zonder die dag loopt de studie achter.",
    ),
    (
        "De studiedag is nu vrijgeroosterd. De onderzoeksopdracht over differentiatie is "
        "gestart. De groep reageert goed op de vaste signalen.",
        Verslag.Koers.OP_KOERS,
        "Weer op schema na de afspraken met de directie.",
    ),
    (
        "Het dossier groeit. We bespraken welke bewijsstukken het sterkst zijn voor "
        "pedagogisch handelen. De planning richting de Proeve is haalbaar.",
        Verslag.Koers.OP_KOERS,
        "Op koers richting de Proeve.",
    ),
]
AFSPRAKEN = [
    [
        ("Lesbezoek van de coach bij de overgang na de pauze", Rol.COACH, 21),
        (
            "Vaste signalen voor overgangen uitproberen en in het logboek beschrijven",
            Rol.ZIJ_INSTROMER,
            30,
        ),
    ],
    [
        ("Twee rekenlessen met korte instructie filmen en bespreken", Rol.ZIJ_INSTROMER, 28),
        ("Met de schoolleider de studiedag bespreken", Rol.SLB, 14),
    ],
    [
        ("Onderzoeksvraag voor differentiatie formuleren", Rol.ZIJ_INSTROMER, 21),
        ("Literatuur over differentiatie delen", Rol.SLB, 10),
    ],
    [("Drie bewijsstukken voor pedagogisch handelen kiezen en toelichten", Rol.ZIJ_INSTROMER, 30)],
]
# (soort, text, tags)
SIGNALEN = [
    [
        (
            Signaal.Soort.SUCCES,
            "De ochtendroutine staat: de kinderen weten wat ze moeten doen.",
            ["klassenmanagement"],
        ),
        (
            Signaal.Soort.BELEMMERING,
            "Bij de overgangen verlies ik de groep.",
            ["klassenmanagement"],
        ),
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Ik wil zien hoe een ervaren collega een overgang doet.",
            ["begeleiding"],
        ),
    ],
    [
        (
            Signaal.Soort.BELEMMERING,
            "Mijn studiedag gaat op aan nakijken en overleg.",
            ["werkdruk", "planning"],
        ),
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Ik heb hulp nodig om de module en de klas te verbinden.",
            ["theorie-praktijkkoppeling"],
        ),
        (Signaal.Soort.SUCCES, "Het team springt bij als het druk is.", ["team"]),
    ],
    [
        (Signaal.Soort.SUCCES, "De studiedag is vrijgeroosterd.", ["planning"]),
        (
            Signaal.Soort.SUCCES,
            "De onderzoeksopdracht sluit aan bij wat ik in de klas zie.",
            ["theorie-praktijkkoppeling"],
        ),
    ],
    [
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Welke bewijsstukken zijn sterk genoeg?",
            ["begeleiding"],
        ),
        (
            Signaal.Soort.SUCCES,
            "Ouders geven aan dat hun kind met plezier naar school gaat.",
            ["team"],
        ),
    ],
]


def load(ctx: DemoContext) -> None:
    for traject in ctx.trajecten.values():
        services.gesprek_cycle_plan(traject=traject, include_past=True)
    now = timezone.now()
    for n in (1, 2, 4):
        traject = ctx.trajecten[n]
        past = Gesprek.objects.filter(
            traject=traject,
            soort=Gesprek.Soort.CYCLUS,
            status=Gesprek.Status.GEPLAND,
            starts_at__lt=now - datetime.timedelta(days=1),
        ).order_by("starts_at")
        for index, gesprek in enumerate(past):
            _history(gesprek, index, last=(n == 4 and index == past.count() - 1))
    _upcoming_for_zijinstromer1(ctx)


def _history(gesprek: Gesprek, index: int, *, last: bool) -> None:
    """Preparations, a signed report with afspraken and signalen, for a past conversation."""
    if Verslag.objects.filter(gesprek=gesprek).exists():
        return
    traject = gesprek.traject
    when = gesprek.starts_at
    waar, stap, nodig = PREPS[index % len(PREPS)]
    punten = list(Ontwikkelpunt.objects.filter(traject=traject)[:2])
    zi = Voorbereiding.objects.create(
        gesprek=gesprek,
        rol=Rol.ZIJ_INSTROMER,
        auteur=traject.zij_instromer,
        waar_sta_ik=waar,
        volgende_stap=stap,
        wat_nodig=nodig,
        ready_at=when - datetime.timedelta(days=2),
    )
    zi.ontwikkelpunten.set(punten)
    for rol, questions in ((Rol.COACH, QUESTIONS_COACH), (Rol.SLB, QUESTIONS_SLB)):
        if traject.holder(rol):
            Voorbereiding.objects.create(
                gesprek=gesprek,
                rol=rol,
                auteur=traject.holder(rol),
                reflectievragen=questions[index % len(questions)],
                ready_at=when - datetime.timedelta(days=1),
            )
    text, koers, reden = REPORTS[index % len(REPORTS)]
    verslag = Verslag.objects.create(
        gesprek=gesprek,
        tekst=text.format(name=traject.zij_instromer.first_name),
        koers=koers,
        koers_reden=reden,
        created_by=traject.slb,
        updated_by=traject.slb,
    )
    for order, (omschrijving, rol, days) in enumerate(AFSPRAKEN[index % len(AFSPRAKEN)]):
        due = gesprek.local_date + datetime.timedelta(days=days)
        owner = traject.holder(rol) or traject.slb
        done = due < timezone.localdate()
        Afspraak.objects.create(
            verslag=verslag,
            omschrijving=omschrijving,
            owner=owner,
            due_date=due,
            order=order,
            done_at=at_default_time(due - datetime.timedelta(days=2)) if done else None,
            done_by=owner if done else None,
        )
    tags = {
        t.name: t
        for t in SignaalTag.objects.filter(partnerschap_id=traject.school.bestuur.partnerschap_id)
    }
    for order, (soort, quote, names) in enumerate(SIGNALEN[index % len(SIGNALEN)]):
        signaal = Signaal.objects.create(verslag=verslag, soort=soort, tekst=quote, order=order)
        signaal.tags.set([tags[name] for name in names if name in tags])
    signed = when + datetime.timedelta(days=2)
    for hours, rol in ((0, Rol.SLB), (3, Rol.COACH), (18, Rol.ZIJ_INSTROMER)):
        if traject.holder(rol):
            Handtekening.objects.create(
                verslag=verslag,
                rol=rol,
                user=traject.holder(rol),
                version=verslag.version,
                signed_at=signed + datetime.timedelta(hours=hours),
            )
    Verslag.objects.filter(pk=verslag.pk).update(
        locked_at=signed + datetime.timedelta(hours=18),
        created_at=when + datetime.timedelta(hours=2),
        updated_at=when + datetime.timedelta(days=1),
    )
    if last:
        Addendum.objects.create(
            verslag=verslag,
            auteur=traject.slb,
            created_at=signed + datetime.timedelta(days=5),
            tekst="Correctie: de Proeve is gepland in de laatste maand van het traject, niet "
            "in de eerste week.",
        )


def _upcoming_for_zijinstromer1(ctx: DemoContext) -> None:
    """Move zijinstromer1's next conversation to ten days from now; the coach prepared, the
    SLB has a draft, the side-entrant has not started. One open afspraak is overdue."""
    traject = ctx.trajecten[1]
    now = timezone.now()
    gesprek = (
        Gesprek.objects.filter(traject=traject, status=Gesprek.Status.GEPLAND, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    if gesprek is None:
        return
    if not gesprek.is_moved:
        day = ctx.today + datetime.timedelta(days=10)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        gesprek.starts_at = at_default_time(day)
        gesprek.location = "Basisschool De Regenboog, kamer van de intern begeleider"
        gesprek.video_url = ""
        gesprek.moved_at = now
        gesprek.moved_by = traject.slb
        gesprek.sequence += 1
        gesprek.save(
            update_fields=[
                "starts_at",
                "location",
                "video_url",
                "moved_at",
                "moved_by",
                "sequence",
                "updated_at",
            ]
        )
    if traject.coach and not Voorbereiding.objects.filter(gesprek=gesprek, rol=Rol.COACH).exists():
        Voorbereiding.objects.create(
            gesprek=gesprek,
            rol=Rol.COACH,
            auteur=traject.coach,
            ready_at=now,
            reflectievragen="Wat heb je gedaan met de feedback op je rekenlessen?\n"
            "Waar wil je dat ik de komende periode op let?",
        )
    if not Voorbereiding.objects.filter(gesprek=gesprek, rol=Rol.SLB).exists():
        Voorbereiding.objects.create(
            gesprek=gesprek,
            rol=Rol.SLB,
            auteur=traject.slb,
            reflectievragen="Hoe staat het met de module didactiek?",
        )
    overdue = (
        Afspraak.objects.filter(verslag__gesprek__traject=traject)
        .order_by("-verslag__gesprek__starts_at", "order")
        .first()
    )
    if (
        overdue is not None
        and overdue.done_at is not None
        and not Afspraak.objects.filter(
            verslag__gesprek__traject=traject,
            done_at__isnull=True,
            due_date__lt=ctx.today,
        ).exists()
    ):
        overdue.done_at = None
        overdue.done_by = None
        overdue.due_date = ctx.today - datetime.timedelta(days=2)
        overdue.save(update_fields=["done_at", "done_by", "due_date"])
