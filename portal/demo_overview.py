"""Demo data for the overviews: what the app demos do not give, so that the coordinator's
and school leaders' overviews have something to show.

The app demos make four trajecten. This adds eleven side-entrants across the schools (and a
fourth school, CBS De Wegwijzer, with its leader, so that both boards have two schools to
drill into), with stages from intake to gestopt, conversations whose reports were signed on
time, late or not at all, "are we on the right road?" answers (one traject off track twice,
two near their end date), signals with tags at every school, a plan awaiting a school
leader, and a change of coach and of SLB.

Idempotent: everything is found by its natural key (e-mail, BRIN, the side-entrant's traject)
first; a traject that exists is left as it is. Records are made directly, with dates in the
past; the one stopped traject and the one extension go through the services (so their
reasons are recorded, and the people around them get the notice).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from gesprekken import services as gesprek_services
from gesprekken.models import Gesprek, Handtekening, Signaal, SignaalTag, Verslag
from trajecten import lifecycle
from trajecten import services as trajecten_services
from trajecten.models import (
    Activiteit,
    Bekwaamheidsgebied,
    Geschiktheidsonderzoek,
    Instemming,
    Ontwikkelpunt,
    Rol,
    Roltoewijzing,
    Scholingsplan,
    Scholingsplanversie,
    Traject,
    two_years_after,
)

from .demo import DemoContext, demo_user
from .inzage import inzageverzoek_register
from .models import Inzageverzoek, School, User

# Extra people: (e-mail, first name, last name).
STAFF = {
    "coach3": ("jeroen.smits@lev.test", "Jeroen", "Smits"),
    "slb2": ("hanna.dijkstra@lev.test", "Hanna", "Dijkstra"),
    "leider3": ("maarten.kok@lev.test", "Maarten", "Kok"),
}

STOPPED_BECAUSE = "Gaat terug naar het vorige beroep; het combineren met de opleiding lukte niet."

# Extensions through the service (issue 18): e-mail -> (days, reason, who agreed).
EXTENDED = {
    "eline.vermeulen@lev.test": (
        122,
        "Zwangerschapsverlof van vier maanden in het tweede jaar.",
        "de schoolleider en de opleiding",
    ),
}

# Conversation outcomes per past cycle slot: "op" (signed within the 14 days), "laat"
# (signed after them), "mist" (no report), with the answer to "are we on the right road?".
OP, LAAT, MIST = "op", "laat", "mist"
K_OP, K_AANDACHT, K_UIT = Verslag.Koers.OP_KOERS, Verslag.Koers.AANDACHT, Verslag.Koers.UIT_KOERS

# (e-mail, first, last, school, route, months since start, status, stage, coach, slb,
#  outcomes per past slot)
SIDE_ENTRANTS = [
    (
        "ilse.kuipers@lev.test",
        "Ilse",
        "Kuipers",
        "regenboog",
        "zib",
        14,
        "actief",
        "opleiding",
        "coach1",
        "slb1",
        [(OP, K_OP), (OP, K_OP), (LAAT, K_AANDACHT), (OP, K_OP)],
    ),
    (
        "daan.mertens@lev.test",
        "Daan",
        "Mertens",
        "regenboog",
        "versneld",
        19,
        "actief",
        "opleiding",
        "coach2",
        "slb1",
        [(OP, K_OP), (OP, K_AANDACHT), (OP, K_UIT), (OP, K_UIT), (OP, K_UIT), (OP, K_UIT)],
    ),
    (
        "noor.hendriks@lev.test",
        "Noor",
        "Hendriks",
        "regenboog",
        "zib",
        1,
        "intake",
        "intake",
        "coach1",
        "slb1",
        [],
    ),
    (
        "sem.dewit@lev.test",
        "Sem",
        "de Wit",
        "vlinder",
        "zib",
        10,
        "actief",
        "opleiding",
        "coach2",
        "slb1",
        [(OP, K_OP), (MIST, ""), (LAAT, K_AANDACHT)],
    ),
    (
        "julia.bos@lev.test",
        "Julia",
        "Bos",
        "vlinder",
        "versneld",
        4,
        "actief",
        "scholingsplan",
        "coach2",
        "slb2",
        [(OP, K_OP)],
    ),
    (
        "thijs.vandam@lev.test",
        "Thijs",
        "van Dam",
        "vlinder",
        "zib",
        21,
        "actief",
        "opleiding",
        "coach2",
        "slb1",
        [
            (OP, K_OP),
            (OP, K_OP),
            (LAAT, K_AANDACHT),
            (OP, K_OP),
            (LAAT, K_OP),
            (OP, K_OP),
            (MIST, ""),
        ],
    ),
    (
        "fatima.yilmaz@lev.test",
        "Fatima",
        "Yilmaz",
        "jozef",
        "zib",
        7,
        "actief",
        "scholingsplan",
        "coach3",
        "slb2",
        [(OP, K_AANDACHT), (MIST, "")],
    ),
    (
        "ruben.janssen@lev.test",
        "Ruben",
        "Janssen",
        "jozef",
        "zib",
        12,
        "gestopt",
        "gestopt",
        "coach3",
        "slb2",
        [(OP, K_AANDACHT), (OP, K_UIT), (MIST, "")],
    ),
    (
        "eline.vermeulen@lev.test",
        "Eline",
        "Vermeulen",
        "wegwijzer",
        "zib",
        16,
        "actief",
        "opleiding",
        "coach3",
        "slb2",
        [(LAAT, K_OP), (OP, K_OP), (MIST, ""), (OP, K_AANDACHT), (OP, K_OP)],
    ),
    (
        "mehmet.aydin@lev.test",
        "Mehmet",
        "Aydin",
        "wegwijzer",
        "versneld",
        8,
        "actief",
        "opleiding",
        "coach3",
        "slb1",
        [(OP, K_OP), (OP, K_OP)],
    ),
    (
        "lisa.degraaf@lev.test",
        "Lisa",
        "de Graaf",
        "wegwijzer",
        "zib",
        3,
        "intake",
        "intake",
        "coach3",
        "slb2",
        [],
    ),
]

# Signals per school, used in turn for the signed reports there: (kind, quote, tags).
SIGNALEN = {
    "regenboog": [
        (Signaal.Soort.SUCCES, "De vaste dagstart geeft de groep rust.", ["klassenmanagement"]),
        (
            Signaal.Soort.BELEMMERING,
            "Vergaderingen vallen steeds op mijn studiedag.",
            ["werkdruk", "planning"],
        ),
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Ik wil vaker meekijken bij de bouwcoördinator.",
            ["begeleiding"],
        ),
        (
            Signaal.Soort.SUCCES,
            "Mijn duo-collega en ik bereiden samen de rekenlessen voor.",
            ["team"],
        ),
    ],
    "vlinder": [
        (
            Signaal.Soort.BELEMMERING,
            "De combinatiegroep vraagt meer dan ik nu aankan.",
            ["werkdruk", "klassenmanagement"],
        ),
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Hulp bij het vertalen van de module naar mijn groep.",
            ["theorie-praktijkkoppeling"],
        ),
        (Signaal.Soort.SUCCES, "Het team neemt me serieus als collega.", ["team"]),
        (
            Signaal.Soort.BELEMMERING,
            "De coach heeft te weinig uren om te komen kijken.",
            ["begeleiding", "planning"],
        ),
    ],
    "jozef": [
        (Signaal.Soort.BELEMMERING, "Geen vaste coach sinds de zomer.", ["begeleiding"]),
        (
            Signaal.Soort.ONDERSTEUNINGSBEHOEFTE,
            "Meer structuur in de studieplanning.",
            ["planning"],
        ),
        (Signaal.Soort.SUCCES, "De ouders reageren positief op de nieuwe juf.", ["team"]),
    ],
    "wegwijzer": [
        (
            Signaal.Soort.SUCCES,
            "De opdracht over differentiatie sloot precies aan.",
            ["theorie-praktijkkoppeling"],
        ),
        (Signaal.Soort.ONDERSTEUNINGSBEHOEFTE, "Ik zoek een maatje in de bovenbouw.", ["team"]),
        (Signaal.Soort.BELEMMERING, "Te veel nakijkwerk naast de studie.", ["werkdruk"]),
        (Signaal.Soort.SUCCES, "Lesbezoek van de SLB gaf veel inzicht.", ["begeleiding"]),
    ],
}


def _user(email: str, first: str, last: str) -> User:
    return demo_user(email, first, last)


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.month - 1 - months, 12)
    return today.replace(year=today.year + year, month=month + 1, day=1)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _school(ctx: DemoContext, leider: User) -> School:
    """The fourth school (the second of the second board) and its leader."""
    jozef = ctx.schools["jozef"]
    school, _created = School.objects.get_or_create(
        brin="04GH00",
        defaults={
            "name": "CBS De Wegwijzer",
            "plaats": "Zaltbommel",
            "regio": "zuid",
            "bestuur": jozef.bestuur,
            "is_partnerschool": True,
        },
    )
    school.leiders.add(leider)
    return school


def _intake(traject: Traject, start: datetime.date) -> list[Ontwikkelpunt]:
    Geschiktheidsonderzoek.objects.create(
        traject=traject,
        datum=start - datetime.timedelta(days=30),
        uitkomst="positief",
        kan_direct_lesgeven="Ja, met begeleiding van een coach in de klas.",
        kan_binnen_twee_jaar="Ja, gezien de vooropleiding en motivatie.",
        scholing_en_ondersteuning="Didactiek rekenen en taal, klassenmanagement.",
        vastgelegd_door=traject.slb,
    )
    gebieden = {g.code: g for g in Bekwaamheidsgebied.objects.all()}
    punten = []
    for order, (code, titel) in enumerate(
        (("pedagogisch", "Klassenmanagement"), ("vakdidactisch", "Instructie in rekenen"))
    ):
        if code in gebieden:
            punten.append(
                Ontwikkelpunt.objects.create(
                    traject=traject, gebied=gebieden[code], titel=titel, order=order
                )
            )
    return punten


def _plan(traject: Traject, start: datetime.date, punten, *, agreed: bool) -> None:
    """Version 1 of the plan: agreed by all three parties, or awaiting the school."""
    plan = Scholingsplan.objects.create(traject=traject)
    versie = Scholingsplanversie.objects.create(
        plan=plan,
        nummer=1,
        created_by=traject.slb,
        status="vastgesteld" if agreed else "ter_instemming",
        submitted_at=_at(start + datetime.timedelta(days=20)),
        vastgesteld_op=_at(start + datetime.timedelta(days=30)) if agreed else None,
    )
    for order, punt in enumerate(punten):
        Activiteit.objects.create(
            versie=versie,
            ontwikkelpunt=punt,
            omschrijving=f"Module: {punt.titel.lower()}",
            ondersteuning=["coach"],
            periode_van=start,
            periode_tot=two_years_after(start) - datetime.timedelta(days=1),
            order=order,
        )
    parties = [
        ("zij_instromer", traject.zij_instromer, Rol.ZIJ_INSTROMER),
        ("opleiding", traject.slb, Rol.SLB),
    ]
    leider = traject.school.leiders.order_by("pk").first()
    if agreed and leider is not None:
        parties.append(("school", leider, Rol.SCHOOLLEIDER))
    for partij, user, rol in parties:
        Instemming.objects.create(
            versie=versie,
            partij=partij,
            user=user,
            rol=rol,
            at=_at(start + datetime.timedelta(days=25)),
        )


def _conversations(traject: Traject, outcomes, signalen, tags, today: datetime.date) -> None:
    """Reports for the past cycle slots, signed on time, late or not at all."""
    gesprek_services.gesprek_cycle_plan(traject=traject, include_past=True)
    past = Gesprek.objects.filter(
        traject=traject,
        soort=Gesprek.Soort.CYCLUS,
        status=Gesprek.Status.GEPLAND,
        planned_for__lt=today,
    ).order_by("planned_for")
    pool = iter(signalen * 10)
    for gesprek, (outcome, koers) in zip(past, outcomes, strict=False):
        if outcome == MIST:
            continue
        signed = gesprek.planned_for + datetime.timedelta(days=4 if outcome == OP else 24)
        if signed >= today:
            continue
        verslag = Verslag.objects.create(
            gesprek=gesprek,
            koers=koers,
            created_by=traject.slb,
            updated_by=traject.slb,
            tekst=f"Driemaandelijks gesprek met {traject.zij_instromer.first_name}, coach en SLB.",
            koers_reden={
                K_OP: "Loopt volgens plan.",
                K_AANDACHT: "De planning staat onder druk.",
                K_UIT: "Achterstand in de module en onrust in de klas.",
            }[koers],
        )
        for soort, tekst, names in (next(pool), next(pool))[: 1 + gesprek.cycle_number % 2]:
            signaal = Signaal.objects.create(verslag=verslag, soort=soort, tekst=tekst)
            signaal.tags.set([tags[n] for n in names if n in tags])
        for offset, rol in enumerate((Rol.SLB, Rol.COACH, Rol.ZIJ_INSTROMER)):
            if traject.holder(rol):
                Handtekening.objects.create(
                    verslag=verslag,
                    rol=rol,
                    user=traject.holder(rol),
                    version=verslag.version,
                    signed_at=_at(signed, 9 + offset),
                )
        Verslag.objects.filter(pk=verslag.pk).update(locked_at=_at(signed, 12))


def _roles(traject: Traject, start: datetime.date, changes: dict) -> None:
    """Assignment history: who held coach and SLB from the start, and one change if any."""
    for rol in (Rol.COACH, Rol.SLB):
        current = traject.holder(rol)
        earlier = changes.get(rol)
        if earlier is not None:
            switch = start + datetime.timedelta(days=200)
            Roltoewijzing.objects.create(
                traject=traject, rol=rol, user=earlier, van=_at(start), tot=_at(switch)
            )
            Roltoewijzing.objects.create(traject=traject, rol=rol, user=current, van=_at(switch))
        else:
            Roltoewijzing.objects.create(traject=traject, rol=rol, user=current, van=_at(start))


def load(ctx: DemoContext) -> None:
    staff = {key: _user(*person) for key, person in STAFF.items()}
    people = {**{k: ctx.user(k) for k in ("coach1", "coach2", "slb1")}, **staff}
    schools = {**ctx.schools, "wegwijzer": _school(ctx, staff["leider3"])}
    gesprek_services.signaal_tags_seed(partnerschap_ids={ctx.partnerschap.pk})
    tags = {t.name: t for t in SignaalTag.objects.filter(partnerschap=ctx.partnerschap)}
    today = ctx.today
    for (
        email,
        first,
        last,
        school,
        route,
        months,
        status,
        stage,
        coach,
        slb,
        outcomes,
    ) in SIDE_ENTRANTS:
        zi = _user(email, first, last)
        if Traject.objects.filter(zij_instromer=zi).exists():
            continue
        start = _months_ago(today, months)
        traject = Traject.objects.create(
            zij_instromer=zi,
            school=schools[school],
            route=route,
            start_date=start,
            end_date=two_years_after(start) - datetime.timedelta(days=1),
            # A stopped traject ran first and is stopped below through the service.
            status=Traject.Status.ACTIEF if status == "gestopt" else status,
            coach=people[coach],
            slb=people[slb],
        )
        changes = {}
        if email.startswith("daan."):
            changes[Rol.COACH] = people["coach1"]
        if email.startswith("eline."):
            changes[Rol.SLB] = people["slb1"]
        _roles(traject, start, changes)
        if stage != "intake":
            punten = _intake(traject, start)
            if stage in ("opleiding", "scholingsplan") and status != "gestopt":
                _plan(traject, start, punten, agreed=stage == "opleiding")
        if outcomes:
            _conversations(traject, outcomes, SIGNALEN[school], tags, today)
        if status == "gestopt" or email in EXTENDED:
            lifecycle.store_derived([traject.pk])
            traject.refresh_from_db()
        if status == "gestopt":
            # Through the service: the reason is recorded and future conversations lapse.
            trajecten_services.traject_stoppen(
                traject=traject, reden=STOPPED_BECAUSE, door=ctx.user("coordinator")
            )
        if email in EXTENDED:
            days, reden, akkoord = EXTENDED[email]
            trajecten_services.traject_verlengen(
                traject=traject,
                tot=traject.end_date + datetime.timedelta(days=days),
                reden=reden,
                akkoord=akkoord,
                door=ctx.user("coordinator"),
            )
    _inzageverzoek(ctx, today)


def _inzageverzoek(ctx: DemoContext, today: datetime.date) -> None:
    """A formal request for access by Sanne (zijinstromer1), received five days ago, with a
    private note of her coach to check (portal.inzage): the coordinator's demo of the AVG
    flow."""
    sanne = ctx.user("zijinstromer1")
    if Inzageverzoek.objects.filter(persoon=sanne).exists():
        return
    traject = ctx.trajecten[1]
    held = (
        Gesprek.objects.filter(traject=traject, verslag__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    if held is not None:
        gesprek_services.prive_notitie_save(
            gesprek=held,
            user=traject.coach,
            tekst=(
                "Sanne twijfelt of ze het tweede jaar haalt naast haar gezin. "
                "Collega Ruud (groep 6) wil eigenlijk niet meer met haar samenwerken."
            ),
            version=0,
        )
    inzageverzoek_register(
        person=sanne,
        partnerschap=ctx.partnerschap,
        ontvangen_op=today - datetime.timedelta(days=5),
        toelichting="Per e-mail; identiteit vastgesteld bij de balie van de pabo.",
        door=ctx.user("coordinator"),
    )
