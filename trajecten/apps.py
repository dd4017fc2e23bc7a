from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectenConfig(AppConfig):
    name = "trajecten"
    verbose_name = _("Trajecten")

    def ready(self) -> None:
        from portal import roles

        from .access import user_role_summary

        roles.register(user_role_summary)  # the floor asks through portal.roles
