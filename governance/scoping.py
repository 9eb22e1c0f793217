"""Related fields of forms and serializers offer only what the caller may see.

An id of something the caller may not see is then refused exactly like an id that
does not exist ("not found"), never with a message that names it or its system.
The querysets come from the policies (``governance.permissions`` and each app's own),
so forms, serializers and lists agree on what "visible" means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from rest_framework import serializers

from ics_portal.types import RequestUser

Scope = Callable[[RequestUser], QuerySet[Any]]


def request_user(context: dict[str, Any]) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


class ScopedFieldsMixin:
    """``scopes = {"field": lambda user: queryset}`` narrows each writable related
    field to the queryset the policy gives the requesting user (none without one)."""

    scopes: ClassVar[dict[str, Scope]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # type: ignore[misc]
        user = request_user(self.context)  # type: ignore[attr-defined]
        for name, scope in self.scopes.items():
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            target = (
                field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            )
            target.queryset = scope(user) if user is not None else target.queryset.none()
        return fields


def scope_form(form: forms.BaseForm, **visible: QuerySet) -> forms.BaseForm:
    """Narrow each named choice field to what the caller may see, keeping the form's
    own narrowing (kinds of body, the system) too."""
    for name, queryset in visible.items():
        field = form.fields.get(name)
        if field is not None:
            field.queryset = field.queryset.filter(pk__in=queryset.values("pk"))
    return form
