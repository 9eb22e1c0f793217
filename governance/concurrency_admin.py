"""The admin's half of ``governance.concurrency``: the back office loses nothing either.

A change form (and each inline row) carries the version it was built from. If the
record changed since, the form comes back (409) with everything typed still in it, an
error saying what changed and who changed it, and the current version: saving again
is a deliberate choice. Each accepted change is logged like any other write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from .concurrency import StaleWrite, record, snapshot


class VersionedAdminForm(forms.ModelForm):
    # Not "version": the admin refuses a form field named like a non-editable one.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        loaded = data.get("loaded_version")
        if not self.instance.pk or loaded is None:
            return data
        # Held until the admin's transaction ends, so nobody writes between here and save.
        rows = type(self.instance)._base_manager.select_for_update()
        current = rows.get(pk=self.instance.pk)
        if current.version != loaded:
            self.stale = StaleWrite(current, loaded)
            # Keep what they typed, now based on the version they have been told about.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = str(current.version)
            raise forms.ValidationError(str(self.stale), code="stale")
        return data


def _claim_for_save(form: forms.ModelForm) -> dict[str, tuple[str, str]] | None:
    """Before an accepted change is saved: its before-image, and the version bumped."""
    obj = form.instance
    if not obj.pk or not form.has_changed():
        return None
    before = snapshot(type(obj)._base_manager.get(pk=obj.pk))
    obj.version = form.cleaned_data["loaded_version"] + 1
    return before


class VersionedAdminMixin:
    """For a ModelAdmin (and its inlines) of ``Versioned`` models."""

    form = VersionedAdminForm

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool
    ) -> None:
        before = _claim_for_save(form) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if before is not None:
            record(obj, before, by=request.user)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        befores = {
            f.instance.pk: (f.instance, before)
            for f in formset.initial_forms
            if isinstance(f, VersionedAdminForm)
            and f not in formset.deleted_forms
            and (before := _claim_for_save(f)) is not None
        }
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for obj, before in befores.values():
            record(obj, before, by=request.user)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]
        forms_shown = [context["adminform"].form] + [
            f for inline in context.get("inline_admin_formsets", []) for f in inline.formset.forms
        ]
        if any(getattr(f, "stale", None) for f in forms_shown):
            response.status_code = 409
        return response


class VersionedInlineMixin:
    form = VersionedAdminForm
