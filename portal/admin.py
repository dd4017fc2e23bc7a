from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import api, services
from .adminkit import AuditedAdmin, RecordAdmin
from .models import (
    ApiToken,
    AuditEvent,
    Mail,
    Notificatie,
    Partnerschap,
    School,
    Schoolbestuur,
    Schoolvakantie,
    User,
)

#: What only a superuser may change on an account: the rights themselves.
RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Accounts. A staff user who is not a superuser cannot change anyone's rights (so not
    make themselves a superuser or give themselves permissions), and cannot change a
    superuser's account at all (its e-mail or password would hand it over)."""

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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in RIGHTS_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Uitnodiging (wachtwoord instellen) sturen"))
    def send_invitation(self, request, queryset):
        for user in queryset:
            services.person_reinvite(person=user, invited_by=request.user, request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d uitnodiging verstuurd.",
                "%(count)d uitnodigingen verstuurd.",
                queryset.count(),
            )
            % {"count": queryset.count()},
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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    """A group hands out permissions: only a superuser changes groups, or a staff member
    could give their own group every permission."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "brin", "plaats", "regio", "is_partnerschool"]


@admin.register(Partnerschap)
class PartnerschapAdmin(AuditedAdmin):
    list_display = ["name", "pabo"]
    filter_horizontal = ["coordinatoren", "docenten", "assessoren"]


@admin.register(Schoolbestuur)
class SchoolbestuurAdmin(AuditedAdmin):
    list_display = ["name", "bevoegd_gezag_nummer", "partnerschap"]
    list_filter = ["partnerschap"]
    search_fields = ["name", "bevoegd_gezag_nummer"]
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ["name", "brin", "plaats", "regio", "bestuur", "is_partnerschool"]
    list_filter = ["is_partnerschool", "regio", "bestuur__partnerschap"]
    search_fields = ["name", "brin", "plaats"]
    filter_horizontal = ["leiders"]
    list_select_related = ["bestuur"]


@admin.register(Schoolvakantie)
class SchoolvakantieAdmin(AuditedAdmin):
    """Reference data for planning: shipped per school year, imported for later years with
    `manage.py schoolvakanties_import` (the government's open-data file)."""

    list_display = ["schooljaar", "naam", "regio", "eerste_dag", "laatste_dag", "bron"]
    list_filter = ["schooljaar", "regio"]


@admin.register(Notificatie)
class NotificatieAdmin(RecordAdmin):
    list_display = ["user", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(Mail)
class MailAdmin(AuditedAdmin):
    list_display = ["to", "subject", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Mail._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    """Read-only: nobody edits or deletes the audit trail."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "traject_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Keys for the JSON API (portal.api). Created here, the key itself is shown once; a key
    can be renamed and revoked, never deleted or pointed at another partnership."""

    list_display = ["name", "partnerschap", "prefix", "created_at", "last_used_at", "active"]
    list_filter = ["partnerschap", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    list_select_related = ["partnerschap"]
    actions = ["revoke"]

    @admin.display(boolean=True, description=_("actief"))
    def active(self, obj: ApiToken) -> bool:
        return obj.is_active

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "partnerschap"]
        return [
            "name",
            "partnerschap",
            "prefix",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["partnerschap", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, raw = api.api_token_create(
            name=obj.name,
            partnerschap=obj.partnerschap,
            created_by=request.user,
            request=request,
        )
        vars(obj).update(vars(token))  # the admin logs and links the record the service made
        request._lev_new_api_key = raw

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new key once, on a page that is not cached; it is stored nowhere."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("API-sleutel aangemaakt"),
            "opts": self.model._meta,
            "token": obj,
            "raw_key": getattr(request, "_lev_new_api_key", ""),
        }
        response = TemplateResponse(request, "portal/api/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Geselecteerde sleutels intrekken"))
    def revoke(self, request, queryset):
        count = sum(
            api.api_token_revoke(token=t, by=request.user, request=request) for t in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d sleutel ingetrokken.", "%(count)d sleutels ingetrokken.", count)
            % {"count": count},
        )
