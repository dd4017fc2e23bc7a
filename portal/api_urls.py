"""URLs of the read-only JSON API for the college's systems (namespace "api")."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("v1/trajecten/", api.trajecten, name="trajecten"),
    path("v1/trajecten/<int:pk>/", api.traject, name="traject"),
]
