"""The traject's lifecycle: one stored phase (`Traject.fase`), moved only by `move`.

    intake ──▶ scholingsplan ──▶ opleiding ──▶ proeve ──▶ afgerond
                                     ▲            │
                                     └────────────┘  (a failed Proeve: the retake)
    every running phase ──▶ gestopt

- intake: until the geschiktheidsonderzoek is positive (trajecten.services.onderzoek);
- scholingsplan: until a version of the plan is agreed by all three parties
  (trajecten.services.plan);
- opleiding: the training; from here the dossier is submitted for the Proeve
  (bekwaamheid.services.proeve), and a failed Proeve brings the traject back here, with the
  retake recorded;
- proeve: from the dossier's submission until the traject is closed after a pass (by the SLB
  or the coordinator, bekwaamheid.services.proeve.proeve_traject_afronden), or back to
  opleiding after a fail;
- afgerond and gestopt: the end; nothing leaves them.

`Traject.status` (intake, actief, afgerond, gestopt) follows the phase and is written here
too. Every move is checked against TRANSITIONS, audited ("traject.start", "traject.fase",
"traject.afronden" or "traject.stop", with from, to and the reason), and nothing moves
backwards but along the one transition drawn above, with its reason. Pages and figures
read the phase as a column (`selectors.with_stage`), so no page derives it again.

`derived_fase` is the same phase computed from the records themselves. Every move above
agrees with it; the bulk generators (demo, seed_scale), which write records without the
services, and `manage.py refresh_figures` (the repair after a restore or SQL by hand) store
it with `store_derived`; the data migrations compute it once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from portal.audit import record

from . import hooks
from .models import Geschiktheidsonderzoek, Scholingsplanversie, Stage, Traject

#: phase -> the phases it may move to (anything else is refused).
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.INTAKE: frozenset({Stage.SCHOLINGSPLAN, Stage.GESTOPT}),
    Stage.SCHOLINGSPLAN: frozenset({Stage.OPLEIDING, Stage.GESTOPT}),
    Stage.OPLEIDING: frozenset({Stage.PROEVE, Stage.GESTOPT}),
    Stage.PROEVE: frozenset({Stage.AFGEROND, Stage.OPLEIDING, Stage.GESTOPT}),
    Stage.AFGEROND: frozenset(),
    Stage.GESTOPT: frozenset(),
}

#: The order of the phases on the route (a move to a lower one is a step back).
ORDER = [
    Stage.INTAKE,
    Stage.SCHOLINGSPLAN,
    Stage.OPLEIDING,
    Stage.PROEVE,
    Stage.AFGEROND,
]

STATUS_OF = {
    Stage.INTAKE: Traject.Status.INTAKE,
    Stage.SCHOLINGSPLAN: Traject.Status.ACTIEF,
    Stage.OPLEIDING: Traject.Status.ACTIEF,
    Stage.PROEVE: Traject.Status.ACTIEF,
    Stage.AFGEROND: Traject.Status.AFGEROND,
    Stage.GESTOPT: Traject.Status.GESTOPT,
}

RUNNING = frozenset({Stage.INTAKE, Stage.SCHOLINGSPLAN, Stage.OPLEIDING, Stage.PROEVE})


class TransitionRefused(ValidationError):
    """The traject cannot move from its phase to the one asked for."""


def can_move(traject: Traject, naar: str) -> bool:
    return naar in TRANSITIONS[Stage(traject.fase)]


def move(traject: Traject, naar: str, *, by, reden: str = "", request=None) -> Traject:
    """Move `traject` (locked by the caller, inside its transaction) to phase `naar`, with
    its status; audited. A step back (proeve to opleiding) needs a `reden`."""
    van = Stage(traject.fase)
    naar = Stage(naar)
    if naar not in TRANSITIONS[van]:
        raise TransitionRefused(
            _("Een traject in de fase %(van)s kan niet naar de fase %(naar)s.")
            % {"van": van.label, "naar": naar.label},
            code="transition",
        )
    if naar in ORDER and van in ORDER and ORDER.index(naar) < ORDER.index(van) and not reden:
        raise TransitionRefused(_("Geef de reden van deze stap terug."), code="reason")
    started = traject.status == Traject.Status.INTAKE and STATUS_OF[naar] == Traject.Status.ACTIEF
    traject.fase = naar
    traject.status = STATUS_OF[naar]
    traject.save(update_fields=["fase", "status", "updated_at"])
    detail = {"van": van.value, "naar": naar.value}
    if reden:
        detail["reden"] = reden
    record(
        action=_action(van, naar),
        actor=by,
        obj=traject,
        traject=traject,
        request=request,
        detail=detail,
    )
    if started:
        hooks.traject_started(traject)
    if naar == Stage.GESTOPT:
        hooks.traject_stopped(traject)
    return traject


def _action(van: Stage, naar: Stage) -> str:
    """The audit action of a move: the start, the stop and the close by their own names."""
    if naar == Stage.GESTOPT:
        return "traject.stop"
    if naar == Stage.AFGEROND:
        return "traject.afronden"
    if van == Stage.INTAKE:
        return "traject.start"
    return "traject.fase"


def catch_up(traject: Traject, *, by, request=None) -> Traject:
    """Move `traject` forward as far as its records allow (a positive intake, an agreed
    plan), one audited step at a time; never back, never into the Proeve or past it (those
    are moves of their own)."""
    while traject.fase in (Stage.INTAKE, Stage.SCHOLINGSPLAN):
        if traject.fase == Stage.INTAKE:
            ready = Geschiktheidsonderzoek.objects.filter(
                traject=traject, uitkomst=Geschiktheidsonderzoek.Uitkomst.POSITIEF
            ).exists()
            naar = Stage.SCHOLINGSPLAN
        else:
            ready = Scholingsplanversie.objects.filter(
                plan__traject=traject, status=Scholingsplanversie.Status.VASTGESTELD
            ).exists()
            naar = Stage.OPLEIDING
        if not ready:
            break
        move(traject, naar, by=by, request=request)
    return traject


# --- The phase from the records (migration, bulk generators, the check) -------------------


def derived_fase() -> Case:
    """The phase each traject's records give, as an expression on Traject: gestopt and
    afgerond by the status; proeve while a submitted dossier awaits or undergoes its Proeve,
    or after a pass until the traject is closed (apps above trajecten say so through
    hooks.on_stage_proeve); intake without a positive intake; scholingsplan without an
    agreed plan; opleiding otherwise."""
    positive = Exists(
        Geschiktheidsonderzoek.objects.filter(
            traject=OuterRef("pk"), uitkomst=Geschiktheidsonderzoek.Uitkomst.POSITIEF
        )
    )
    agreed = Exists(
        Scholingsplanversie.objects.filter(
            plan__traject=OuterRef("pk"), status=Scholingsplanversie.Status.VASTGESTELD
        )
    )
    whens = [
        When(status=Traject.Status.GESTOPT, then=Value(Stage.GESTOPT.value)),
        When(status=Traject.Status.AFGEROND, then=Value(Stage.AFGEROND.value)),
    ]
    whens += [When(cond, then=Value(Stage.PROEVE.value)) for cond in hooks.proeve_conditions()]
    whens += [
        When(~positive, then=Value(Stage.INTAKE.value)),
        When(~agreed, then=Value(Stage.SCHOLINGSPLAN.value)),
    ]
    return Case(*whens, default=Value(Stage.OPLEIDING.value), output_field=CharField())


def store_derived(traject_ids=None) -> int:
    """Set the phase of these trajecten (all when None) to what their records give, in one
    UPDATE: for generators that write records in bulk, and for the repair after SQL by hand.
    Not for the portal's own writes (they move through `move`)."""
    qs: QuerySet[Traject] = Traject.objects.all()
    if traject_ids is not None:
        qs = qs.filter(pk__in=list(traject_ids))
    return qs.update(fase=derived_fase())


def mismatched_ids(traject_ids=None) -> list[int]:
    """Trajecten whose stored phase differs from what their records give."""
    qs = Traject.objects.all()
    if traject_ids is not None:
        qs = qs.filter(pk__in=list(traject_ids))
    rows = qs.annotate(derived=derived_fase()).values_list("pk", "fase", "derived")
    return [pk for pk, fase, derived in rows if fase != derived]
