"""Conditions: the dashboard, one condition, setting one, and its assessments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance.concurrency import version_field
from governance.forms import submit
from ics_portal.page_cache import cached_page

from .. import forms, permissions, selectors, services
from ..models import AssessmentKind, AssessmentStatus, ConditionCategory
from ..permissions import Action
from .common import base_context, form_page, live_system, scoped


@login_required
@cached_page
def condition_dashboard(request: HttpRequest, system: str) -> HttpResponse:
    ics = live_system(request, system)
    form = forms.ConditionFilterForm(request.GET or None, system=ics)
    filters = {"category": "", "status": "", "owner": ""}
    if form.is_bound and form.is_valid():
        filters = {k: form.cleaned_data[k] for k in filters}
    conditions = selectors.conditions_in(request.user, ics, **filters)
    dashboard = selectors.condition_dashboard(conditions)
    context = base_context(request, ics)
    context.update(
        {
            "form": form,
            "conditions": dashboard["rows"],
            # Assured status is what counts; the bodies' own view stands beside it.
            "by_status": [
                (
                    s,
                    dashboard["by_status"].get(s.value, 0),
                    dashboard["by_self_status"].get(s.value, 0),
                )
                for s in AssessmentStatus
            ],
            "by_category": [
                (c, dashboard["by_category"].get(c.value, 0)) for c in ConditionCategory
            ],
            "overdue": dashboard["overdue"],
        }
    )
    return render(request, "delegation/condition_dashboard.html", context)


@login_required
def condition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_get(request.user, pk)
    system = condition.map_entry.function.system
    context = base_context(request, system)
    context.update(
        {
            "condition": condition,
            "overdue": condition.is_overdue(condition.latest_status),
            "assessments": selectors.assessments_of(condition),
            "may_assess": permissions.can(request.user, Action.ASSESS, condition),
            "may_assure": permissions.can(request.user, Action.ASSURE, condition),
        }
    )
    return render(request, "delegation/condition_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def condition_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.access(request.user, Action.EDIT, selectors.entry_get, pk)
    system = entry.function.system
    initial = {"owner_body": entry.receiving_body_id}
    done = submit(
        request,
        lambda data, _: scoped(request, forms.ConditionForm(data, initial=initial, system=system)),
        lambda form: services.condition_create(map_entry=entry, **form.cleaned_data),
    )
    if done.saved:
        messages.success(request, "Condition added.")
        return redirect("delegation:entry_detail", pk=entry.pk)
    return form_page(
        request,
        system,
        done,
        title=f"Add a condition to {entry}",
        submit="Add condition",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    condition = permissions.access(request.user, Action.EDIT, selectors.condition_get, pk)
    system = condition.map_entry.function.system
    initial = forms.ConditionForm.initial_from(condition)
    done = submit(
        request,
        lambda data, _: version_field(
            scoped(request, forms.ConditionForm(data, initial=initial, system=system)), condition
        ),
        lambda form: services.condition_update(
            condition=condition, by=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(request, "Condition saved.")
        return redirect("delegation:condition_detail", pk=condition.pk)
    return form_page(
        request,
        system,
        done,
        title="Edit condition",
        submit="Save condition",
        back=reverse("delegation:condition_detail", args=[condition.pk]),
    )


def _assessment_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record the owner body's self-assessment or the ICB's assurance: one form, two
    rights (``Action.ASSESS`` / ``Action.ASSURE``), checked before the form is read."""
    is_self = kind == AssessmentKind.SELF
    action = Action.ASSESS if is_self else Action.ASSURE
    condition = permissions.access(request.user, action, selectors.condition_get, pk)
    done = submit(
        request,
        lambda data, _: forms.AssessmentForm(data, kind=kind),
        lambda form: services.condition_assess(
            condition=condition, kind=kind, assessed_by=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(
            request, "Self-assessment recorded." if is_self else "ICB assurance recorded."
        )
        return redirect("delegation:condition_detail", pk=condition.pk)
    return form_page(
        request,
        condition.map_entry.function.system,
        done,
        title=f"Record {condition.owner_body.short_name or condition.owner_body.name}'s "
        "self-assessment"
        if is_self
        else "Record the ICB's assurance",
        submit="Record self-assessment" if is_self else "Record assurance",
        back=reverse("delegation:condition_detail", args=[condition.pk]),
        intro=condition.requirement,
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, pk, AssessmentKind.SELF)


@login_required
@require_http_methods(["GET", "POST"])
def condition_assure(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, pk, AssessmentKind.ASSURED)
