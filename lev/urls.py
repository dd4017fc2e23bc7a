"""The root URLconf: every app's pages, the accounts, the admin and the API."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import sso
from portal.adminkit import audit_every_admin

audit_every_admin(admin.site)
admin.site.site_header = _("Lev beheer")
admin.site.site_title = _("Lev beheer")
admin.site.index_title = _("Beheer")

urlpatterns = [
    path("", include("portal.urls")),
    path("trajecten/", include("trajecten.urls")),
    path("gesprekken/", include("gesprekken.urls")),
    path("bekwaamheid/", include("bekwaamheid.urls")),
    path("account/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("account/sso/<str:provider_id>/", sso.start, name="sso_start"),
    path("scholen/import/", include("portal.registers_urls")),
    path("api/", include("portal.api_urls")),
]

# A lost database connection answers 503 with "send again"; every other error 500.
handler500 = "portal.errorpages.server_error"
