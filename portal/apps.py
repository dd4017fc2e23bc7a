from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import checks, lookups, receivers  # noqa: F401 - they register themselves
        from .panels import register_panels

        register_panels()
