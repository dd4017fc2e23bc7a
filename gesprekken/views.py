"""Views of the conversation cycle: fetch through the access layer, bind, call a service,
redirect (or render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.mail import absolute_url
from trajecten.access import has_role, require_role
from trajecten.models import Rol

from . import ical, selectors, services
from .access import (
    BEGELEIDERS,
    DEELNEMERS,
    get_afspraak_for,
    get_gesprek_for,
    get_tag_for,
    get_traject_for_gesprekken,
    participant_role,
)
from .forms import (
    AddendumForm,
    AfspraakFormSet,
    GesprekMoveForm,
    GesprekPlanForm,
    PriveNotitieForm,
    SignaalFormSet,
    SignaalTagForm,
    SignForm,
    VerslagForm,
    VoorbereidingForm,
    formset_rows,
)
from .models import SignaalTag

# --- The cycle -----------------------------------------------------------------------------


@login_required
def cyclus(request, traject_pk: int):
    """All conversations of a traject with their state."""
    traject = get_traject_for_gesprekken(request.user, traject_pk)
    gesprekken = list(selectors.cycle_for(traject))
    rows = [(g, selectors.state_of(g)) for g in gesprekken]
    return render(
        request,
        "gesprekken/cyclus.html",
        {
            "traject": traject,
            "rows": rows,
            "is_deelnemer": has_role(traject, *DEELNEMERS),
            "can_plan": has_role(traject, *BEGELEIDERS),
            "now": timezone.now(),
        },
    )


@login_required
def mine(request):
    """The user's coming conversations and the reports waiting for their signature."""
    upcoming = list(selectors.upcoming_for(request.user))
    to_sign = list(selectors.to_sign_for(request.user))
    return render(
        request,
        "gesprekken/mine.html",
        {
            "upcoming": [(g, selectors.state_of(g)) for g in upcoming],
            "to_sign": [(g, selectors.state_of(g)) for g in to_sign],
        },
    )


@login_required
def add(request, traject_pk: int):
    """Plan an extra conversation (SLB or coach)."""
    traject = get_traject_for_gesprekken(request.user, traject_pk)
    require_role(traject, *BEGELEIDERS)
    form = GesprekPlanForm(request.POST or None, traject=traject, submit_label=_("Gesprek plannen"))
    if request.method == "POST" and form.is_valid():
        gesprek = services.gesprek_add(
            traject=traject,
            actor=request.user,
            starts_at=form.starts_at,
            duration_minutes=form.cleaned_data["duration_minutes"],
            location=form.cleaned_data["location"],
            video_url=form.cleaned_data["video_url"],
            request=request,
        )
        messages.success(request, _("Het extra gesprek is gepland."))
        return redirect("gesprekken:detail", pk=gesprek.pk)
    return render(request, "gesprekken/plan.html", {"traject": traject, "form": form})


@login_required
def move(request, pk: int):
    """Move a conversation (SLB or coach): it keeps its place in the cycle."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    require_role(traject, *BEGELEIDERS)
    form = GesprekMoveForm(
        request.POST or None,
        initial=GesprekMoveForm.initial_for(gesprek),
        traject=traject,
        submit_label=_("Verplaatsen"),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.gesprek_move(
                gesprek=gesprek,
                actor=request.user,
                sequence=form.cleaned_data["sequence"],
                starts_at=form.starts_at,
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.VerslagLocked:
            messages.error(
                request,
                _("Dit gesprek heeft een ondertekend verslag en kan niet meer verplaatst worden."),
            )
            return redirect("gesprekken:detail", pk=gesprek.pk)
        except services.StaleVersion as stale:
            messages.error(
                request,
                _(
                    "Iemand anders heeft dit gesprek intussen verplaatst. Bekijk de nieuwe datum "
                    "hieronder; jouw invoer staat nog in het formulier. Sla opnieuw op om toch "
                    "jouw voorstel te gebruiken."
                ),
            )
            form = _rebind(
                form,
                GesprekMoveForm,
                "sequence",
                stale.current.sequence,
                traject=traject,
                submit_label=_("Verplaatsen"),
            )
            gesprek = stale.current
            gesprek.traject = traject
            status = 409
        else:
            messages.success(request, _("Het gesprek is verplaatst. De anderen krijgen bericht."))
            return redirect("gesprekken:detail", pk=gesprek.pk)
    return render(
        request,
        "gesprekken/move.html",
        {"gesprek": gesprek, "traject": traject, "form": form},
        status=status,
    )


def _rebind(form, form_class, version_field: str, current_version: int, **kwargs):
    """The same user input bound again with the current version: the user has now seen the
    conflict, so a second save is a deliberate one."""
    data = form.data.copy()
    data[form.add_prefix(version_field)] = current_version
    bound = form_class(data, **kwargs)
    bound.is_valid()
    return bound


# --- One conversation ----------------------------------------------------------------------


@login_required
def detail(request, pk: int):
    """The conversation: when and where, preparations (participants only) and the report.

    School leader and coordinator see the report only once it is signed by everyone."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    is_deelnemer = has_role(traject, *DEELNEMERS)
    verslag = selectors.verslag_of(gesprek)
    if verslag is not None and not verslag.is_locked and not is_deelnemer:
        verslag = None
    context = {
        "gesprek": gesprek,
        "traject": traject,
        "verslag": verslag,
        "is_deelnemer": is_deelnemer,
        "can_plan": has_role(traject, *BEGELEIDERS),
        "voorbereidingen": selectors.voorbereidingen_of(gesprek) if is_deelnemer else {},
    }
    if verslag is not None:
        context.update(_signing_context(request.user, gesprek, verslag, is_deelnemer))
    return render(request, "gesprekken/detail.html", context)


def _signing_context(user, gesprek, verslag, is_deelnemer: bool) -> dict:
    signers = services.required_signers(gesprek.traject)
    valid = services.valid_signatures(verslag)
    my_rol = participant_role(gesprek, user) if is_deelnemer else None
    return {
        "signatures": [
            {
                "rol": rol,
                "label": Rol(rol).label,
                "user": u,
                "signature": valid.get(rol),
                "earlier": [
                    h
                    for h in verslag.handtekeningen.all()
                    if h.rol == rol and h.version != verslag.version
                ],
            }
            for rol, u in signers.items()
        ],
        "can_sign": bool(my_rol) and my_rol not in valid and not verslag.is_locked,
        "sign_form": SignForm(initial={"version": verslag.version}),
        "addendum_form": AddendumForm() if is_deelnemer and verslag.is_locked else None,
    }


@login_required
def voorbereiden(request, pk: int):
    """Prepare the conversation: what changed since the last one, the others' preparations,
    your own preparation and (coach, SLB) your private note."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    rol = participant_role(gesprek, request.user)
    voorbereidingen = selectors.voorbereidingen_of(gesprek)
    mine = voorbereidingen.get(rol)
    changes = selectors.changes_since_previous(gesprek)
    form_kwargs = {
        "traject": gesprek.traject,
        "side_entrant": rol == Rol.ZIJ_INSTROMER,
        "since": changes.since,
    }
    form = VoorbereidingForm(
        request.POST or None, initial=_voorbereiding_initial(mine), **form_kwargs
    )
    status = 200
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.voorbereiding_save(
                gesprek=gesprek,
                user=request.user,
                rol=rol,
                version=data["version"],
                ready=data["ready"],
                waar_sta_ik=data.get("waar_sta_ik", ""),
                volgende_stap=data.get("volgende_stap", ""),
                wat_nodig=data.get("wat_nodig", ""),
                reflectievragen=data.get("reflectievragen", ""),
                ontwikkelpunten=data["ontwikkelpunten"],
                logboekregels=data.get("logboekregels", []),
                bewijsstukken=data.get("bewijsstukken"),
            )
        except services.StaleVersion as stale:
            conflict = stale.current
            messages.error(request, _CONFLICT_MESSAGE)
            form = _rebind(
                form,
                VoorbereidingForm,
                "version",
                conflict.version if conflict else 0,
                **form_kwargs,
            )
            status = 409
        else:
            messages.success(
                request,
                _("Je voorbereiding is opgeslagen en klaar voor het gesprek.")
                if data["ready"]
                else _("Je voorbereiding is opgeslagen als concept."),
            )
            return redirect("gesprekken:voorbereiden", pk=gesprek.pk)
    elif request.method == "POST":
        status = 400
    return _render_voorbereiden(
        request,
        gesprek,
        rol=rol,
        form=form,
        voorbereidingen=voorbereidingen,
        changes=changes,
        conflict=conflict,
        status=status,
    )


_CONFLICT_MESSAGE = _(
    "Dit is intussen ergens anders opgeslagen. Er is niets overschreven: jouw tekst staat nog "
    "in het formulier en de opgeslagen versie staat erboven. Neem over wat je wilt houden en "
    "sla opnieuw op."
)


def _voorbereiding_initial(mine) -> dict:
    if mine is None:
        return {"version": 0}
    return {
        "waar_sta_ik": mine.waar_sta_ik,
        "volgende_stap": mine.volgende_stap,
        "wat_nodig": mine.wat_nodig,
        "reflectievragen": mine.reflectievragen,
        "ontwikkelpunten": list(mine.ontwikkelpunten.all()),
        "logboekregels": list(mine.logboekregels.all()),
        **(
            {"bewijsstukken": list(mine.bewijsstukken.all())}
            if hasattr(mine, "bewijsstukken")
            else {}
        ),
        "ready": mine.is_ready,
        "version": mine.version,
    }


def _render_voorbereiden(
    request,
    gesprek,
    *,
    rol,
    form=None,
    note_form=None,
    voorbereidingen=None,
    changes=None,
    conflict=None,
    note_conflict=None,
    status=200,
):
    voorbereidingen = (
        voorbereidingen if voorbereidingen is not None else selectors.voorbereidingen_of(gesprek)
    )
    changes = changes or selectors.changes_since_previous(gesprek)
    if form is None:
        form = VoorbereidingForm(
            initial=_voorbereiding_initial(voorbereidingen.get(rol)),
            traject=gesprek.traject,
            side_entrant=rol == Rol.ZIJ_INSTROMER,
            since=changes.since,
        )
    if note_form is None and rol in BEGELEIDERS:
        note = selectors.prive_notitie_of(gesprek, request.user)
        note_form = PriveNotitieForm(
            initial={"tekst": note.tekst, "version": note.version} if note else {"version": 0}
        )
    others = [v for r, v in voorbereidingen.items() if r != rol]
    return render(
        request,
        "gesprekken/voorbereiden.html",
        {
            "gesprek": gesprek,
            "traject": gesprek.traject,
            "rol": rol,
            "form": form,
            "note_form": note_form,
            "others": others,
            "changes": changes,
            "conflict": conflict,
            "note_conflict": note_conflict,
            "mine": voorbereidingen.get(rol),
        },
        status=status,
    )


@login_required
@require_POST
def notitie(request, pk: int):
    """Save the coach's or SLB's private note (only its author ever sees it)."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *BEGELEIDERS)
    rol = participant_role(gesprek, request.user)
    note_form = PriveNotitieForm(request.POST)
    if note_form.is_valid():
        try:
            services.prive_notitie_save(
                gesprek=gesprek,
                user=request.user,
                tekst=note_form.cleaned_data["tekst"],
                version=note_form.cleaned_data["version"],
            )
        except services.StaleVersion as stale:
            messages.error(request, _CONFLICT_MESSAGE)
            note_form = _rebind(
                note_form,
                PriveNotitieForm,
                "version",
                stale.current.version if stale.current else 0,
            )
            return _render_voorbereiden(
                request,
                gesprek,
                rol=rol,
                note_form=note_form,
                note_conflict=stale.current,
                status=409,
            )
        messages.success(request, _("Je privénotitie is opgeslagen."))
        return redirect(reverse("gesprekken:voorbereiden", args=[gesprek.pk]) + "#notitie")
    return _render_voorbereiden(request, gesprek, rol=rol, note_form=note_form, status=400)


# --- The report ----------------------------------------------------------------------------


@login_required
def verslag(request, pk: int):
    """Write the report with agreements and signals (SLB; the coach may co-edit)."""
    gesprek = get_gesprek_for(request.user, pk)
    traject = gesprek.traject
    require_role(traject, *BEGELEIDERS)
    current = selectors.verslag_of(gesprek)
    if current is not None and current.is_locked:
        messages.error(
            request,
            _(
                "Dit verslag is door iedereen ondertekend en kan niet meer worden gewijzigd. "
                "Voeg een aanvulling toe."
            ),
        )
        return redirect("gesprekken:detail", pk=gesprek.pk)
    owners = services.required_signers(traject).values()
    tags = selectors.tags_for_verslag(traject, current)
    initial, afspraken_initial, signalen_initial = _verslag_initial(current)
    data = request.POST or None
    form = VerslagForm(data, initial=initial)
    afspraken = AfspraakFormSet(
        data, initial=afspraken_initial, prefix="afspraken", form_kwargs={"owners": list(owners)}
    )
    signalen = SignaalFormSet(
        data, initial=signalen_initial, prefix="signalen", form_kwargs={"tags": tags}
    )
    status = 200
    conflict = None
    if request.method == "POST":
        valid = form.is_valid() & afspraken.is_valid() & signalen.is_valid()
        if valid and not (form.has_changed() or afspraken.has_changed() or signalen.has_changed()):
            messages.info(request, _("Er was niets gewijzigd."))
            return redirect("gesprekken:detail", pk=gesprek.pk)
        if valid:
            try:
                services.verslag_save(
                    gesprek=gesprek,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    tekst=form.cleaned_data["tekst"],
                    koers=form.cleaned_data["koers"],
                    koers_reden=form.cleaned_data["koers_reden"],
                    afspraken=formset_rows(afspraken),
                    signalen=formset_rows(signalen),
                    request=request,
                )
            except services.VerslagLocked:
                messages.error(
                    request,
                    _(
                        "Het verslag is intussen door iedereen ondertekend "
                        "en vergrendeld; jouw wijziging is niet opgeslagen."
                    ),
                )
                return redirect("gesprekken:detail", pk=gesprek.pk)
            except services.StaleVersion as stale:
                conflict = selectors.verslag_of(gesprek)
                messages.error(request, _CONFLICT_MESSAGE)
                form = _rebind(
                    form, VerslagForm, "version", stale.current.version if stale.current else 0
                )
                status = 409
            else:
                messages.success(
                    request,
                    _("Het verslag is opgeslagen. Iedereen kan het nu lezen en ondertekenen."),
                )
                return redirect("gesprekken:detail", pk=gesprek.pk)
        else:
            status = 400
    return render(
        request,
        "gesprekken/verslag.html",
        {
            "gesprek": gesprek,
            "traject": traject,
            "form": form,
            "afspraken": afspraken,
            "signalen": signalen,
            "conflict": conflict,
            "current": current,
        },
        status=status,
    )


def _verslag_initial(current) -> tuple[dict, list, list]:
    if current is None:
        return {"version": 0}, [], []
    return (
        {
            "tekst": current.tekst,
            "koers": current.koers,
            "koers_reden": current.koers_reden,
            "version": current.version,
        },
        [
            {
                "id": a.pk,
                "omschrijving": a.omschrijving,
                "owner": a.owner_id,
                "due_date": a.due_date,
            }
            for a in current.afspraken.all()
        ],
        [
            {"id": s.pk, "soort": s.soort, "tekst": s.tekst, "tags": list(s.tags.all())}
            for s in current.signalen.all()
        ],
    )


@login_required
@require_POST
def sign(request, pk: int):
    """Sign the report as read (its version); the last signature locks it."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    current = selectors.verslag_of(gesprek)
    if current is None:
        raise Http404
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ondertekenen is niet gelukt; probeer het opnieuw."))
        return redirect("gesprekken:detail", pk=gesprek.pk)
    try:
        result = services.verslag_sign(
            verslag=current,
            user=request.user,
            version=form.cleaned_data["version"],
            request=request,
        )
    except services.VerslagLocked:
        messages.info(request, _("Het verslag is al door iedereen ondertekend."))
    except services.StaleVersion:
        messages.error(
            request,
            _(
                "Het verslag is gewijzigd nadat je het opende. Lees de nieuwe versie en "
                "onderteken dan opnieuw."
            ),
        )
    else:
        if result.is_locked:
            messages.success(
                request, _("Ondertekend. Iedereen heeft getekend: het verslag is nu vastgelegd.")
            )
        else:
            messages.success(request, _("Je hebt het verslag ondertekend."))
    return redirect("gesprekken:detail", pk=gesprek.pk)


@login_required
@require_POST
def addendum(request, pk: int):
    """Add a correction or addition to a signed report."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    current = selectors.verslag_of(gesprek)
    if current is None or not current.is_locked:
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.addendum_add(
            verslag=current, user=request.user, tekst=form.cleaned_data["tekst"], request=request
        )
        messages.success(request, _("Je aanvulling is toegevoegd."))
    else:
        messages.error(request, _("Schrijf eerst een aanvulling."))
    return redirect(reverse("gesprekken:detail", args=[gesprek.pk]) + "#addenda")


@login_required
@require_POST
def afspraak_done(request, pk: int):
    """Mark an agreement done or open again (any of the three)."""
    afspraak = get_afspraak_for(request.user, pk)
    require_role(afspraak.gesprek.traject, *DEELNEMERS)
    done = request.POST.get("done") == "1"
    services.afspraak_set_done(afspraak=afspraak, user=request.user, done=done)
    messages.success(
        request, _("De afspraak is afgerond.") if done else _("De afspraak staat weer open.")
    )
    return redirect(reverse("gesprekken:detail", args=[afspraak.gesprek.pk]) + "#afspraken")


# --- Calendar ------------------------------------------------------------------------------


def _ics_response(payload: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def ics(request, pk: int):
    """One conversation as an .ics file for the participants."""
    gesprek = get_gesprek_for(request.user, pk)
    require_role(gesprek.traject, *DEELNEMERS)
    payload = ical.calendar_bytes(
        [gesprek], name=_("Begeleidingsgesprek"), language=request.LANGUAGE_CODE
    )
    return _ics_response(payload, f"gesprek-{gesprek.local_date:%Y-%m-%d}.ics")


@never_cache
@require_GET
def feed(request, token: str):
    """A user's private calendar feed: no login, the secret token in the address is the key."""
    user = selectors.user_by_calendar_token(token)
    if user is None:
        raise Http404
    payload = ical.calendar_bytes(
        selectors.feed_for(user), name=_("Lev: begeleidingsgesprekken"), language=user.language
    )
    response = _ics_response(payload, "lev-gesprekken.ics")
    response["Content-Disposition"] = 'inline; filename="lev-gesprekken.ics"'
    return response


@login_required
def agenda(request):
    """The page with the user's private feed address and a button to renew it."""
    path = reverse("gesprekken:feed", args=[request.user.calendar_token])
    https_url = absolute_url(path)
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render(
        request, "gesprekken/agenda.html", {"feed_url": https_url, "webcal_url": webcal_url}
    )


@login_required
@require_POST
def agenda_renew(request):
    services.calendar_token_renew(user=request.user, request=request)
    messages.success(
        request,
        _(
            "Je hebt een nieuw agenda-adres. Het oude adres werkt niet meer: koppel je agenda "
            "opnieuw."
        ),
    )
    return redirect("gesprekken:agenda")


# --- Signal tags (coordinator) -------------------------------------------------------------


@login_required
def tags(request):
    """The coordinator's list of signal tags: add, rename, switch off."""
    partnerschappen = list(selectors.partnerschappen_coordinated_by(request.user))
    if not partnerschappen:
        raise PermissionDenied
    wanted = request.GET.get("partnerschap") or request.POST.get("partnerschap")
    partnerschap = next((p for p in partnerschappen if str(p.pk) == wanted), None)
    if wanted and partnerschap is None:
        raise Http404
    partnerschap = partnerschap or partnerschappen[0]
    form = SignaalTagForm(request.POST or None, partnerschap_id=partnerschap.pk)
    if request.method == "POST" and form.is_valid():
        services.signaal_tag_create(
            partnerschap=partnerschap, name=form.cleaned_data["name"], actor=request.user
        )
        messages.success(request, _("De tag is toegevoegd."))
        return redirect(reverse("gesprekken:tags") + f"?partnerschap={partnerschap.pk}")
    return render(
        request,
        "gesprekken/tags.html",
        {
            "partnerschap": partnerschap,
            "partnerschappen": partnerschappen,
            "form": form,
            "tags": list(selectors.tags_of(partnerschap.pk)),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def tag_edit(request, pk: int):
    tag: SignaalTag = get_tag_for(request.user, pk)
    form = SignaalTagForm(
        request.POST or None,
        partnerschap_id=tag.partnerschap_id,
        tag=tag,
        initial={"name": tag.name, "is_active": tag.is_active},
    )
    if request.method == "POST" and form.is_valid():
        services.signaal_tag_update(
            tag=tag,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
            actor=request.user,
        )
        messages.success(request, _("De tag is opgeslagen."))
        return redirect(reverse("gesprekken:tags") + f"?partnerschap={tag.partnerschap_id}")
    return render(
        request,
        "gesprekken/tag_edit.html",
        {"tag": tag, "form": form},
        status=400 if request.method == "POST" else 200,
    )
