"""Query-string filters for the map's API lists."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone

from governance.filters import IdFilter, StrictBooleanFilter
from governance.models import BodyKind

from .models import (
    AssessmentStatus,
    Condition,
    ConditionCategory,
    EntryStatus,
    Function,
    Level,
    MapEntry,
    MapVersion,
)


class FunctionFilter(filters.FilterSet):
    system = filters.CharFilter(field_name="system__slug")
    group = filters.CharFilter()
    code = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Function
        fields = ["system", "group", "code"]


class MapEntryFilter(filters.FilterSet):
    system = filters.CharFilter(field_name="function__system__slug")
    function = IdFilter(help_text="Id of the function.")
    function_code = filters.CharFilter(field_name="function__code", lookup_expr="iexact")
    group = filters.CharFilter(field_name="function__group")
    receiving_body = filters.CharFilter(field_name="receiving_body__slug")
    body_kind = filters.ChoiceFilter(field_name="receiving_body__kind", choices=BodyKind.choices)
    level = filters.ChoiceFilter(choices=Level.choices)
    status = filters.ChoiceFilter(choices=EntryStatus.choices)

    class Meta:
        model = MapEntry
        fields = ["system", "function", "receiving_body", "level", "status"]


class ConditionFilter(filters.FilterSet):
    system = filters.CharFilter(field_name="map_entry__function__system__slug")
    map_entry = IdFilter(help_text="Id of the map entry.")
    category = filters.ChoiceFilter(choices=ConditionCategory.choices)
    owner_body = filters.CharFilter(field_name="owner_body__slug")
    status = filters.ChoiceFilter(field_name="latest_status", choices=AssessmentStatus.choices)
    # Strict, like every boolean filter of the API: "sometimes" is a 400, not "no filter".
    overdue = StrictBooleanFilter(method="filter_overdue")

    class Meta:
        model = Condition
        fields = ["system", "map_entry", "category", "owner_body"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.filter(due_date__lt=timezone.localdate()).exclude(
            latest_status=AssessmentStatus.MET
        )
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class MapVersionFilter(filters.FilterSet):
    system = filters.CharFilter(field_name="system__slug")

    class Meta:
        model = MapVersion
        fields = ["system"]
