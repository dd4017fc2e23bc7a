from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AuditEvent, Mail, Notificatie, Partnerschap, School, Schoolbestuur, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonlijk"), {"fields": ("first_name", "last_name", "language", "muted_mail_kinds")}),
        (
            _("Rechten"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    actions = ["send_invitation"]

    @admin.action(description=_("Uitnodiging (wachtwoord instellen) sturen"))
    def send_invitation(self, request, queryset):
        for user in queryset:
            services.person_reinvite(person=user, invited_by=request.user, request=request)
        self.message_user(
            request, _("%(count)d uitnodigingen verstuurd.") % {"count": queryset.count()}
        )

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "brin", "plaats", "is_partnerschool"]


@admin.register(Partnerschap)
class PartnerschapAdmin(admin.ModelAdmin):
    list_display = ["name", "pabo"]
    filter_horizontal = ["coordinatoren", "docenten", "assessoren"]


@admin.register(Schoolbestuur)
class SchoolbestuurAdmin(admin.ModelAdmin):
    list_display = ["name", "bevoegd_gezag_nummer", "partnerschap"]
    list_filter = ["partnerschap"]
    search_fields = ["name", "bevoegd_gezag_nummer"]
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "plaats", "bestuur", "is_partnerschool"]
    list_filter = ["is_partnerschool", "bestuur__partnerschap"]
    search_fields = ["name", "brin", "plaats"]
    filter_horizontal = ["leiders"]
    list_select_related = ["bestuur"]


@admin.register(Notificatie)
class NotificatieAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Mail._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the audit trail."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "traject_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
