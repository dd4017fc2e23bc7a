"""The floor's own pages: start page, notices, settings, people, start meetings, the
roles, and (for now, issue 17) the overviews. Included by lev.urls under the "portal"
namespace."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
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
]
