"""A map entry: its page, and adding, correcting, superseding and revoking one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance.concurrency import version_field
from governance.forms import submit
from governance.models import IntegratedCareSystem

from .. import forms, permissions, selectors, services
from ..models import EntryStatus, MapEntry
from ..permissions import Action
from .common import base_context, editable_system, form_page, scoped


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    system = entry.function.system
    context = base_context(request, system)
    conditions = list(selectors.conditions_of(entry))
    for condition in conditions:
        condition.overdue = condition.is_overdue(condition.latest_status)
    context.update(
        {
            "entry": entry,
            "conditions": conditions,
            "history": selectors.entry_history(entry),
            "is_open": entry.status in (EntryStatus.PROPOSED, EntryStatus.IN_FORCE),
        }
    )
    return render(request, "delegation/entry_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, system: str) -> HttpResponse:
    ics = editable_system(request, system)
    done = submit(
        request,
        lambda data, _: scoped(request, forms.EntryForm(data, system=ics)),
        lambda form: services.map_entry_create(created_by=request.user, **form.cleaned_data),
    )
    if done.saved:
        messages.success(request, f"Added {done.result}.")
        return redirect("delegation:entry_detail", pk=done.result.pk)
    return form_page(
        request,
        ics,
        done,
        title="Add a map entry",
        submit="Add entry",
        back=reverse("delegation:matrix", args=[ics.slug]),
    )


def _entry_initial(entry: MapEntry) -> dict[str, Any]:
    return {
        "level": entry.level,
        "receiving_body": entry.receiving_body_id,
        "governance_form": entry.governance_form,
        "decision_right": entry.decision_right,
        "delegated_budget": entry.delegated_budget,
        "financial_limit": entry.financial_limit,
        "effective_from": entry.effective_from,
        "review_by": entry.review_by,
        "notes": entry.notes,
    }


def _fields_form(
    request: HttpRequest,
    entry: MapEntry,
    system: IntegratedCareSystem,
    data: QueryDict | None,
    form_class: type[forms.EntryFieldsForm],
    initial: dict[str, Any],
) -> forms.EntryFieldsForm:
    """An entry's fields, scoped to what the user may see, with the page's version."""
    form = scoped(request, form_class(data, initial=initial, system=system))
    return version_field(form, entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.access(request.user, Action.EDIT, selectors.entry_get, pk)
    system = entry.function.system
    initial = {**_entry_initial(entry), "function": entry.function_id, "status": entry.status}

    def bind(data: QueryDict | None, _: Any) -> forms.EntryFieldsForm:
        form = _fields_form(request, entry, system, data, forms.EntryForm, initial)
        form.fields["function"].disabled = True
        return form

    def write(form: forms.EntryFieldsForm) -> MapEntry:
        data = {k: v for k, v in form.cleaned_data.items() if k != "function"}
        return services.map_entry_update(entry=entry, by=request.user, **data)

    done = submit(request, bind, write)
    if done.saved:
        messages.success(request, "Entry saved.")
        return redirect("delegation:entry_detail", pk=entry.pk)
    return form_page(
        request,
        system,
        done,
        title=f"Correct {entry}",
        submit="Save entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="Corrections change this entry in place. To change an entry in force "
        "and keep the old one on record, supersede it instead.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_supersede(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.access(request.user, Action.EDIT, selectors.entry_get, pk)
    system = entry.function.system
    initial = _entry_initial(entry)
    done = submit(
        request,
        lambda data, _: _fields_form(request, entry, system, data, forms.EntryFieldsForm, initial),
        lambda form: services.map_entry_supersede(
            entry=entry, created_by=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(request, f"{entry} superseded; the old entry stays on record.")
        return redirect("delegation:entry_detail", pk=done.result.pk)
    return form_page(
        request,
        system,
        done,
        title=f"Supersede {entry}",
        submit="Supersede entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="The entry in force is kept, marked superseded, and linked to the new one. "
        "Its conditions move to the new entry with their assessments.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.access(request.user, Action.EDIT, selectors.entry_get, pk)
    done = submit(
        request,
        lambda data, _: version_field(forms.RevokeForm(data), entry),
        lambda form: services.map_entry_revoke(
            entry=entry,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
            by=request.user,
        ),
    )
    if done.saved:
        messages.success(request, f"{entry} revoked; it stays on record.")
        return redirect("delegation:entry_detail", pk=entry.pk)
    return form_page(
        request,
        entry.function.system,
        done,
        title=f"Revoke {entry}",
        submit="Revoke entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="The function goes back to the ICB board. The entry is not deleted: it "
        "stays readable, marked revoked, with its conditions and their assessments.",
    )
