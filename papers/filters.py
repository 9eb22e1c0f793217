"""Filters for paper lists (the API)."""

from __future__ import annotations

import django_filters

from governance.filters import IdOrSlugFilter, SystemFilter

from .models import Paper, PaperState, Template


class PaperFilter(django_filters.FilterSet):
    system = SystemFilter(field_name="system")
    author_body = IdOrSlugFilter(field_name="author_body", label="Written by")
    meeting_body = IdOrSlugFilter(field_name="meeting_body", label="Meeting of")
    state = django_filters.MultipleChoiceFilter(choices=PaperState.choices)
    template = django_filters.ChoiceFilter(choices=Template.choices)
    meeting_after = django_filters.DateFilter(field_name="meeting_date", lookup_expr="gte")
    meeting_before = django_filters.DateFilter(field_name="meeting_date", lookup_expr="lte")

    class Meta:
        model = Paper
        fields: list[str] = []
