from django.contrib import admin

from .models import (
    Bekwaamheidsgebied,
    Geschiktheidsonderzoek,
    Logboekregel,
    Ontwikkelpunt,
    Roltoewijzing,
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


@admin.register(Logboekregel)
class LogboekregelAdmin(admin.ModelAdmin):
    list_display = ["traject", "datum", "version"]
    raw_id_fields = ["traject"]
