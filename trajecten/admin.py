from django.contrib import admin

from .models import (
    Activiteit,
    Bekwaamheidsgebied,
    Geschiktheidsonderzoek,
    Instemming,
    Logboekreactie,
    Logboekregel,
    LogboekregelVersie,
    Ontwikkelpunt,
    Roltoewijzing,
    Scholingsplanversie,
    Traject,
)


class RoltoewijzingInline(admin.TabularInline):
    model = Roltoewijzing
    extra = 0
    raw_id_fields = ["user", "door"]
    readonly_fields = ["van", "tot", "door"]


@admin.register(Traject)
class TrajectAdmin(admin.ModelAdmin):
    list_display = ["zij_instromer", "school", "route", "start_date", "end_date", "status"]
    list_filter = ["status", "route", "school__bestuur__partnerschap"]
    search_fields = ["zij_instromer__email", "zij_instromer__last_name", "school__name"]
    raw_id_fields = ["zij_instromer", "coach", "slb", "duo", "school"]
    list_select_related = ["zij_instromer", "school"]
    inlines = [RoltoewijzingInline]


@admin.register(Bekwaamheidsgebied)
class BekwaamheidsgebiedAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Geschiktheidsonderzoek)
class GeschiktheidsonderzoekAdmin(admin.ModelAdmin):
    list_display = ["traject", "datum", "uitkomst"]
    raw_id_fields = ["traject", "vastgelegd_door"]


@admin.register(Ontwikkelpunt)
class OntwikkelpuntAdmin(admin.ModelAdmin):
    list_display = ["titel", "traject", "gebied"]
    raw_id_fields = ["traject"]


class ReadOnlyMixin:
    """Records and their history are read in the admin, never changed there: changes go
    through the portal's services (versions, audit)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActiviteitInline(ReadOnlyMixin, admin.TabularInline):
    model = Activiteit
    extra = 0
    fields = ["ontwikkelpunt", "omschrijving", "ondersteuning", "periode_van", "periode_tot"]
    readonly_fields = fields


class InstemmingInline(ReadOnlyMixin, admin.TabularInline):
    model = Instemming
    extra = 0
    fields = ["partij", "user", "rol", "at"]
    readonly_fields = fields


@admin.register(Scholingsplanversie)
class ScholingsplanversieAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "nummer", "status", "created_at", "vastgesteld_op"]
    list_filter = ["status"]
    list_select_related = ["plan__traject__zij_instromer"]
    search_fields = ["plan__traject__zij_instromer__email"]
    inlines = [ActiviteitInline, InstemmingInline]


class LogboekregelVersieInline(ReadOnlyMixin, admin.TabularInline):
    model = LogboekregelVersie
    extra = 0
    fields = ["version", "datum", "wat_er_gebeurde", "saved_at"]
    readonly_fields = fields


class LogboekreactieInline(ReadOnlyMixin, admin.TabularInline):
    model = Logboekreactie
    extra = 0
    fields = ["auteur", "rol", "tekst", "created_at"]
    readonly_fields = fields


@admin.register(Logboekregel)
class LogboekregelAdmin(admin.ModelAdmin):
    list_display = ["traject", "datum", "version"]
    raw_id_fields = ["traject"]
    inlines = [LogboekregelVersieInline, LogboekreactieInline]
