"""Query-string filters for the landscape API lists.

A bad value (an unknown kind, a word where an id goes, ``is_published=maybe``) answers
400 naming the parameter, rather than being ignored and returning an unfiltered list
the caller would take for a filtered one.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.core.validators import slug_re
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from ics_portal.ids import ID_MAX, as_id

from . import permissions
from .models import (
    Body,
    BodyKind,
    GovernanceForm,
    IntegratedCareSystem,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
)

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


class _StrictBooleanField(forms.Field):
    """True/false, or a clear error: Django's NullBooleanField reads 'maybe' as 'no filter'."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = _StrictBooleanField


class _IdField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1, or 400 ("Enter a whole number.")."""

    field_class = _IdField


class _SystemField(forms.CharField):
    """A system by id or by slug: ``?system=3`` or ``?system=nel``."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        if text and not slug_re.fullmatch(text):
            raise forms.ValidationError("Enter a system id or slug, e.g. nel.", code="invalid")
        return text


class IdOrSlugFilter(filters.CharFilter):
    """Filters on the related object ``field_name`` by id when the value is a whole
    number, else by slug: ``?body=12`` or ``?body=tht``.

    An unknown object (or one the caller cannot see) gives an empty list, not an
    error, so the answer never tells whether another system's slug exists.
    """

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        pk = as_id(value)
        if pk is not None:
            return qs.filter(**{f"{self.field_name}_id": pk})
        return qs.filter(**{f"{self.field_name}__slug": value})


@extend_schema_field(
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "description": "A system's id or slug."}
)
class SystemFilter(IdOrSlugFilter):
    """A system by id or slug; anything that is neither is refused with a message."""

    field_class = _SystemField


class SystemListFilter(filters.FilterSet):
    slug = filters.CharFilter()

    class Meta:
        model = IntegratedCareSystem
        fields = ["slug"]


class OrganisationFilter(filters.FilterSet):
    system = SystemFilter(field_name="system", help_text="System id or slug.")
    kind = filters.ChoiceFilter(choices=OrganisationKind.choices)
    ods_code = filters.CharFilter(lookup_expr="iexact", help_text="ODS code, e.g. R1H.")

    class Meta:
        model = Organisation
        fields = ["system", "kind", "ods_code"]


class BodyFilter(filters.FilterSet):
    system = SystemFilter(field_name="system", help_text="System id or slug.")
    kind = filters.ChoiceFilter(choices=BodyKind.choices)
    parent = IdFilter(method="filter_parent", help_text="Id of the parent body.")
    top_level = StrictBooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="Only bodies with no parent."
    )
    accountable_to = IdFilter(
        method="filter_accountable_to", help_text="Id of the body this one is accountable to."
    )
    current_form = filters.ChoiceFilter(choices=GovernanceForm.choices)
    is_published = StrictBooleanFilter()

    class Meta:
        model = Body
        fields = ["system", "kind", "parent", "accountable_to", "current_form", "is_published"]

    # django-filter calls a filter method only with a value; the hints name the
    # parameter's type in the schema.
    def _related_visible(self, queryset: QuerySet, field: str, value: int) -> QuerySet:
        # Only through a body the caller may see: children of a hidden body would
        # otherwise confirm that the hidden id exists.
        visible = permissions.visible(self.request.user, Body).values("pk")
        return queryset.filter(**{f"{field}_id": value, f"{field}__in": visible})

    def filter_parent(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return self._related_visible(queryset, "parent", value)

    def filter_accountable_to(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return self._related_visible(queryset, "accountable_to", value)


class MembershipFilter(filters.FilterSet):
    system = SystemFilter(field_name="body__system", help_text="System id or slug.")
    body = IdFilter(field_name="body__id", help_text="Id of the body.")
    organisation = IdFilter(field_name="organisation__id", help_text="Id of the organisation.")
    role = filters.ChoiceFilter(choices=MembershipRole.choices)
    current = StrictBooleanFilter(
        method="filter_current",
        help_text="true: seats held today; false: seats ended or not yet started.",
    )

    class Meta:
        model = Membership
        fields = ["system", "body", "organisation", "role", "current"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        held = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset.filter(held) if value else queryset.exclude(held)
