"""Admin of trajecten: the competence areas (reference data) are edited here; trajecten and
everything recorded on them are shown read-only (portal.adminkit): a coordinator changes a
traject's people, school, end date or phase in the portal, whose services keep the history."""

from django.contrib import admin

from portal.adminkit import AuditedAdmin, RecordAdmin, RecordInline

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
    Verlenging,
)


class RoltoewijzingInline(RecordInline):
    model = Roltoewijzing
    fields = ["rol", "user", "van", "tot", "door"]


class VerlengingInline(RecordInline):
    model = Verlenging
    fields = ["van", "tot", "reden", "akkoord", "vastgelegd_door", "vastgelegd_op"]


@admin.register(Traject)
class TrajectAdmin(RecordAdmin):
    list_display = ["zij_instromer", "school", "route", "start_date", "end_date", "fase", "status"]
    list_filter = ["status", "fase", "route", "school__bestuur__partnerschap"]
    search_fields = ["zij_instromer__email", "zij_instromer__last_name", "school__name"]
    list_select_related = ["zij_instromer", "school"]
    inlines = [RoltoewijzingInline, VerlengingInline]


@admin.register(Bekwaamheidsgebied)
class BekwaamheidsgebiedAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Geschiktheidsonderzoek)
class GeschiktheidsonderzoekAdmin(RecordAdmin):
    list_display = ["traject", "datum", "uitkomst"]
    list_select_related = ["traject__zij_instromer"]


@admin.register(Ontwikkelpunt)
class OntwikkelpuntAdmin(RecordAdmin):
    list_display = ["titel", "traject", "gebied"]
    list_select_related = ["traject__zij_instromer", "gebied"]


class ActiviteitInline(RecordInline):
    model = Activiteit
    fields = ["ontwikkelpunt", "omschrijving", "ondersteuning", "periode_van", "periode_tot"]


class InstemmingInline(RecordInline):
    model = Instemming
    fields = ["partij", "user", "rol", "at"]


@admin.register(Scholingsplanversie)
class ScholingsplanversieAdmin(RecordAdmin):
    list_display = ["plan", "nummer", "status", "created_at", "vastgesteld_op"]
    list_filter = ["status"]
    list_select_related = ["plan__traject__zij_instromer"]
    search_fields = ["plan__traject__zij_instromer__email"]
    inlines = [ActiviteitInline, InstemmingInline]


class LogboekregelVersieInline(RecordInline):
    model = LogboekregelVersie
    fields = ["version", "datum", "wat_er_gebeurde", "saved_at"]


class LogboekreactieInline(RecordInline):
    model = Logboekreactie
    fields = ["auteur", "rol", "tekst", "created_at"]


@admin.register(Logboekregel)
class LogboekregelAdmin(RecordAdmin):
    list_display = ["traject", "datum", "version"]
    list_select_related = ["traject__zij_instromer"]
    inlines = [LogboekregelVersieInline, LogboekreactieInline]
