"""Demo data for the dossier and the Proeve (idempotent: found by natural keys first).

- docent1 set the assignments.
- zijinstromer1: three assignments (concept, ingediend, afgerond) with criteria, evidence
  (a tiny PDF and PNG made here) and feedback.
- zijinstromer2: a submitted dossier, a Proeve planned with both demo assessors, and the
  veldassessor's judgement recorded.
- zijinstromer4: a finished Proeve with a voldoende, both signatures and a rendered PDF.
"""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.demo import DemoContext

from . import services
from .models import (
    Bewijsstuk,
    Feedback,
    Feedbackverzoek,
    Onderzoeksopdracht,
    Opdracht,
    Proeve,
    Uitslag,
)
from .selectors import active_kader, kader_eisen

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(width: int = 60, height: int = 40, rgb: tuple[int, int, int] = (11, 93, 107)) -> bytes:
    """A small valid PNG of one colour with a lighter band, made without image libraries."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    light = tuple(min(255, c + 120) for c in rgb)
    rows = b"".join(
        b"\x00" + bytes(light if height // 3 <= y < 2 * height // 3 else rgb) * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


ASSIGNMENTS = {
    "lesdoelen": (
        "Lesdoelen zichtbaar maken",
        ["VD1", "VD2"],
        "Formuleer voor een week rekenlessen een lesdoel per les, maak het zichtbaar "
        "voor de klas en onderzoek of leerlingen aan het eind kunnen zeggen wat ze "
        "geleerd hebben. Lever een lesplan, een foto van het bord en een reflectie in.",
    ),
    "routines": (
        "Rust en routines in de klas",
        ["PE1", "PE2"],
        "Kies twee momenten van de dag waarop het onrustig wordt (bijvoorbeeld de "
        "overgang naar zelfstandig werken). Ontwerp een routine, oefen die drie weken "
        "en verzamel bewijs van het effect.",
    ),
    "rekenen": (
        "Rekenles volgens het drieslagmodel",
        ["VI1", "VD3"],
        "Geef een rekenles volgens het drieslagmodel en stem de verwerking af op drie "
        "niveaus in je groep.",
    ),
    "ouders": (
        "Samenwerken met ouders en team",
        ["PE3", "VI2"],
        "Bereid een oudergesprek voor samen met je coach en verantwoord de leerdoelen "
        "van de komende periode met de kerndoelen.",
    ),
}


def _opdracht(ctx: DemoContext, key: str, trajecten) -> Opdracht:
    titel, codes, omschrijving = ASSIGNMENTS[key]
    docent = ctx.user("docent1")
    opdracht = Opdracht.objects.filter(titel=titel, gesteld_door=docent).first()
    kader = active_kader()
    if opdracht is None:
        opdracht = services.opdracht_create(
            by=docent,
            partnerschap=ctx.partnerschap,
            titel=titel,
            omschrijving=omschrijving,
            eisen=kader.eisen.filter(code__in=codes),
            trajecten=trajecten,
            deadline=ctx.today + datetime.timedelta(days=28),
            doelgroep="Cohort Rivierenland",
        )
    else:
        for traject in trajecten:
            dossier = services.dossier_ensure(traject=traject)
            Onderzoeksopdracht.objects.get_or_create(opdracht=opdracht, dossier=dossier)
    return opdracht


def _work(opdracht: Opdracht, traject) -> Onderzoeksopdracht:
    return Onderzoeksopdracht.objects.get(opdracht=opdracht, dossier__traject=traject)


def _back(model, pk: int, days: int) -> None:
    """Demo only: date a row back, so the dossier shows growth over time."""
    field = "created_at"
    model.objects.filter(pk=pk).update(**{field: timezone.now() - datetime.timedelta(days=days)})


def _backdate_proeve(
    proeve: Proeve, *, submitted: datetime.datetime, finished: datetime.datetime | None = None
) -> None:
    """Demo only: the demo is loaded in one go, so give the history realistic dates (the
    submission before the Proeve, the signatures after it)."""
    from . import snapshot as snapshots

    snap = {**proeve.snapshot, "ingediend_at": submitted.isoformat()}
    for o in snap["opdrachten"]:
        o["afgerond_at"] = (submitted - datetime.timedelta(days=14)).isoformat()
    Proeve.objects.filter(pk=proeve.pk).update(
        ingediend_at=submitted,
        snapshot=snap,
        snapshot_hash=snapshots.canonical_hash(snap),
        afgerond_at=finished if finished else None,
    )
    Onderzoeksopdracht.objects.filter(dossier=proeve.dossier, in_dossier=True).update(
        afgerond_at=submitted - datetime.timedelta(days=14)
    )
    if finished:
        oordeel = proeve.oordeel
        type(oordeel).objects.filter(pk=oordeel.pk).update(locked_at=finished)
        oordeel.ondertekeningen.update(signed_at=finished)
        proeve.beoordelingen.update(recorded_at=finished - datetime.timedelta(hours=2))


def _fill(
    work: Onderzoeksopdracht,
    traject,
    *,
    criteria,
    bewijs,
    feedback,
    days_ago: int,
    finish: bool,
    ask=None,
) -> None:
    """Criteria, evidence and feedback on one piece of work, then (optionally) finish it."""
    zi = traject.zij_instromer
    if not work.criteria.exists():
        for tekst, reflectie in criteria:
            crit = services.succescriterium_add(onderzoeksopdracht=work, by=zi, tekst=tekst)
            if reflectie:
                services.succescriterium_update(
                    criterium=crit, by=zi, tekst=tekst, reflectie=reflectie, version=crit.version
                )
    crits = list(work.criteria.order_by("order", "pk"))
    for i, (titel, kind) in enumerate(bewijs):
        if Bewijsstuk.objects.filter(onderzoeksopdracht=work, titel=titel).exists():
            continue
        if kind == "pdf":
            upload, mime = SimpleUploadedFile("lesplan.pdf", TINY_PDF), "application/pdf"
        elif kind == "png":
            upload, mime = SimpleUploadedFile("bord.png", png()), "image/png"
        else:
            upload, mime = None, ""
        item = services.bewijsstuk_add(
            onderzoeksopdracht=work,
            by=zi,
            titel=titel,
            criterium=crits[i % len(crits)],
            upload=upload,
            mime=mime,
            link=kind if kind.startswith("https://") else "",
        )
        _back(Bewijsstuk, item.pk, days_ago - 7 * i)
    if ask and work.status == Onderzoeksopdracht.Status.CONCEPT:
        services.feedback_request(
            onderzoeksopdracht=work,
            by=zi,
            people=ask,
            vraag="Wil je kijken of mijn criteria concreet genoeg zijn?",
        )
        # Only when just asked: a second demo run must change nothing.
        Feedbackverzoek.objects.filter(onderzoeksopdracht=work).update(
            created_at=timezone.now() - datetime.timedelta(days=max(2, days_ago - 8))
        )
    first = None
    for author, tekst in feedback:
        message = Feedback.objects.filter(
            onderzoeksopdracht=work, auteur=author, tekst=tekst
        ).first()
        if message is None:
            # The side-entrant answers the first message in its thread.
            reply_to = first if author.pk == zi.pk else None
            message = services.feedback_post(
                onderzoeksopdracht=work, by=author, tekst=tekst, antwoord_op=reply_to
            )
            _back(Feedback, message.pk, max(1, days_ago - 10))
        first = first or message
    if finish and work.status == Onderzoeksopdracht.Status.INGEDIEND:
        services.onderzoeksopdracht_afronden(onderzoeksopdracht=work, by=zi)
    work.refresh_from_db()
    if finish and not work.in_dossier:
        services.onderzoeksopdracht_dossier_set(onderzoeksopdracht=work, by=zi, in_dossier=True)


LESDOELEN_CRITERIA = [
    (
        "Aan het begin van elke les staat het lesdoel op het bord en lees ik het samen met de "
        "klas.",
        "In week 1 vergat ik het twee keer; vanaf week 2 staat het in mijn lesvoorbereiding en "
        "lukt het elke les. Leerlingen vragen er nu zelf naar.",
    ),
    (
        "Aan het eind van de les kan minstens 80% van de leerlingen in eigen woorden zeggen wat ze "
        "hebben geleerd.",
        "Met wisbordjes gecontroleerd: in week 1 ongeveer de helft, in week 3 bijna iedereen. De "
        "korte terugblik werkt beter dan een vraag aan één leerling.",
    ),
]


def load(ctx: DemoContext) -> None:
    if active_kader() is None:
        return
    t1, t2, t4 = ctx.trajecten[1], ctx.trajecten[2], ctx.trajecten[4]
    coach1, coach2 = ctx.user("coach1"), ctx.user("coach2")
    docent, duo = ctx.user("docent1"), ctx.user("duo1")

    lesdoelen = _opdracht(ctx, "lesdoelen", [t1, t2, t4])
    routines = _opdracht(ctx, "routines", [t1, t4])
    rekenen = _opdracht(ctx, "rekenen", [t1])
    ouders = _opdracht(ctx, "ouders", [t2, t4])

    # zijinstromer1: afgerond, ingediend, concept.
    _fill(
        _work(lesdoelen, t1),
        t1,
        criteria=LESDOELEN_CRITERIA,
        bewijs=[("Lesplan rekenen week 1", "pdf"), ("Foto van het bord met lesdoel", "png")],
        feedback=[
            (
                coach1,
                "Mooi hoe je het lesdoel terugpakt aan het eind. Probeer de "
                "wisbordjes ook tijdens de instructie.",
            ),
            (t1.zij_instromer, "Dank, dat ga ik in week 3 proberen."),
        ],
        ask=[coach1],
        days_ago=120,
        finish=True,
    )
    _fill(
        _work(routines, t1),
        t1,
        criteria=[
            (
                "De overgang naar zelfstandig werken duurt hooguit twee minuten.",
                "Met een timer op het digibord gaat het sneller; nog niet elke dag.",
            ),
            ("Leerlingen weten zonder te vragen wat ze doen als ze klaar zijn.", ""),
        ],
        bewijs=[("Foto van het stoplicht en de takenkaart", "png")],
        feedback=[
            (
                docent,
                "Goede keuze van de momenten. Beschrijf in je reflectie ook wat "
                "je zelf anders doet, niet alleen de leerlingen.",
            )
        ],
        ask=[duo, docent],
        days_ago=40,
        finish=False,
    )
    _fill(
        _work(rekenen, t1),
        t1,
        criteria=[("Elke leerling werkt aan een verwerking op het eigen niveau.", "")],
        bewijs=[],
        feedback=[],
        days_ago=5,
        finish=False,
    )

    # zijinstromer2: submitted, planned, veldassessor's judgement recorded.
    _fill(
        _work(lesdoelen, t2),
        t2,
        criteria=LESDOELEN_CRITERIA,
        bewijs=[("Lesplan rekenen groep 6", "pdf"), ("Lesdoel op het bord", "png")],
        feedback=[(coach2, "Sterk: je controleert begrip bij de hele klas.")],
        ask=[coach2],
        days_ago=300,
        finish=True,
    )
    _fill(
        _work(ouders, t2),
        t2,
        criteria=[
            (
                "Ik bereid het oudergesprek voor met een gespreksplan dat mijn coach heeft gezien.",
                "Het gespreksplan hielp om bij de feiten te blijven.",
            ),
            (
                "Mijn periodeplanning verwijst naar de kerndoelen.",
                "Ik heb de kerndoelen 23 en 24 gekoppeld aan de rekenlessen.",
            ),
        ],
        bewijs=[
            ("Gespreksplan oudergesprek", "pdf"),
            ("Periodeplanning (gedeelde map)", "https://docs.example.org/periodeplanning"),
        ],
        feedback=[(coach2, "Goed voorbereid gesprek; let op de tijd.")],
        ask=[coach2],
        days_ago=150,
        finish=True,
    )
    dossier2 = t2.dossier
    if not dossier2.proeven.exists():
        proeve = services.dossier_submit(dossier=dossier2, by=t2.zij_instromer)
        proeve = services.proeve_plan(
            proeve=proeve,
            by=ctx.user("coordinator"),
            # This morning: the Proeve was held, so the assessors can judge and sign today
            # (a verdict is signed only from the Proeve's day).
            datum=timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0),
            locatie="OBS De Vlinder, Culemborg",
            veldassessor=ctx.user("assessor-veld"),
            opleidingsassessor=ctx.user("assessor-opleiding"),
            version=proeve.version,
        )
        _backdate_proeve(proeve, submitted=timezone.now() - datetime.timedelta(days=12))
        eisen = list(kader_eisen(dossier2.kader))
        services.beoordeling_save(
            proeve=proeve,
            by=ctx.user("assessor-veld"),
            record=True,
            toelichting="Een zij-instromer die doelgericht werkt en goed reflecteert.",
            regels={
                e.pk: (
                    3 if e.code.startswith(("VD", "PE")) else 2,
                    f"Bewijs en lesbezoek laten dit zien voor {e.code}.",
                )
                for e in eisen
            },
        )

    # zijinstromer4: finished Proeve with a voldoende, both signatures and the PDF.
    _fill(
        _work(lesdoelen, t4),
        t4,
        criteria=LESDOELEN_CRITERIA,
        bewijs=[("Lesplan rekenen groep 4", "pdf"), ("Lesdoel op het bord", "png")],
        feedback=[(coach2, "Je lesdoelen zijn concreet en je checkt ze steeds.")],
        ask=[coach2],
        days_ago=500,
        finish=True,
    )
    _fill(
        _work(routines, t4),
        t4,
        criteria=[
            (
                "De klas start na de pauze binnen twee minuten.",
                "Vaste startopdracht op het bord; werkt nu elke dag.",
            )
        ],
        bewijs=[("Observatieformulier coach", "pdf")],
        feedback=[(coach2, "Rustige start, duidelijke afspraken.")],
        ask=[coach2],
        days_ago=420,
        finish=True,
    )
    _fill(
        _work(ouders, t4),
        t4,
        criteria=[
            (
                "Ik voer een oudergesprek zelfstandig en leg afspraken vast.",
                "Het gesprek verliep goed; de afspraken heb ik gemaild.",
            )
        ],
        bewijs=[("Verslag oudergesprek", "pdf")],
        feedback=[(coach2, "Professioneel en warm.")],
        ask=[coach2],
        days_ago=300,
        finish=True,
    )
    dossier4 = t4.dossier
    if not dossier4.proeven.exists():
        veld, opleiding = ctx.user("assessor-veld"), ctx.user("assessor-opleiding")
        proeve = services.dossier_submit(dossier=dossier4, by=t4.zij_instromer)
        proeve = services.proeve_plan(
            proeve=proeve,
            by=ctx.user("coordinator"),
            datum=timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
            - datetime.timedelta(days=45),
            locatie="Sint-Jozefschool, Geldermalsen",
            veldassessor=veld,
            opleidingsassessor=opleiding,
            version=proeve.version,
        )
        eisen = list(kader_eisen(dossier4.kader))
        for assessor, base in ((veld, 3), (opleiding, 3)):
            services.beoordeling_save(
                proeve=proeve,
                by=assessor,
                record=True,
                regels={
                    e.pk: (
                        base + (1 if e.code == "PE1" and assessor == veld else 0),
                        f"Het dossier en het lesbezoek laten {e.code} overtuigend zien.",
                    )
                    for e in eisen
                },
            )
        oordeel = services.oordeel_save(
            proeve=proeve,
            by=opleiding,
            uitslag=Uitslag.VOLDOENDE,
            version=None,
            motivatie="Pieter laat op alle indicatoren ten minste startbekwaam handelen zien. "
            "Zijn klasklimaat is een sterk punt; blijf werken aan differentiatie.",
            regels={
                e.pk: (
                    4 if e.code == "PE1" else 3,
                    f"Gezamenlijk vastgesteld op basis van dossier en lesbezoek ({e.code}).",
                )
                for e in eisen
            },
        )
        services.oordeel_sign(oordeel=oordeel, by=veld, version=oordeel.version)
        services.oordeel_sign(oordeel=oordeel, by=opleiding, version=oordeel.version)
        proeve.refresh_from_db()
        # After the pass the coordinator closes the traject (trajecten.lifecycle).
        services.proeve_traject_afronden(proeve=proeve, by=ctx.user("coordinator"))
        _backdate_proeve(
            proeve,
            submitted=proeve.datum - datetime.timedelta(days=30),
            finished=proeve.datum + datetime.timedelta(hours=3),
        )
    finished = dossier4.proeven.filter(status=Proeve.Status.AFGEROND).first()
    if finished is not None and finished.pdf_status != Proeve.PdfStatus.KLAAR:
        services.proeve_pdf_render(proeve_id=finished.pk)
