from django.urls import path

from . import views

app_name = "trajecten"

urlpatterns = [
    path("", views.traject_list, name="list"),
    path("mijn/", views.mine, name="mine"),
    path("importeren/", views.import_csv, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rollen/", views.rollen, name="rollen"),
    path("<int:pk>/wijzigen/", views.wijzigen, name="wijzigen"),
    # Intake
    path("<int:pk>/geschiktheidsonderzoek/", views.onderzoek, name="onderzoek"),
    path("<int:pk>/geschiktheidsonderzoek/bewerken/", views.onderzoek_edit, name="onderzoek_edit"),
    path(
        "<int:pk>/geschiktheidsonderzoek/rapport/",
        views.onderzoek_rapport,
        name="onderzoek_rapport",
    ),
    # Scholingsplan
    path("<int:pk>/scholingsplan/", views.plan, name="plan"),
    path("<int:pk>/scholingsplan/nieuw/", views.plan_start, name="plan_start"),
    path("<int:pk>/scholingsplan/concept/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/scholingsplan/voorleggen/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/scholingsplan/terugnemen/", views.plan_withdraw, name="plan_withdraw"),
    path("<int:pk>/scholingsplan/weggooien/", views.plan_discard, name="plan_discard"),
    path("<int:pk>/scholingsplan/instemmen/", views.plan_agree, name="plan_agree"),
    path("<int:pk>/scholingsplan/opmerking/", views.plan_comment, name="plan_comment"),
    path("<int:pk>/scholingsplan/voortgang/", views.plan_progress, name="plan_progress"),
    path("<int:pk>/scholingsplan/versie/<int:nummer>/", views.plan_version, name="plan_version"),
    # Logboek
    path("<int:pk>/logboek/", views.logboek, name="logboek"),
    path("<int:pk>/logboek/nieuw/", views.logboek_create, name="logboek_create"),
    path("<int:pk>/logboek/<int:regel>/", views.logboek_detail, name="logboek_detail"),
    path("<int:pk>/logboek/<int:regel>/bewerken/", views.logboek_edit, name="logboek_edit"),
    path("<int:pk>/logboek/<int:regel>/reactie/", views.logboek_react, name="logboek_react"),
    path("<int:pk>/logboek/<int:regel>/bijlage/", views.logboek_bijlage, name="logboek_bijlage"),
    path(
        "<int:pk>/logboek/<int:regel>/versie/<int:version>/",
        views.logboek_version,
        name="logboek_version",
    ),
    path(
        "<int:pk>/logboek/<int:regel>/versie/<int:version>/bijlage/",
        views.logboek_version_bijlage,
        name="logboek_version_bijlage",
    ),
]
