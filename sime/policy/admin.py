from django.contrib import admin

from sime.core.admin import CatalogueAdmin, CatalogueInline
from sime.policy.models import (
    DisaggregationCategory,
    DisaggregationDimension,
    GcmObjective,
    KatunPriority,
    SdgTarget,
    TargetPopulation,
)


@admin.register(GcmObjective)
class GcmObjectiveAdmin(CatalogueAdmin):
    list_display = ["number", "title_es"]
    search_fields = ["title_es", "title_en"]


@admin.register(SdgTarget)
class SdgTargetAdmin(CatalogueAdmin):
    list_display = ["code", "summary"]
    search_fields = ["code", "summary"]


@admin.register(KatunPriority)
class KatunPriorityAdmin(CatalogueAdmin):
    list_display = ["code", "name"]


@admin.register(TargetPopulation)
class TargetPopulationAdmin(CatalogueAdmin):
    list_display = ["code", "name", "kind", "order"]
    list_filter = ["kind"]


class DisaggregationCategoryInline(CatalogueInline):
    model = DisaggregationCategory


@admin.register(DisaggregationDimension)
class DisaggregationDimensionAdmin(CatalogueAdmin):
    list_display = ["code", "name", "order"]
    inlines = [DisaggregationCategoryInline]

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        # Inline categories go through the same audited catalogue service.
        from sime.core.services import delete_catalogue_entry, save_catalogue_entry

        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_catalogue_entry(obj=obj, by=request.user)
        for obj in instances:
            save_catalogue_entry(obj=obj, by=request.user, is_new=obj.pk is None)
