"""Admin: for support and inspection. Private notes are deliberately not registered: only
their author ever sees them."""

from django.contrib import admin

from .models import Afspraak, Gesprek, Herinnering, Signaal, SignaalTag, Verslag


@admin.register(SignaalTag)
class SignaalTagAdmin(admin.ModelAdmin):
    list_display = ["name", "partnerschap", "is_active"]
    list_filter = ["partnerschap", "is_active"]
    search_fields = ["name"]


@admin.register(Gesprek)
class GesprekAdmin(admin.ModelAdmin):
    list_display = ["traject", "soort", "cycle_number", "starts_at", "status", "sequence"]
    list_filter = ["soort", "status"]
    search_fields = ["traject__zij_instromer__email", "traject__zij_instromer__last_name"]
    raw_id_fields = ["traject", "moved_by", "created_by"]
    readonly_fields = ["uid", "sequence", "moved_at", "moved_by", "created_by"]
    list_select_related = ["traject__zij_instromer"]
    date_hierarchy = "starts_at"


class AfspraakInline(admin.TabularInline):
    model = Afspraak
    extra = 0
    raw_id_fields = ["owner", "done_by"]


class SignaalInline(admin.TabularInline):
    model = Signaal
    extra = 0


@admin.register(Verslag)
class VerslagAdmin(admin.ModelAdmin):
    """Read-only: a signed report is a record; corrections are addenda in the portal."""

    list_display = ["gesprek", "koers", "version", "locked_at"]
    list_filter = ["koers"]
    raw_id_fields = ["gesprek", "created_by", "updated_by"]
    inlines = [AfspraakInline, SignaalInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Herinnering)
class HerinneringAdmin(admin.ModelAdmin):
    list_display = ["soort", "recipient", "gesprek", "afspraak", "week", "sent_at"]
    list_filter = ["soort"]
    raw_id_fields = ["recipient", "gesprek", "afspraak"]

    def has_change_permission(self, request, obj=None):
        return False
