"""factory_boy factories for every app. Each app keeps its own section below."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from portal.models import Partnerschap, School, Schoolbestuur, User
from trajecten.models import Bekwaamheidsgebied, Logboekregel, Ontwikkelpunt, Stage, Traject

PASSWORD = "test-wachtwoord-123"

# --- portal -------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.test")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnerschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnerschap

    name = factory.Sequence(lambda n: f"Partnerschap {n}")
    pabo = "Pabo Test"


class SchoolbestuurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schoolbestuur

    partnerschap = factory.SubFactory(PartnerschapFactory)
    name = factory.Sequence(lambda n: f"Stichting {n}")
    bevoegd_gezag_nummer = factory.Sequence(lambda n: f"{50000 + n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    bestuur = factory.SubFactory(SchoolbestuurFactory)
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(lambda n: f"{n:02d}ZZ{n % 100:02d}"[-6:])
    plaats = "Utrecht"
    is_partnerschool = True


# --- trajecten ----------------------------------------------------------------------------


# Models named as "app.Model" strings and traject factories by path: this section sits above
# TrajectFactory and the shared import line.


def _phase_from_records(traject_id) -> None:
    """The traject's phase as its records give it, for factories that write those records
    without the services that move it (as the bulk generators do): trajecten.lifecycle."""
    from trajecten import lifecycle

    lifecycle.store_derived([traject_id])


class _SetsPhase:
    """Mixin of the factories of records that put a traject in a phase."""

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            _phase_from_records(cls._traject_id(instance))


class GeschiktheidsonderzoekFactory(_SetsPhase, factory.django.DjangoModelFactory):
    _traject_id = staticmethod(lambda o: o.traject_id)

    class Meta:
        model = "trajecten.Geschiktheidsonderzoek"

    traject = factory.SubFactory("tests.factories.TrajectFactory")
    datum = factory.LazyAttribute(lambda o: o.traject.start_date - datetime.timedelta(days=30))
    uitkomst = "positief"
    kan_direct_lesgeven = "Ja, met begeleiding."
    kan_binnen_twee_jaar = "Ja."
    scholing_en_ondersteuning = "Modules didactiek en pedagogiek, coach op school."
    vastgelegd_door = factory.LazyAttribute(lambda o: o.traject.slb)


class ScholingsplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trajecten.Scholingsplan"

    traject = factory.SubFactory("tests.factories.TrajectFactory")


class ScholingsplanversieFactory(_SetsPhase, factory.django.DjangoModelFactory):
    _traject_id = staticmethod(lambda o: o.plan.traject_id)

    class Meta:
        model = "trajecten.Scholingsplanversie"

    plan = factory.SubFactory(ScholingsplanFactory)
    nummer = 1
    status = "concept"
    created_by = factory.LazyAttribute(lambda o: o.plan.traject.slb)


class ActiviteitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trajecten.Activiteit"

    versie = factory.SubFactory(ScholingsplanversieFactory)
    ontwikkelpunt = factory.SubFactory(
        "tests.factories.OntwikkelpuntFactory",
        traject=factory.SelfAttribute("..versie.plan.traject"),
    )
    omschrijving = factory.Sequence(lambda n: f"Module {n}")
    ondersteuning = factory.LazyFunction(lambda: ["slb"])
    periode_van = factory.LazyAttribute(lambda o: o.versie.plan.traject.start_date)
    periode_tot = factory.LazyAttribute(lambda o: o.versie.plan.traject.end_date)


class TrajectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traject

    zij_instromer = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    route = Traject.Route.ZIB
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=700))
    status = Traject.Status.ACTIEF
    # The phase that goes with the status (an active traject is in its training); tests of
    # the lifecycle itself set both, or move it through trajecten.lifecycle.
    fase = factory.LazyAttribute(
        lambda o: {
            Traject.Status.INTAKE: Stage.INTAKE,
            Traject.Status.ACTIEF: Stage.OPLEIDING,
            Traject.Status.AFGEROND: Stage.AFGEROND,
            Traject.Status.GESTOPT: Stage.GESTOPT,
        }[o.status]
    )
    coach = factory.SubFactory(UserFactory)
    slb = factory.SubFactory(UserFactory)
    duo = factory.SubFactory(UserFactory)


def gebied(code: str = "pedagogisch") -> Bekwaamheidsgebied:
    return Bekwaamheidsgebied.objects.get(code=code)


class OntwikkelpuntFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ontwikkelpunt

    traject = factory.SubFactory(TrajectFactory)
    gebied = factory.LazyFunction(gebied)
    titel = factory.Sequence(lambda n: f"Ontwikkelpunt {n}")


class LogboekregelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Logboekregel

    traject = factory.SubFactory(TrajectFactory)
    datum = factory.LazyFunction(timezone.localdate)
    wat_er_gebeurde = "Een rekenles gegeven aan groep 5."
    geleerd = "Instructie korter houden."


# --- gesprekken ---------------------------------------------------------------------------

from gesprekken import models as gm  # noqa: E402  (each app keeps its imports in its section)
from gesprekken.planning import at_default_time  # noqa: E402


class SignaalTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = gm.SignaalTag
        django_get_or_create = ("partnerschap", "name")

    partnerschap = factory.SubFactory(PartnerschapFactory)
    name = factory.Sequence(lambda n: f"tag {n}")


class GesprekFactory(factory.django.DjangoModelFactory):
    """A cycle conversation ten days from now (pass cycle_number to avoid slot clashes)."""

    class Meta:
        model = gm.Gesprek

    traject = factory.SubFactory(TrajectFactory)
    soort = gm.Gesprek.Soort.CYCLUS
    cycle_number = factory.Sequence(lambda n: 50 + n)
    planned_for = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    starts_at = factory.LazyAttribute(lambda o: at_default_time(o.planned_for))
    location = "Lokaal 3"

    class Params:
        # Held today, an hour ago: its report may be signed (from the conversation's day on).
        held = factory.Trait(
            planned_for=factory.LazyFunction(timezone.localdate),
            starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )


class VoorbereidingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = gm.Voorbereiding

    gesprek = factory.SubFactory(GesprekFactory)
    rol = "zij_instromer"
    auteur = factory.LazyAttribute(lambda o: o.gesprek.traject.holder(o.rol))
    waar_sta_ik = "Ik sta stevig voor de klas."
    reflectievragen = "Wat merkte je aan de groep?"
    ready_at = factory.LazyFunction(timezone.now)


class VerslagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = gm.Verslag

    gesprek = factory.SubFactory(GesprekFactory)
    tekst = "We bespraken de rekenlessen."
    koers = gm.Verslag.Koers.OP_KOERS
    created_by = factory.LazyAttribute(lambda o: o.gesprek.traject.slb)
    updated_by = factory.LazyAttribute(lambda o: o.gesprek.traject.slb)


class AfspraakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = gm.Afspraak

    verslag = factory.SubFactory(VerslagFactory)
    omschrijving = "Lesbezoek bij een collega in groep 6"
    owner = factory.LazyAttribute(lambda o: o.verslag.gesprek.traject.zij_instromer)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


def sign_all(verslag) -> None:
    """Sign `verslag` by everyone and lock it (test shortcut, no services)."""
    traject = verslag.gesprek.traject
    for rol in ("zij_instromer", "coach", "slb"):
        if traject.holder(rol):
            gm.Handtekening.objects.create(
                verslag=verslag, rol=rol, user=traject.holder(rol), version=verslag.version
            )
    verslag.locked_at = timezone.now()
    verslag.save(update_fields=["locked_at"])
    _store_figures(traject.pk)


def _store_figures(traject_id: int) -> None:
    """What the services do after such a write: store the traject's overview figures
    (trajecten.figures). The shortcuts here write the models directly, so they do it too."""
    from portal.overview.figures import refresh_traject_figures

    refresh_traject_figures([traject_id])


# --- bekwaamheid --------------------------------------------------------------------------

from bekwaamheid.models import (  # noqa: E402
    Bekwaamheidskader,
    Bewijsstuk,
    Dossier,
    Feedback,
    Onderzoeksopdracht,
    Opdracht,
    Proeve,
    Succescriterium,
)

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def active_kader() -> Bekwaamheidskader:
    """The framework version seeded by the migration."""
    return Bekwaamheidskader.objects.get(status=Bekwaamheidskader.Status.ACTIEF)


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier
        django_get_or_create = ["traject"]

    traject = factory.SubFactory(TrajectFactory)
    kader = factory.LazyFunction(active_kader)


class OpdrachtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opdracht
        skip_postgeneration_save = True

    titel = factory.Sequence(lambda n: f"Onderzoeksopdracht {n}")
    omschrijving = "Onderzoek hoe je instructie aansluit bij de leerdoelen."
    partnerschap = factory.SubFactory(PartnerschapFactory)
    gesteld_door = factory.SubFactory(UserFactory)
    doelgroep = "test"

    @factory.post_generation
    def eisen(obj, create, extracted, **kwargs):
        if create:
            obj.eisen.set(extracted or active_kader().eisen.filter(code__in=["VD1", "PE1"]))


class OnderzoeksopdrachtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onderzoeksopdracht

    dossier = factory.SubFactory(DossierFactory)
    opdracht = factory.SubFactory(
        OpdrachtFactory,
        partnerschap=factory.SelfAttribute("..dossier.traject.school.bestuur.partnerschap"),
    )


class SuccescriteriumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Succescriterium

    onderzoeksopdracht = factory.SubFactory(OnderzoeksopdrachtFactory)
    tekst = factory.Sequence(lambda n: f"Succescriterium {n}")
    reflectie = "Het lukte bij de meeste leerlingen."


class BewijsstukFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bewijsstuk

    onderzoeksopdracht = factory.SubFactory(OnderzoeksopdrachtFactory)
    titel = factory.Sequence(lambda n: f"Lesplan {n}")
    bestand = factory.django.FileField(filename="lesplan.pdf", data=TINY_PDF)
    bestand_naam = "lesplan.pdf"
    mime = "application/pdf"
    size = len(TINY_PDF)
    toegevoegd_door = factory.LazyAttribute(
        lambda o: o.onderzoeksopdracht.dossier.traject.zij_instromer
    )


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    onderzoeksopdracht = factory.SubFactory(OnderzoeksopdrachtFactory)
    auteur = factory.LazyAttribute(lambda o: o.onderzoeksopdracht.dossier.traject.coach)
    tekst = "Mooie opbouw; let op de controle van begrip."


class ProeveFactory(_SetsPhase, factory.django.DjangoModelFactory):
    _traject_id = staticmethod(lambda o: o.dossier.traject_id)

    class Meta:
        model = Proeve

    dossier = factory.SubFactory(DossierFactory)
    status = Proeve.Status.INGEDIEND
    snapshot = factory.LazyFunction(lambda: {"kader": {"gebieden": []}, "opdrachten": []})
    ingediend_at = factory.LazyFunction(timezone.now)


# --- overviews (portal) -------------------------------------------------------------------
# Small builders for the overview tests: each makes exactly the record it names, so a test
# can state its data set and the numbers it expects.

from types import SimpleNamespace  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from trajecten import models as tm  # noqa: E402

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    """`day` at `hour` o'clock, Dutch time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


def onderzoek_positief(traject) -> tm.Geschiktheidsonderzoek:
    return tm.Geschiktheidsonderzoek.objects.create(
        traject=traject,
        datum=traject.start_date,
        uitkomst="positief",
        kan_direct_lesgeven="Ja.",
        kan_binnen_twee_jaar="Ja.",
        scholing_en_ondersteuning="Rekenen.",
        vastgelegd_door=traject.slb,
    )


def planversie(traject, status: str, nummer: int = 1, **extra) -> tm.Scholingsplanversie:
    plan, _created = tm.Scholingsplan.objects.get_or_create(traject=traject)
    return tm.Scholingsplanversie.objects.create(
        plan=plan, nummer=nummer, status=status, created_by=traject.slb, **extra
    )


def toewijzing(traject, rol: str, user, van: datetime.date) -> tm.Roltoewijzing:
    """`user` holds `rol` from `van` on; the previous holder's assignment ends then."""
    tm.Roltoewijzing.objects.filter(traject=traject, rol=rol, tot__isnull=True).update(
        tot=at(van, 9)
    )
    made = tm.Roltoewijzing.objects.create(traject=traject, rol=rol, user=user, van=at(van, 9))
    _store_figures(traject.pk)
    return made


def slot(
    traject,
    number: int,
    planned: datetime.date,
    *,
    signed=None,
    koers="",
    draft=False,
    soort="cyclus",
    status="gepland",
) -> gm.Gesprek:
    """A conversation planned on `planned`; with `signed` (a date) a report locked that day
    (with `koers`); with `draft` an unsigned report."""
    gesprek = GesprekFactory(
        traject=traject,
        soort=soort,
        cycle_number=number if soort == "cyclus" else None,
        planned_for=planned if soort == "cyclus" else None,
        starts_at=at(planned, 10),
        status=status,
    )
    if signed or draft:
        verslag = VerslagFactory(gesprek=gesprek, koers=koers)
        if signed:
            verslag.locked_at = at(signed)
            verslag.save(update_fields=["locked_at"])
            _store_figures(traject.pk)
    return gesprek


def signaal(gesprek, soort: str, tekst: str, tags=()) -> gm.Signaal:
    item = gm.Signaal.objects.create(verslag=gesprek.verslag, soort=soort, tekst=tekst)
    item.tags.set(tags)
    _store_figures(gesprek.traject_id)
    return item


def proeve(traject, poging: int, uitslag: str):
    from bekwaamheid.models import Bekwaamheidskader, Dossier, Proeve

    dossier, _created = Dossier.objects.get_or_create(
        traject=traject, defaults={"kader": Bekwaamheidskader.objects.order_by("pk").first()}
    )
    made = Proeve.objects.create(
        dossier=dossier,
        poging=poging,
        uitslag=uitslag,
        status="afgerond" if uitslag else "gepland",
    )
    _store_figures(traject.pk)
    return made


def overview_world() -> SimpleNamespace:
    """Two boards with one school each, six trajecten with known stages, conversations,
    answers, signals, Proeve results and role changes, and a second partnership that must
    never show. Build it on 15 June 2026 (see tests/portal/test_overzicht.py for the numbers).
    """
    d = datetime.date
    ps = PartnerschapFactory(name="Partnerschap West")
    b1 = SchoolbestuurFactory(partnerschap=ps, name="Stichting Een")
    b2 = SchoolbestuurFactory(partnerschap=ps, name="Stichting Twee")
    school_a = SchoolFactory(bestuur=b1, name="De Akker")
    school_b = SchoolFactory(bestuur=b2, name="De Beuk")
    coordinator = UserFactory(first_name="Cora", last_name="Coördinator")
    ps.coordinatoren.add(coordinator)
    leider_a = UserFactory(first_name="Lars", last_name="Leider")
    school_a.leiders.add(leider_a)
    leider_b = UserFactory(first_name="Bea", last_name="Leider")
    school_b.leiders.add(leider_b)
    werkdruk = SignaalTagFactory(partnerschap=ps, name="werkdruk")
    team = SignaalTagFactory(partnerschap=ps, name="team")

    def person(first, last):
        return UserFactory(first_name=first, last_name=last)

    def traject(first, school, start, end, status="actief", route="zib"):
        return TrajectFactory(
            zij_instromer=person(first, "Zijinstromer"),
            school=school,
            start_date=start,
            end_date=end,
            status=status,
            route=route,
        )

    # De Akker (Stichting Een)
    a1 = traject("Anna", school_a, d(2025, 9, 1), d(2027, 8, 31))
    onderzoek_positief(a1)
    planversie(a1, "vastgesteld")
    planversie(a1, "ter_instemming", nummer=2, submitted_at=at(d(2026, 6, 1)))
    slot(a1, 1, d(2025, 12, 1), signed=d(2025, 12, 10), koers="op_koers")  # on time
    slot(a1, 2, d(2026, 3, 1), signed=d(2026, 3, 20), koers="aandacht")  # late (15 Mar)
    slot(a1, 3, d(2026, 6, 1))  # deadline is today: not counted yet
    toewijzing(a1, "coach", a1.duo, d(2025, 9, 1))
    toewijzing(a1, "coach", a1.coach, d(2026, 1, 1))  # one coach change
    toewijzing(a1, "slb", a1.slb, d(2025, 9, 1))

    a2 = traject("Bram", school_a, d(2024, 9, 1), d(2026, 8, 31), route="versneld")
    onderzoek_positief(a2)
    planversie(a2, "vastgesteld")
    v2 = planversie(a2, "ter_instemming", nummer=2, submitted_at=at(d(2026, 6, 2)))
    tm.Instemming.objects.create(versie=v2, partij="school", user=leider_a, rol="schoolleider")
    slot(a2, 1, d(2026, 1, 10), signed=d(2026, 1, 12), koers="uit_koers")
    g = slot(a2, 2, d(2026, 4, 10), signed=d(2026, 4, 20), koers="uit_koers")
    signaal(g, "belemmering", "De werkdruk is te hoog.", [werkdruk])
    signaal(g, "succes", "Het team helpt mee.", [team, werkdruk])
    proeve(a2, 1, "onvoldoende")
    proeve(a2, 2, "")  # herkansing, no result yet

    a3 = traject("Cas", school_a, d(2026, 5, 1), d(2028, 4, 30), status="intake")

    # De Beuk (Stichting Twee)
    b_1 = traject("Dirk", school_b, d(2025, 3, 1), d(2027, 2, 28))
    onderzoek_positief(b_1)
    planversie(b_1, "ter_instemming", submitted_at=at(d(2026, 5, 1)))
    g = slot(b_1, 1, d(2025, 6, 1), signed=d(2025, 6, 5), koers="op_koers")
    signaal(g, "ondersteuning", "Hulp bij het plannen van de studiedag.")
    g = slot(b_1, 2, d(2025, 9, 1), draft=True, koers="uit_koers")  # overdue, draft only
    signaal(g, "belemmering", "Concept: telt niet mee.", [werkdruk])
    slot(b_1, 3, d(2026, 5, 20))  # overdue (deadline 3 June)
    slot(b_1, 4, d(2026, 2, 1), status="vervallen")  # does not count
    slot(b_1, 0, d(2026, 4, 1), soort="extra")  # does not count
    for n, day in enumerate((d(2025, 3, 1), d(2025, 8, 1), d(2026, 1, 1))):
        toewijzing(b_1, "slb", b_1.slb if n == 2 else UserFactory(), day)  # two SLB changes

    b_2 = traject("Eva", school_b, d(2025, 1, 1), d(2026, 12, 31), status="gestopt")
    onderzoek_positief(b_2)
    slot(b_2, 1, d(2025, 4, 1), signed=d(2025, 4, 5), koers="uit_koers")
    g = slot(b_2, 2, d(2025, 7, 1), signed=d(2025, 7, 3), koers="uit_koers")
    signaal(g, "succes", "De klas is rustiger.", [team])

    b_3 = traject("Fleur", school_b, d(2024, 1, 1), d(2025, 12, 31), status="afgerond")
    onderzoek_positief(b_3)
    planversie(b_3, "vastgesteld")
    proeve(b_3, 1, "voldoende")

    # Another partnership: never in the overviews above.
    elsewhere = traject("Gijs", SchoolFactory(name="Elders"), d(2025, 9, 1), d(2027, 8, 31))
    g = slot(elsewhere, 1, d(2025, 12, 1), signed=d(2025, 12, 2), koers="uit_koers")
    signaal(g, "belemmering", "Elders geklaagd.", [])

    return SimpleNamespace(
        ps=ps,
        b1=b1,
        b2=b2,
        school_a=school_a,
        school_b=school_b,
        coordinator=coordinator,
        leider_a=leider_a,
        leider_b=leider_b,
        werkdruk=werkdruk,
        team=team,
        a1=a1,
        a2=a2,
        a3=a3,
        b_1=b_1,
        b_2=b_2,
        b_3=b_3,
        elsewhere=elsewhere,
    )
