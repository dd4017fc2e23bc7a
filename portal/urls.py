from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import sso, views
from .adminkit import audit_every_admin

audit_every_admin(admin.site)
admin.site.site_header = _("Lev beheer")
admin.site.site_title = _("Lev beheer")
admin.site.index_title = _("Beheer")

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("meldingen/", views.notificaties, name="notificaties"),
        path("meldingen/gelezen/", views.notificaties_read, name="notificaties_read"),
        path("instellingen/", views.instellingen, name="instellingen"),
        path("instellingen/mijn-gegevens/", views.mijn_gegevens, name="mijn_gegevens"),
        path("instellingen/inzage/<int:verzoek>/", views.mijn_inzage, name="mijn_inzage"),
        path("privacy/", views.privacy, name="privacy"),
        path("health/", views.health, name="health"),
        path("audit/traject/<int:pk>/", views.traject_audit, name="traject_audit"),
        path("mensen/", views.mensen, name="mensen"),
        path("mensen/nieuw/", views.mens_nieuw, name="mens_nieuw"),
        path("mensen/<int:pk>/", views.mens, name="mens"),
        path("mensen/<int:pk>/uitnodigen/", views.mens_uitnodigen, name="mens_uitnodigen"),
        path("mensen/<int:pk>/inzage/", views.mens_inzage, name="mens_inzage"),
        path("mensen/<int:pk>/inzage/<int:verzoek>/", views.inzage_view, name="inzage"),
        path(
            "mensen/<int:pk>/inzage/<int:verzoek>/download/",
            views.inzage_download,
            name="inzage_download",
        ),
        path("startbijeenkomsten/", views.startbijeenkomsten, name="startbijeenkomsten"),
        path(
            "startbijeenkomsten/nieuw/",
            views.startbijeenkomst_nieuw,
            name="startbijeenkomst_nieuw",
        ),
        path("startbijeenkomsten/<int:pk>/", views.startbijeenkomst, name="startbijeenkomst"),
        path(
            "startbijeenkomsten/<int:pk>/aanwezig/",
            views.startbijeenkomst_aanwezig,
            name="startbijeenkomst_aanwezig",
        ),
        path(
            "startbijeenkomsten/<int:pk>/agenda.ics",
            views.startbijeenkomst_ics,
            name="startbijeenkomst_ics",
        ),
        path("scholing/", views.scholing, name="scholing"),
        path("rollen/<slug:rol>/", views.rol, name="rol"),
        path("rollen/<slug:rol>/bewerken/", views.rol_bewerken, name="rol_bewerken"),
        path("overzicht/", views.overzicht, name="overzicht"),
        path("overzicht/aandacht/", views.overzicht_aandacht, name="overzicht_aandacht"),
        path("overzicht/trajecten/", views.overzicht_trajecten, name="overzicht_trajecten"),
        path("overzicht/export.csv", views.overzicht_export, name="overzicht_export"),
        path("overzicht/signalen/", views.overzicht_signalen, name="overzicht_signalen"),
        path("overzicht/signalen/citaten/", views.overzicht_citaten, name="overzicht_citaten"),
        path(
            "overzicht/signalen/export.csv",
            views.overzicht_signalen_export,
            name="overzicht_signalen_export",
        ),
        path("dev/mailbox/", views.mailbox, name="mailbox"),
        path("dev/mailbox/<str:name>/", views.mailbox_mail, name="mailbox_mail"),
        path("mijn-school/", views.school_overzicht, name="school_overzicht"),
        path("mijn-school/aandacht/", views.school_aandacht, name="school_aandacht"),
        path("mijn-school/trajecten/", views.school_trajecten, name="school_trajecten"),
        path("mijn-school/export.csv", views.school_export, name="school_export"),
        path("mijn-school/signalen/", views.school_signalen, name="school_signalen"),
        path("mijn-school/signalen/citaten/", views.school_citaten, name="school_citaten"),
        path(
            "mijn-school/signalen/export.csv",
            views.school_signalen_export,
            name="school_signalen_export",
        ),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
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
