"""Writes for who holds which role around a traject."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import record
from portal.mail import notify
from portal.models import User

from ..figures import refresh_changes
from ..models import (
    Rol,
    Roltoewijzing,
    Traject,
)

# --- people ---------------------------------------------------------------------------------

CHANGEABLE_ROLES = (Rol.COACH, Rol.SLB, Rol.DUO)


@transaction.atomic
def traject_role_change(
    *, traject: Traject, rol: str, user: User | None, door: User, request=None
) -> Traject:
    """Give role `rol` (coach, SLB or duo) on `traject` to `user` (None leaves the duo
    role vacant). The previous holder's Roltoewijzing is closed, a new one opened; the
    change is audited and the new holder told. History stays on the traject, so a new
    coach finds the whole log and every plan version."""
    if rol not in CHANGEABLE_ROLES:
        raise ValidationError(_("Deze rol kan hier niet worden gewijzigd."))
    if user is None and rol != Rol.DUO:
        raise ValidationError(_("Een leerkrachtcoach en SLB zijn verplicht."))
    traject = Traject.objects.select_for_update().select_related("zij_instromer").get(pk=traject.pk)
    field = {Rol.COACH: "coach", Rol.SLB: "slb", Rol.DUO: "duo"}[Rol(rol)]
    old_id = getattr(traject, f"{field}_id")
    new_id = user.pk if user else None
    if old_id == new_id:
        raise ValidationError(_("Deze persoon heeft deze rol al."))
    if user is not None and user.pk == traject.zij_instromer_id:
        raise ValidationError(_("De zij-instromer kan geen begeleider van zichzelf zijn."))
    if user is not None and not user.is_active:
        raise ValidationError(_("Dit account is niet actief."))

    now = timezone.now()
    current = Roltoewijzing.objects.filter(traject=traject, rol=rol, tot__isnull=True).first()
    if current is not None:
        current.tot = now
        current.save(update_fields=["tot"])
    elif old_id is not None:
        # Held since before role history was kept: record it so the history is complete.
        Roltoewijzing.objects.create(
            traject=traject, rol=rol, user_id=old_id, van=traject.created_at, tot=now
        )
    if user is not None:
        Roltoewijzing.objects.create(traject=traject, rol=rol, user=user, van=now, door=door)
    refresh_changes([traject.pk])
    setattr(traject, field, user)
    traject.save(update_fields=[field, "updated_at"])
    record(
        action="traject.rol_wijzigen",
        actor=door,
        obj=traject,
        traject=traject,
        request=request,
        detail={"rol": rol, "van": old_id, "naar": new_id},
    )
    if user is not None:
        with translation.override(user.language):
            notify(
                user=user,
                kind="rol",
                text=_("Je bent nu %(rol)s van %(naam)s.")
                % {"rol": Rol(rol).label, "naam": traject.zij_instromer.get_full_name()},
                url=reverse("trajecten:detail", args=[traject.pk]),
                template="trajecten_rol",
                context={"traject": traject, "rol": Rol(rol).label},
            )
    return traject
