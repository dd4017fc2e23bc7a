from django.urls import path

from . import views

app_name = "trajecten"

urlpatterns = [
    path("", views.traject_list, name="list"),
    path("mijn/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
]
