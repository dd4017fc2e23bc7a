"""URLs of the school-register import (namespace "scholen")."""

from django.urls import path

from . import registers_views

app_name = "scholen"

urlpatterns = [
    path("", registers_views.import_scholen_start, name="import_start"),
    path("<int:pk>/", registers_views.import_scholen, name="import"),
]
