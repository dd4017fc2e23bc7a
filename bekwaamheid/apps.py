from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BekwaamheidConfig(AppConfig):
    name = "bekwaamheid"
    verbose_name = _("Bekwaamheid")
