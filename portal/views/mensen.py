"""People management for coordinators: add and invite accounts, set partnership roles."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajecten import selectors as traject_selectors
from trajecten.access import trajecten_for
from trajecten.models import Rol, Traject

from .. import selectors, services
from ..forms import PersonAddForm, PersonRolesForm
from ..models import School


@login_required
def mensen(request):
    """The people of the coordinator's partnership, with their roles."""
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    people = selectors.people_of(ps).order_by("last_name", "first_name")
    ps_trajecten = Traject.objects.filter(school__bestuur__partnerschap=ps)
    # A NUL byte cannot reach PostgreSQL (a 500 there): search without it.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    people = people.prefetch_related(
        Prefetch("schoolleider_van", queryset=School.objects.filter(bestuur__partnerschap=ps)),
    ).annotate(
        is_docent=Exists(ps.docenten.through.objects.filter(partnerschap=ps, user=OuterRef("pk"))),
        is_assessor=Exists(
            ps.assessoren.through.objects.filter(partnerschap=ps, user=OuterRef("pk"))
        ),
        is_coordinator=Exists(
            ps.coordinatoren.through.objects.filter(partnerschap=ps, user=OuterRef("pk"))
        ),
        **{
            f"is_{field}": Exists(ps_trajecten.filter(**{field: OuterRef("pk")}))
            for field in ("zij_instromer", "coach", "slb", "duo")
        },
    )
    return render(
        request,
        "portal/mensen.html",
        {"partnerschap": ps, "people": people[:300], "q": query},
    )


@login_required
def mens_nieuw(request):
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person, created = services.person_add(
            partnerschap=ps, added_by=request.user, request=request, **form.cleaned_data
        )
        if created:
            messages.success(
                request,
                _("%(name)s is toegevoegd en heeft een uitnodiging per e-mail gekregen.")
                % {"name": person.get_full_name()},
            )
        else:
            messages.info(
                request,
                _(
                    "Er bestond al een account voor %(email)s; het is aan het partnerschap "
                    "toegevoegd."
                )
                % {"email": person.email},
            )
        return redirect("portal:mens", pk=person.pk)
    return render(request, "portal/mens_nieuw.html", {"form": form, "partnerschap": ps})


@login_required
def mens(request, pk: int):
    """A person's partnership roles; changing them needs a recent re-authentication (asked
    after the access check, so outsiders get the same 404 as for a missing person)."""
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    person = selectors.get_person_for(request.user, pk, ps)
    return _mens(request, ps, person)


@reauthentication_required(allow_get=True)
def _mens(request, ps, person):
    schools = School.objects.filter(bestuur__partnerschap=ps).select_related("bestuur")
    initial = {
        "schools": schools.filter(leiders=person),
        "docent": ps.docenten.filter(pk=person.pk).exists(),
        "assessor": ps.assessoren.filter(pk=person.pk).exists(),
        "coordinator": ps.coordinatoren.filter(pk=person.pk).exists(),
    }
    form = PersonRolesForm(request.POST or None, initial=initial, schools=schools)
    if request.method == "POST" and form.is_valid():
        services.person_roles_set(
            partnerschap=ps,
            person=person,
            schools=list(form.cleaned_data["schools"]),
            docent=form.cleaned_data["docent"],
            assessor=form.cleaned_data["assessor"],
            coordinator=form.cleaned_data["coordinator"],
            changed_by=request.user,
            request=request,
        )
        messages.success(
            request, _("De rollen van %(name)s zijn opgeslagen.") % {"name": person.get_full_name()}
        )
        return redirect("portal:mens", pk=person.pk)
    trajecten = traject_selectors.traject_list(
        trajecten_for(request.user, [Rol.COORDINATOR]).filter(
            Q(zij_instromer=person) | Q(coach=person) | Q(slb=person) | Q(duo=person)
        )
    )
    return render(
        request,
        "portal/mens.html",
        {"partnerschap": ps, "person": person, "form": form, "trajecten": trajecten},
    )


@login_required
@require_POST
def mens_uitnodigen(request, pk: int):
    ps = selectors.get_coordinated_partnerschap(request.user, request.GET.get("partnerschap"))
    person = selectors.get_person_for(request.user, pk, ps)
    services.person_reinvite(person=person, invited_by=request.user, request=request)
    messages.success(
        request, _("Uitnodiging opnieuw verstuurd naar %(email)s.") % {"email": person.email}
    )
    return redirect("portal:mens", pk=person.pk)
