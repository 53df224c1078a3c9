from django.contrib import admin

from sime.core.admin import CatalogueAdmin, ReadOnlyAdmin
from sime.institutions.models import Department, FocalPoint, Institution


@admin.register(Department)
class DepartmentAdmin(CatalogueAdmin):
    list_display = ["code", "name", "ine_code"]
    search_fields = ["code", "name"]


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "acronym", "sector", "is_linked", "is_active", "planning_signoff_exempt"]
    list_filter = ["sector", "is_linked", "is_active", "planning_signoff_exempt"]
    search_fields = ["name", "acronym"]


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyAdmin):
    list_display = ["institution", "user", "role", "designated_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["institution__name", "user__full_name"]
