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


def _in_proeve(among=None):
    """A traject is in its Proeve stage while a submitted dossier awaits or undergoes it.
    `among`: the traject ids asked about, or None (trajecten.hooks.on_stage_proeve)."""
    from django.db.models import Exists, OuterRef

    from .models import Proeve

    running = Proeve.objects.filter(
        dossier__traject=OuterRef("pk"),
        status__in=[Proeve.Status.INGEDIEND, Proeve.Status.GEPLAND],
    )
    if among is not None:
        running = running.filter(dossier__traject_id__in=among)
    return Exists(running)
