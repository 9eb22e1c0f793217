"""History pages of the landscape: a body's history (with its memberships) and the
governance lead's list of everything that changed in the system, with its CSV."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ics_portal.history import pages
from ics_portal.history.records import tracked_of

from . import permissions, selectors
from .models import IntegratedCareSystem, Membership


@login_required
def body_history(request: HttpRequest, system: str, body: str) -> HttpResponse:
    ics = selectors.system_get(request.user, system)
    the_body = selectors.body_get(request.user, ics, body)
    memberships = tracked_of(Membership)
    return pages.render_object_history(
        request,
        the_body,
        back_url=reverse("governance:body", args=[ics.slug, the_body.slug]),
        also=[(memberships, memberships.history.objects.filter(body_id=the_body.pk))],
    )


def _led_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    """The system, if the user leads it: 404 if they cannot see it, 403 if they only read."""
    system = selectors.system_get(request.user, slug)
    if not permissions.is_governance_lead(request.user, system):
        raise PermissionDenied
    return system


def _filter(request: HttpRequest, system: IntegratedCareSystem) -> pages.ChangesFilter:
    return pages.ChangesFilter(request.GET, people=pages.people_in(system))


@login_required
def system_changes(request: HttpRequest, system: str) -> HttpResponse:
    ics = _led_system(request, system)
    form = _filter(request, ics)
    context = {
        "system": ics,
        "form": form,
        "limit": pages.PAGE_LIMIT,
        "start_value": request.GET.get("start", ""),
        "end_value": request.GET.get("end", ""),
    }
    if form.is_valid():
        changes, truncated = pages.system_changes(ics, form)
        start, end = form.window()
        context.update(
            changes=changes,
            truncated=truncated,
            window_start=start,
            window_end=(end - dt.timedelta(days=1)).date(),
        )
        # The form shows the window it used, also when it was left empty.
        context["start_value"] = f"{context['window_start']:%Y-%m-%d}"
        context["end_value"] = f"{context['window_end']:%Y-%m-%d}"
    return render(request, "history/system_changes.html", context, status=200)


@login_required
def system_changes_csv(request: HttpRequest, system: str) -> HttpResponse:
    ics = _led_system(request, system)
    form = _filter(request, ics)
    if not form.is_valid():
        return render(
            request,
            "history/system_changes.html",
            {"system": ics, "form": form, "limit": pages.PAGE_LIMIT},
            status=400,
        )
    return pages.csv_response(ics, form)
