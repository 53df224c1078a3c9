from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sime.core.models import AuditEvent
from sime.core.services import delete_catalogue_entry, save_catalogue_entry

admin.site.site_header = _("SIME-PM — Catálogos")
admin.site.site_title = _("SIME-PM")
admin.site.index_title = _("Catálogos del sistema")


class CatalogueAdmin(admin.ModelAdmin):
    """Admin pages for catalogues: Administrador only, every write through the audited service."""

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("core.view_admin_site"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_catalogue_entry(obj=obj, by=request.user, is_new=not change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_catalogue_entry(obj=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            delete_catalogue_entry(obj=obj, by=request.user)


class CatalogueInline(admin.TabularInline):
    """Rows edited inside a catalogue's page, with the same Administrador-only rule."""

    extra = 1

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("core.view_admin_site"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class ReadOnlyAdmin(CatalogueAdmin):
    """Shown in the admin for lookup; edited only through the application's pages."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_email", "action", "object_repr", "institution_name"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_email", "action"]
    date_hierarchy = "occurred_at"
