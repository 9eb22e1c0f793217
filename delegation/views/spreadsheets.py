"""The map as a spreadsheet: exports, and importing one (check, then run, as a job)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance import job_pages

from .. import forms, import_rows, imports, selectors, spreadsheets, tasks
from .common import base_context, editable_system, live_system

SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _spreadsheet(rows: list[dict[str, Any]], fmt: str, filename: str) -> HttpResponse:
    if fmt not in SPREADSHEET_TYPES:
        raise Http404("Export as xlsx or csv.")
    body = spreadsheets.to_xlsx(rows) if fmt == "xlsx" else spreadsheets.to_csv(rows)
    response = HttpResponse(body, content_type=SPREADSHEET_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def map_export(request: HttpRequest, system: str, fmt: str) -> HttpResponse:
    ics = live_system(request, system)
    return _spreadsheet(selectors.live_rows(ics), fmt, f"{ics.slug}-decision-map-live")


@login_required
def version_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = selectors.version_get(request.user, pk)
    return _spreadsheet(version.rows, fmt, f"{version.system.slug}-decision-map-{version.label}")


@login_required
@require_http_methods(["GET", "POST"])
def map_import(request: HttpRequest, system: str) -> HttpResponse:
    """Upload a spreadsheet and check it: a dry run that changes nothing. The plan is
    then read on the job's page, where the import itself is started."""
    ics = editable_system(request, system)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_pages.check_upload(
            form, import_rows.LIMITS, partial(imports.check, system=ics, user=request.user)
        )
        if job is not None:
            return redirect("delegation:map_import_job", system=ics.slug, token=job.token)
    token = job_pages.page_token(request)
    context = base_context(request, ics)
    context.update(
        {
            "form": form,
            "token": token,
            "progress_url": reverse("delegation:map_import_progress", args=[ics.slug, token]),
        }
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delegation/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def map_import_job(request: HttpRequest, system: str, token: str) -> HttpResponse:
    """A checked file: its dry run, then (POST) its import — or, after a failure that
    may pass, the same import again — its progress and its result."""
    ics = editable_system(request, system)
    job = imports.job_get(token, user=request.user, system=ics)
    if request.method == "POST":
        if imports.start(job):
            tasks.map_import_run.delay(job.pk)
        return redirect("delegation:map_import_job", system=ics.slug, token=job.token)
    context = base_context(request, ics)
    context.update(
        {
            "job": job,
            "refused_rows": imports.refused_rows(job),
            "progress": imports.progress_of(job),
            "progress_url": reverse("delegation:map_import_progress", args=[ics.slug, job.token]),
        }
    )
    return render(request, "delegation/import_job.html", context)


@login_required
def map_import_progress(request: HttpRequest, system: str, token: str) -> JsonResponse:
    """How far a check or an import has got, for the page that follows it."""
    ics = editable_system(request, system)
    job = imports.job_get(token, user=request.user, system=ics)
    return job_pages.progress_json(imports.progress_of(job))
