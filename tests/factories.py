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

# --- bekwaamheid --------------------------------------------------------------------------

# --- overviews (portal) -------------------------------------------------------------------
