"""Back-office views of the map for operators. Changes to the map go through the portal
(and its services); here entries, assessments and versions are read-only records."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Condition, ConditionAssessment, Function, MapEntry, MapVersion


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Function)
class FunctionAdmin(_ReadOnly):
    list_display = ["code", "name", "group", "system", "display_order"]
    list_filter = ["system", "group"]
    search_fields = ["code", "name"]


@admin.register(MapEntry)
class MapEntryAdmin(_ReadOnly):
    list_display = [
        "function",
        "level",
        "receiving_body",
        "status",
        "delegated_budget",
        "effective_from",
    ]
    list_filter = ["function__system", "level", "status"]
    search_fields = ["function__code", "function__name", "receiving_body__name"]
    list_select_related = ["function", "receiving_body"]


@admin.register(Condition)
class ConditionAdmin(_ReadOnly):
    list_display = ["__str__", "category", "owner_body", "due_date"]
    list_filter = ["category", "map_entry__function__system"]
    list_select_related = ["owner_body"]


@admin.register(ConditionAssessment)
class ConditionAssessmentAdmin(_ReadOnly):
    list_display = ["condition", "status", "assessed_by", "assessed_at"]
    list_select_related = ["condition", "assessed_by"]


@admin.register(MapVersion)
class MapVersionAdmin(_ReadOnly):
    list_display = ["label", "system", "approved_by", "meeting_date", "published_at"]
    list_filter = ["system"]
    exclude = ["rows"]
