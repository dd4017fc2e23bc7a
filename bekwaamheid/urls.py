from django.urls import path

from . import views

app_name = "bekwaamheid"

urlpatterns = [
    # Assignments: the module teacher's start page and the work on them.
    path("opdrachten/", views.opdrachten, name="opdrachten"),
    path("opdrachten/nieuw/", views.opdracht_new, name="opdracht_new"),
    path("opdrachten/<int:pk>/", views.opdracht_detail, name="opdracht"),
    path("werk/<int:pk>/", views.onderzoeksopdracht, name="onderzoeksopdracht"),
    path("werk/<int:pk>/criteria/", views.criterium_add, name="criterium_add"),
    path("criteria/<int:pk>/", views.criterium_edit, name="criterium_edit"),
    path("werk/<int:pk>/bewijs/", views.bewijsstuk_add, name="bewijsstuk_add"),
    path("werk/<int:pk>/feedback-vragen/", views.feedback_request, name="feedback_request"),
    path("werk/<int:pk>/feedback/", views.feedback_post, name="feedback_post"),
    path("werk/<int:pk>/afronden/", views.onderzoeksopdracht_afronden, name="afronden"),
    path("werk/<int:pk>/dossier/", views.onderzoeksopdracht_dossier, name="in_dossier"),
    path("bewijs/<int:pk>/", views.bewijsstuk_download, name="bewijsstuk"),
    path("bewijs/<int:pk>/verwijderen/", views.bewijsstuk_remove, name="bewijsstuk_remove"),
    path("bewijs/<int:pk>/terugzetten/", views.bewijsstuk_restore, name="bewijsstuk_restore"),
    # The dossier of one traject.
    path("traject/<int:traject_pk>/", views.dossier, name="dossier"),
    path("traject/<int:traject_pk>/indienen/", views.dossier_submit, name="dossier_submit"),
    # Proeven: the assessor's start page and one Proeve.
    path("proeven/", views.proeven, name="proeven"),
    path("proeven/<int:pk>/", views.proeve_detail, name="proeve"),
    path("proeven/<int:pk>/dossier/", views.proeve_dossier, name="proeve_dossier"),
    path(
        "proeven/<int:pk>/bewijs/<int:bewijsstuk_pk>/",
        views.proeve_bewijsstuk,
        name="proeve_bewijsstuk",
    ),
    path("proeven/<int:pk>/plannen/", views.proeve_plan, name="proeve_plan"),
    path("proeven/<int:pk>/beoordeling/", views.beoordeling, name="beoordeling"),
    path("proeven/<int:pk>/oordeel/", views.oordeel, name="oordeel"),
    path("proeven/<int:pk>/ondertekenen/", views.oordeel_sign, name="oordeel_sign"),
    path("proeven/<int:pk>/intrekken/", views.oordeel_unsign, name="oordeel_unsign"),
    path("proeven/<int:pk>/addendum/", views.oordeel_addendum, name="oordeel_addendum"),
    path(
        "proeven/<int:pk>/traject-afronden/", views.proeve_traject_afronden, name="traject_afronden"
    ),
    path("proeven/<int:pk>/pdf/maken/", views.proeve_pdf_request, name="pdf_request"),
    path("proeven/<int:pk>/pdf/status/", views.proeve_pdf_status, name="pdf_status"),
    path("proeven/<int:pk>/pdf/", views.proeve_pdf, name="pdf"),
]
