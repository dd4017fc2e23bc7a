from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GesprekkenConfig(AppConfig):
    name = "gesprekken"
    verbose_name = _("Begeleidingsgesprekken")

    def ready(self) -> None:
        # Explicit hooks into trajecten (which does not import this app): plan the cycle
        # when a traject starts, and show the next conversation on the traject page.
        from trajecten import hooks
        from trajecten.panels import Panel, register

        from . import panel, services

        hooks.on_traject_started("gesprekken.cycle", services.on_traject_started)
        hooks.on_traject_stopped("gesprekken.cycle", services.on_traject_stopped)
        hooks.on_traject_moved("gesprekken.cycle", services.on_traject_moved)
        register(
            Panel(
                key="gesprekken.next",
                template="gesprekken/_panel.html",
                context=panel.context,
                visible=panel.visible,
                order=20,
            )
        )
