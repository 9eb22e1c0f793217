"""Export and import pages for a programme's milestones."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from governance import job_pages

from . import imports, permissions, selectors, spreadsheets, tasks
from .forms import ImportForm
from .models import Programme
from .permissions import Action


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    rows = (
        selectors.milestones_for(request.user)
        .filter(programme=programme)
        .order_by("due_date", "title", "pk")
    )
    name = slugify(programme.name)[:60] or "milestones"
    if fmt == "csv":
        response = HttpResponse(
            spreadsheets.export_csv(rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            spreadsheets.export_xlsx(rows, title=programme.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Export as csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{name}-milestones.{fmt}"'
    return response


def _importable_programme(request: HttpRequest, pk: int) -> Programme:
    programme = selectors.programme_get(request.user, pk)
    if not permissions.can(request.user, Action.ADD_MILESTONE, programme):
        raise PermissionDenied("Only the programme office imports milestones.")
    return programme


@login_required
@require_http_methods(["GET", "POST"])
def import_(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a spreadsheet and check it: a dry run that changes nothing. What it found
    is read on the job's page, where the import itself is started."""
    programme = _importable_programme(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_pages.check_upload(
            form,
            spreadsheets.LIMITS,
            partial(imports.check, programme=programme, user=request.user),
        )
        if job is not None:
            return redirect("milestones:import_job", pk=programme.pk, token=job.token)
    token = job_pages.page_token(request)
    context = {
        "programme": programme,
        "form": form,
        "token": token,
        "progress_url": reverse("milestones:import_progress", args=[programme.pk, token]),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "milestones/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A checked file: what it would do, then (POST) its import — or, after a failure
    that may pass, the same import again — its progress and its result."""
    programme = _importable_programme(request, pk)
    job = imports.job_get(token, user=request.user, programme=programme)
    if request.method == "POST":
        if imports.start(job):
            tasks.milestone_import_run.delay(job.pk)
        return redirect("milestones:import_job", pk=programme.pk, token=job.token)
    context = {
        "programme": programme,
        "job": job,
        "progress": imports.progress_of(job),
        "progress_url": reverse("milestones:import_progress", args=[programme.pk, job.token]),
    }
    return render(request, "milestones/import_job.html", context)


@login_required
def import_progress(request: HttpRequest, pk: int, token: str) -> JsonResponse:
    """How far a check or an import has got, for the page that follows it."""
    programme = _importable_programme(request, pk)
    job = imports.job_get(token, user=request.user, programme=programme)
    return job_pages.progress_json(imports.progress_of(job))
