"""Admin: the signal tags (reference data) are edited here; conversations, reports and
reminders are shown read-only (portal.adminkit). Private notes are deliberately not
registered: only their author ever sees them."""

from django.contrib import admin

from portal.adminkit import AuditedAdmin, RecordAdmin, RecordInline

from .models import Afspraak, Gesprek, Herinnering, Signaal, SignaalTag, Verslag


@admin.register(SignaalTag)
class SignaalTagAdmin(AuditedAdmin):
    list_display = ["name", "partnerschap", "is_active"]
    list_filter = ["partnerschap", "is_active"]
    search_fields = ["name"]


@admin.register(Gesprek)
class GesprekAdmin(RecordAdmin):
    """Moving, planning or cancelling a conversation is done in the portal (the calendar
    feeds, the reminders and the report follow it there)."""

    list_display = ["traject", "soort", "cycle_number", "starts_at", "status", "sequence"]
    list_filter = ["soort", "status"]
    search_fields = ["traject__zij_instromer__email", "traject__zij_instromer__last_name"]
    list_select_related = ["traject__zij_instromer"]
    date_hierarchy = "starts_at"


class AfspraakInline(RecordInline):
    model = Afspraak
    fields = ["omschrijving", "owner", "due_date", "done_at", "done_by"]


class SignaalInline(RecordInline):
    model = Signaal


@admin.register(Verslag)
class VerslagAdmin(RecordAdmin):
    """A signed report is a record; corrections are addenda in the portal."""

    list_display = ["gesprek", "koers", "version", "locked_at"]
    list_filter = ["koers"]
    inlines = [AfspraakInline, SignaalInline]


@admin.register(Herinnering)
class HerinneringAdmin(RecordAdmin):
    list_display = ["soort", "recipient", "gesprek", "afspraak", "week", "sent_at"]
    list_filter = ["soort"]
