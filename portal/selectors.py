"""Reads for people and organisations."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trajecten.models import Traject

from .models import Inzageverzoek, Partnerschap, School, User


def partnerschappen_coordinated_by(user: User) -> QuerySet[Partnerschap]:
    """The partnerships `user` coordinates."""
    if not user.is_authenticated:
        return Partnerschap.objects.none()
    return Partnerschap.objects.filter(coordinatoren=user).order_by("name")


MAX_ID = 2**63 - 1  # the largest id a database key holds


def id_or_404(value) -> int:
    """`value` (from a URL or form) as a database id, or Http404: never a ValueError or a
    database error for text, NUL bytes or numbers out of range."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
        raise Http404
    return int(text)


def get_coordinated_partnerschap(user: User, pk: int | str | None = None) -> Partnerschap:
    """The partnership `user` coordinates (the given one, or their first when none or an
    empty value is given); 404 otherwise, for anything that is not one of their ids too
    (text, a NUL byte, a number past the id range)."""
    qs = partnerschappen_coordinated_by(user)
    ps = qs.filter(pk=id_or_404(pk)).first() if pk not in (None, "") else qs.first()
    if ps is None:
        raise Http404
    return ps


def people_of(partnerschap: Partnerschap) -> QuerySet[User]:
    """Everyone with a relation to `partnerschap`: members, pools, school leaders, and the
    people on its trajecten."""
    ps_schools = School.objects.filter(bestuur__partnerschap=partnerschap)
    in_traject = Traject.objects.filter(school__in=ps_schools).filter(
        Q(zij_instromer=OuterRef("pk"))
        | Q(coach=OuterRef("pk"))
        | Q(slb=OuterRef("pk"))
        | Q(duo=OuterRef("pk"))
    )
    return User.objects.filter(
        Q(lid_van=partnerschap)
        | Q(coordinator_van=partnerschap)
        | Q(docent_van=partnerschap)
        | Q(assessor_van=partnerschap)
        | Q(schoolleider_van__in=ps_schools)
        | Exists(in_traject)
    ).distinct()


def get_person_for(user: User, pk: int, partnerschap: Partnerschap) -> User:
    """A person of the coordinator's partnership, or 404."""
    person = people_of(partnerschap).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_inzageverzoek_for(partnerschap: Partnerschap, person: User, pk) -> Inzageverzoek:
    """A formal request for access of `person` in the coordinator's `partnerschap`, or 404
    (call after get_coordinated_partnerschap and get_person_for)."""
    verzoek = Inzageverzoek.objects.filter(
        pk=id_or_404(pk), persoon=person, partnerschap=partnerschap
    ).first()
    if verzoek is None:
        raise Http404
    return verzoek


def get_released_inzageverzoek_of(user: User, pk) -> Inzageverzoek:
    """The person's own released request for access, or 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    verzoek = Inzageverzoek.objects.filter(
        pk=id_or_404(pk), persoon=user, status=Inzageverzoek.Status.VERSTREKT
    ).first()
    if verzoek is None:
        raise Http404
    return verzoek


def inzageverzoeken_of(user: User) -> list[Inzageverzoek]:
    """The person's own requests for access (the settings page)."""
    return list(Inzageverzoek.objects.filter(persoon=user)) if user.is_authenticated else []


def partnerschap_of(user: User) -> Partnerschap | None:
    """The partnership a person belongs to, for pages that are the same for everyone in it
    (role descriptions). Coordinators first, then membership, school, traject."""
    if not user.is_authenticated:
        return None
    school_of_traject = School.objects.filter(
        Q(trajecten__zij_instromer=user)
        | Q(trajecten__coach=user)
        | Q(trajecten__slb=user)
        | Q(trajecten__duo=user)
        | Q(leiders=user)
    )
    return (
        Partnerschap.objects.filter(
            Q(coordinatoren=user)
            | Q(leden=user)
            | Q(docenten=user)
            | Q(assessoren=user)
            | Q(besturen__scholen__in=school_of_traject)
        )
        .order_by("pk")
        .first()
    )


def startbijeenkomsten_for(partnerschap: Partnerschap):
    from django.db.models import Count

    return partnerschap.startbijeenkomsten.annotate(
        n_invited=Count("uitnodigingen"),
        n_present=Count("uitnodigingen", filter=Q(uitnodigingen__aanwezig=True)),
    ).order_by("-starts_at")


def get_startbijeenkomst_for(user: User, pk: int):
    """A start meeting the user coordinates or is invited to; 404 otherwise. Sets
    `.can_manage` for coordinators."""
    from .models import Startbijeenkomst

    item = (
        Startbijeenkomst.objects.filter(pk=pk)
        .filter(Q(partnerschap__coordinatoren=user) | Q(uitnodigingen__user=user))
        .select_related("partnerschap")
        .distinct()
        .first()
    )
    if item is None:
        raise Http404
    item.can_manage = item.partnerschap.coordinatoren.filter(pk=user.pk).exists()
    return item


def training_register(partnerschap: Partnerschap) -> dict:
    """Coaches and SLBs of the partnership with their completed training, trained coaches
    per school, and the trajecten whose coach has no coach training yet. Constant queries."""
    from collections import defaultdict

    from .models import Scholing

    trajecten = Traject.objects.filter(
        school__bestuur__partnerschap=partnerschap,
        status__in=[Traject.Status.INTAKE, Traject.Status.ACTIEF],
    ).select_related("zij_instromer", "coach", "school")
    coach_ids = {t.coach_id for t in trajecten if t.coach_id}
    slb_ids = set(
        Traject.objects.filter(
            school__bestuur__partnerschap=partnerschap, slb__isnull=False
        ).values_list("slb_id", flat=True)
    )
    scholingen = defaultdict(list)
    for s in Scholing.objects.filter(partnerschap=partnerschap).order_by("datum"):
        scholingen[s.user_id].append(s)
    people = User.objects.filter(pk__in=coach_ids | slb_ids).order_by("last_name", "first_name")
    rows = []
    for person in people:
        done = scholingen.get(person.pk, [])
        rows.append(
            {
                "person": person,
                "is_coach": person.pk in coach_ids,
                "is_slb": person.pk in slb_ids,
                "training": next(
                    (s for s in done if s.soort == Scholing.Soort.COACHTRAINING), None
                ),
                "terugkom": [s for s in done if s.soort == Scholing.Soort.TERUGKOM],
                "ttt": next((s for s in done if s.soort == Scholing.Soort.TRAIN_THE_TRAINER), None),
            }
        )
    trained = {r["person"].pk for r in rows if r["training"]}
    per_school = defaultdict(lambda: {"school": None, "coaches": set(), "trained": set()})
    flagged = []
    for t in trajecten:
        entry = per_school[t.school_id]
        entry["school"] = t.school
        if t.coach_id:
            entry["coaches"].add(t.coach_id)
            if t.coach_id in trained:
                entry["trained"].add(t.coach_id)
        if t.coach_id and t.coach_id not in trained:
            flagged.append(t)
    schools = sorted(
        (
            {"school": e["school"], "coaches": len(e["coaches"]), "trained": len(e["trained"])}
            for e in per_school.values()
        ),
        key=lambda e: e["school"].name,
    )
    return {"rows": rows, "schools": schools, "flagged": flagged}
