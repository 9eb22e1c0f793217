"""Filters for milestone lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from governance.filters import IdFilter, IdOrSlugFilter, StrictBooleanFilter
from ics_portal.ids import as_id
from ics_portal.quarters import Quarter, QuarterError, parse_quarter
from ics_portal.validators import EARLIEST_DATE, LATEST_DATE

from .models import Milestone, Programme, Status
from .rag import Rag, rag_order_annotation

SORTS = {
    "due": ("due_date", "title"),
    "-due": ("-due_date", "title"),
    "overdue": ("rag_rank", "due_date", "title"),
    "title": ("title",),
}


# The schema's pattern for a quarter: "Q3 2021/22", the second year following the first.
# A regular expression cannot add one to a year, so the window's years are spelled out.
_QUARTER_PATTERN = (
    "^Q[1-4] ("
    + "|".join(
        Quarter(year, 1).financial_year for year in range(EARLIEST_DATE.year, LATEST_DATE.year)
    )
    + ")$"
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": _QUARTER_PATTERN,
        "description": "A financial-year quarter, e.g. Q3 2021/22 (Q1 is April to June).",
    }
)
class QuarterFilter(django_filters.CharFilter):
    pass


class MilestoneFilterForm(forms.Form):
    def clean_quarter(self) -> str:
        value = (self.cleaned_data.get("quarter") or "").strip()
        if value:
            try:
                parse_quarter(value)
            except QuarterError as error:
                raise ValidationError(str(error)) from None
        return value


class MilestoneFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", help_text="Id of the programme.")
    owner_body = IdOrSlugFilter(field_name="owner_body", label="Owner body")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    rag = django_filters.MultipleChoiceFilter(
        choices=Rag.CHOICES, field_name="rag_value", label="RAG"
    )
    quarter = QuarterFilter(method="filter_quarter", label="Due in quarter")
    lead = django_filters.CharFilter(method="filter_lead", label="Lead")
    # Strict, like every boolean filter of the API: "sometimes" is a 400, not "no filter".
    overdue = StrictBooleanFilter(method="filter_overdue", label="Overdue only")
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("overdue", "Overdue first"),
            ("title", "Title"),
        ],
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Milestone
        fields: list[str] = []
        form = MilestoneFilterForm

    def filter_quarter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        quarter = parse_quarter(value)  # the form has checked it
        return queryset.filter(due_date__gte=quarter.first_day, due_date__lte=quarter.last_day)

    def filter_lead(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if (pk := as_id(value)) is not None:
            return queryset.filter(lead_user_id=pk)
        return queryset.filter(Q(lead_name__iexact=value) | Q(lead_user__username__iexact=value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(due_date__lt=timezone.localdate()) & ~Q(status__in=["complete", "cancelled"])
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            queryset = queryset.annotate(rag_rank=rag_order_annotation())
        return queryset.order_by(*SORTS.get(value or "due", SORTS["due"]))


class ProgrammeFilter(django_filters.FilterSet):
    system = django_filters.CharFilter(
        method="filter_system", label="System (slug): its own programmes and its bodies'"
    )
    body = IdOrSlugFilter(field_name="body", label="Owner body (id or slug)")

    class Meta:
        model = Programme
        fields: list[str] = []

    def filter_system(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(system__slug=value) | Q(body__system__slug=value))
