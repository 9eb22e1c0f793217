"""Published versions of the map: the list, one version, comparing two, publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance import selectors as governance_selectors
from governance.forms import submit
from governance.models import IntegratedCareSystem
from ics_portal.ids import as_id
from ics_portal.policy import require

from .. import forms, permissions, selectors, services
from ..diff import diff_rows
from .common import base_context, editable_system, form_page, scoped


def _version_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    system = governance_selectors.system_get(request.user, slug)
    if not permissions.may_read_versions(request.user, system):
        raise Http404("No such system.")
    return system


@login_required
def version_list(request: HttpRequest, system: str) -> HttpResponse:
    ics = _version_system(request, system)
    context = base_context(request, ics)
    context["versions"] = selectors.versions_in(request.user, ics)
    return render(request, "delegation/version_list.html", context)


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(request.user, pk)
    context = base_context(request, version.system)
    context.update({"version": version, "rows": version.rows})
    return render(request, "delegation/version_detail.html", context)


@login_required
def version_diff(request: HttpRequest, system: str) -> HttpResponse:
    """Compare ?old=<version id> with ?new=<version id or "live">."""
    ics = _version_system(request, system)
    versions = list(selectors.versions_in(request.user, ics))
    old_id, new_id = request.GET.get("old", ""), request.GET.get("new", "")
    context = base_context(request, ics)
    may_read_live = context["may_read_live"]
    if not old_id and not new_id and versions:
        # Opened from a link rather than the form: answer the usual question, what has
        # changed since the last publication (versions are newest first).
        if may_read_live:
            old_id, new_id = str(versions[0].pk), "live"
        elif len(versions) > 1:
            old_id, new_id = str(versions[1].pk), str(versions[0].pk)
    context.update({"versions": versions, "old_id": old_id, "new_id": new_id})
    if old_id and new_id:
        old = _version_rows(request, ics, old_id, may_read_live)
        new = _version_rows(request, ics, new_id, may_read_live)
        if old is None or new is None:
            context["error"] = "Choose two versions of this map, or a version and the live map."
            return render(request, "delegation/version_diff.html", context, status=400)
        context.update(
            {"old_label": old[0], "new_label": new[0], "diff": diff_rows(old[1], new[1])}
        )
    return render(request, "delegation/version_diff.html", context)


def _version_rows(
    request: HttpRequest, system: IntegratedCareSystem, ref: str, may_read_live: bool
) -> tuple[str, list[dict[str, Any]]] | None:
    if ref == "live":
        require(may_read_live)
        return "the live map", selectors.live_rows(system)
    pk = as_id(ref)
    if pk is None:
        return None
    version = selectors.version_get(request.user, pk)
    if version.system_id != system.pk:
        return None
    return version.label, version.rows


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, system: str) -> HttpResponse:
    ics = editable_system(request, system)
    done = submit(
        request,
        lambda data, _: scoped(request, forms.PublishForm(data, system=ics)),
        lambda form: services.map_version_publish(
            system=ics, published_by=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(request, f"Published {done.result.label}.")
        return redirect("delegation:version_detail", pk=done.result.pk)
    return form_page(
        request,
        ics,
        done,
        title="Publish a version of the map",
        submit="Publish version",
        back=reverse("delegation:version_list", args=[ics.slug]),
        intro="Publishing freezes every entry in force now, with its conditions, as a "
        "record that later changes never alter.",
    )
