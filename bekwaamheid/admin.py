"""Admin: the framework is edited here (a concept version; published versions are read-only
and changed by making a new version). Records of the Proeve are shown, never edited."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.adminkit import AuditedAdmin, RecordAdmin

from . import services
from .models import (
    Bekwaamheidseis,
    Bekwaamheidskader,
    Bewijsstuk,
    Dossier,
    Onderzoeksopdracht,
    Oordeel,
    Opdracht,
    Proeve,
    Rubriekniveau,
)


class _FrozenWhenPublished:
    """Inlines and forms are read-only once the framework version is no longer a concept."""

    def _editable(self, obj) -> bool:
        kader = getattr(obj, "kader", obj)
        return obj is None or kader is None or kader.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class BekwaamheidseisInline(_FrozenWhenPublished, admin.TabularInline):
    model = Bekwaamheidseis
    extra = 0
    fields = ["gebied", "code", "titel", "order"]
    show_change_link = True


@admin.register(Bekwaamheidskader)
class BekwaamheidskaderAdmin(AuditedAdmin):
    list_display = ["name", "versie", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    inlines = [BekwaamheidseisInline]
    actions = ["new_version", "publish"]

    def has_change_permission(self, request, obj=None):
        # The list page and the actions stay usable; a published version itself is read-only.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is not None and obj.is_editable and not obj.dossiers.exists()
        )

    @admin.action(description=_("Nieuwe conceptversie maken (kopie)"))
    def new_version(self, request, queryset):
        for kader in queryset:
            new = services.kader_new_version(kader=kader, by=request.user)
            messages.success(request, _("Conceptversie %(v)d gemaakt.") % {"v": new.versie})

    @admin.action(description=_("Publiceren (wordt het actieve kader)"))
    def publish(self, request, queryset):
        for kader in queryset:
            try:
                services.kader_publish(kader=kader, by=request.user)
            except services.Refused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Versie %(v)d is nu actief.") % {"v": kader.versie})


class RubriekniveauInline(_FrozenWhenPublished, admin.TabularInline):
    model = Rubriekniveau
    extra = 0
    max_num = 4


@admin.register(Bekwaamheidseis)
class BekwaamheidseisAdmin(AuditedAdmin):
    list_display = ["code", "titel", "gebied", "kader"]
    list_filter = ["kader", "gebied"]
    list_select_related = ["gebied", "kader"]
    inlines = [RubriekniveauInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.kader.is_editable
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is not None and obj.kader.is_editable
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kader":
            kwargs["queryset"] = Bekwaamheidskader.objects.filter(
                status=Bekwaamheidskader.Status.CONCEPT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _ReadOnly(RecordAdmin):
    """Records and working material: visible to the admin, changed only in the portal."""


@admin.register(Dossier)
class DossierAdmin(_ReadOnly):
    list_display = ["traject", "kader", "created_at"]
    list_select_related = ["traject__zij_instromer", "kader"]


@admin.register(Opdracht)
class OpdrachtAdmin(_ReadOnly):
    list_display = ["titel", "gesteld_door", "partnerschap", "created_at"]
    list_select_related = ["gesteld_door", "partnerschap"]


@admin.register(Onderzoeksopdracht)
class OnderzoeksopdrachtAdmin(_ReadOnly):
    list_display = ["opdracht", "dossier", "status", "in_dossier"]
    list_filter = ["status"]
    list_select_related = ["opdracht", "dossier__traject__zij_instromer"]


@admin.register(Bewijsstuk)
class BewijsstukAdmin(_ReadOnly):
    list_display = ["titel", "onderzoeksopdracht", "mime", "size", "created_at", "removed_at"]
    exclude = ["bestand"]  # no public URL: files are served only through the portal
    list_select_related = ["onderzoeksopdracht__opdracht"]


@admin.register(Proeve)
class ProeveAdmin(_ReadOnly):
    list_display = ["dossier", "poging", "status", "uitslag", "datum", "pdf_status"]
    list_filter = ["status", "uitslag"]
    exclude = ["pdf", "snapshot"]
    list_select_related = ["dossier__traject__zij_instromer"]


@admin.register(Oordeel)
class OordeelAdmin(_ReadOnly):
    list_display = ["proeve", "uitslag", "locked_at"]
    list_select_related = ["proeve__dossier__traject__zij_instromer"]
