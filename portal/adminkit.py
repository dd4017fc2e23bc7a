"""What every admin page of Lev shares (`/beheer/`).

The admin is for reference data (organisations, the competence framework, signal tags,
registers, API keys) and accounts. Domain records (trajecten, conversations, reports,
plans, dossiers, Proeven, verdicts) are shown read-only (`RecordAdmin`, `RecordInline`):
they change only through the portal's services, which keep the role history, the audit
trail, the notifications and the figures. Every change made in the admin lands in Lev's
audit trail as well as in Django's admin log (`AuditedAdmin`, put on every registered admin
by `audit_every_admin`), and deleting many rows at once is switched off.
"""

from __future__ import annotations

from django.contrib import admin

from .audit import record


class AuditedAdmin(admin.ModelAdmin):
    """Writes each admin addition, change and deletion to the audit trail ("beheer.*"),
    with who, from where, what and Django's change message."""

    def _audit(self, request, action: str, obj, message) -> None:
        record(
            action=f"beheer.{action}",
            actor=request.user,
            obj=obj,
            request=request,
            detail={"object": str(obj)[:200], "wijziging": _message_text(message)},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, "toevoegen", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, "wijzigen", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "verwijderen", obj, "")
        return super().log_deletions(request, queryset)


def _message_text(message) -> str | list:
    """Django's change message (a list of dicts, or a string) as stored JSON."""
    return message if isinstance(message, list | str) else str(message)


class RecordAdmin(AuditedAdmin):
    """A domain record: visible to staff who may view it, never added, changed or deleted
    here (not by a superuser either)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    """The read-only rows of a record shown inside its parent."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def audit_every_admin(site: admin.AdminSite) -> None:
    """Give every admin registered on `site` (Lev's own and those of django.contrib and
    allauth) the audit of AuditedAdmin, and switch off deleting many rows at once (each
    deletion is then one confirmed, audited step). Called once the URLs load, when every
    app has registered its admins."""
    site.disable_action("delete_selected")
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        cls = type(model_admin)
        audited = type(
            f"Audited{cls.__name__}", (AuditedAdmin, cls), {"__module__": cls.__module__}
        )
        site.unregister(model)
        site.register(model, audited)
