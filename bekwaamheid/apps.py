from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BekwaamheidConfig(AppConfig):
    name = "bekwaamheid"
    verbose_name = _("Bekwaamheid")

    def ready(self) -> None:
        from trajecten import hooks, panels  # apps are loaded now

        from . import panel

        panels.register(
            panels.Panel(
                key="bekwaamheid",
                template="bekwaamheid/_panel.html",
                context=panel.context,
                order=60,
                visible=panel.visible,
            )
        )
        hooks.on_traject_started("bekwaamheid.dossier", panel.on_traject_started)
        hooks.on_stage_proeve("bekwaamheid", _in_proeve)


def _in_proeve():
    """From the records: a traject is in its Proeve phase while a submitted dossier awaits or
    undergoes its Proeve, and after a pass until it is closed (trajecten.lifecycle)."""
    from django.db.models import Exists, OuterRef, Q

    from .models import Proeve, Uitslag

    return Exists(
        Proeve.objects.filter(dossier__traject=OuterRef("pk")).filter(
            Q(status__in=[Proeve.Status.INGEDIEND, Proeve.Status.GEPLAND])
            | Q(status=Proeve.Status.AFGEROND, uitslag=Uitslag.VOLDOENDE)
        )
    )
