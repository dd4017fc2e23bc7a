from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import checks, lookups, receivers, unread  # noqa: F401  (checks, lookups, receivers)
        from .panels import register_panels

        register_panels()
        from .overview import cache as overview_cache

        overview_cache.connect()
        from . import pagecache

        pagecache.connect()
