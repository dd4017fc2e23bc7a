"""factory_boy factories for every app. Each app keeps its own section below."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from portal.models import Partnerschap, School, Schoolbestuur, User
from trajecten.models import Bekwaamheidsgebied, Logboekregel, Ontwikkelpunt, Traject

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
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
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


class TrajectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Traject

    zij_instromer = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    route = Traject.Route.ZIB
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=700))
    status = Traject.Status.ACTIEF
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
    def eisen(obj, create, extracted, **kwargs):  # noqa: N805
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


class ProeveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proeve

    dossier = factory.SubFactory(DossierFactory)
    status = Proeve.Status.INGEDIEND
    snapshot = factory.LazyFunction(lambda: {"kader": {"gebieden": []}, "opdrachten": []})
    ingediend_at = factory.LazyFunction(timezone.now)


# --- overviews (portal) -------------------------------------------------------------------
