"""What every page of the map shares: the system it is about, its flags, the form page."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from governance import permissions as governance_permissions
from governance import selectors as governance_selectors
from governance.forms import Submission
from governance.models import IntegratedCareSystem
from governance.scoping import scope_form

from .. import permissions
from ..condition_rows import STATUS_TAGS
from ..matrix import LEVEL_SHORT, LEVEL_TAGS
from ..models import AssessmentStatus, Level
from ..permissions import Action


def live_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    """The system whose live map the user reads: 404 if not theirs, 403 for a viewer."""
    return permissions.access(request.user, Action.VIEW, governance_selectors.system_get, slug)


def editable_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    """The system whose map the user keeps: 404 if not theirs, 403 if not its lead."""
    return permissions.access(request.user, Action.EDIT, governance_selectors.system_get, slug)


def base_context(request: HttpRequest, system: IntegratedCareSystem) -> dict[str, Any]:
    return {
        "system": system,
        "may_edit": permissions.may_edit_map(request.user, system),
        "may_read_live": permissions.may_read_live_map(request.user, system),
        "status_choices": AssessmentStatus.choices,
        "status_labels": dict(AssessmentStatus.choices),
        "level_tags": LEVEL_TAGS,
        "level_short": LEVEL_SHORT,
        "status_tags": STATUS_TAGS,
        "levels": Level,
    }


FormT = TypeVar("FormT", bound=django_forms.BaseForm)


def scoped(request: HttpRequest, form: FormT) -> FormT:
    """Choices offer only what this user may see (the forms narrow to the system)."""
    bodies = governance_permissions.bodies_visible_to(request.user)
    scope_form(
        form,
        receiving_body=bodies,
        owner_body=bodies,
        approved_by=bodies,
        function=permissions.visible_functions(request.user),
    )
    return form


def form_page(
    request: HttpRequest,
    system: IntegratedCareSystem,
    submission: Submission,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
) -> HttpResponse:
    """The form again: 400 with its errors; 409 after a stale write, keeping what they
    typed with what changed since, until they save again on purpose."""
    context = base_context(request, system)
    context.update(
        {
            "form": submission.form,
            "title": title,
            "submit": submit,
            "back": back,
            "intro": intro,
            "stale": submission.stale,
        }
    )
    return render(request, "delegation/form.html", context, status=submission.status(invalid=400))
