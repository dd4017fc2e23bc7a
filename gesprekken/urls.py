from django.urls import path

from . import views

app_name = "gesprekken"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("traject/<int:traject_pk>/", views.cyclus, name="cyclus"),
    path("traject/<int:traject_pk>/nieuw/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/verplaatsen/", views.move, name="move"),
    path("<int:pk>/voorbereiden/", views.voorbereiden, name="voorbereiden"),
    path("<int:pk>/notitie/", views.notitie, name="notitie"),
    path("<int:pk>/verslag/", views.verslag, name="verslag"),
    path("<int:pk>/ondertekenen/", views.sign, name="sign"),
    path("<int:pk>/aanvulling/", views.addendum, name="addendum"),
    path("<int:pk>/gesprek.ics", views.ics, name="ics"),
    path("afspraak/<int:pk>/afgerond/", views.afspraak_done, name="afspraak_done"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/vernieuwen/", views.agenda_renew, name="agenda_renew"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    path("signalen/tags/", views.tags, name="tags"),
    path("signalen/tags/<int:pk>/", views.tag_edit, name="tag_edit"),
]
