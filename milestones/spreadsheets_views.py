"""Export and import pages for a programme's milestones."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from . import permissions, selectors, spreadsheets
from .forms import ImportForm
from .permissions import Action

SESSION_KEY = "milestones_import"
MAX_BYTES = 2 * 1024 * 1024


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


@login_required
@require_http_methods(["GET", "POST"])
def import_(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → dry run with per-row errors → apply the same file, all or nothing."""
    programme = selectors.programme_get(request.user, pk)
    if not permissions.can(request.user, Action.ADD_MILESTONE, programme):
        raise PermissionDenied("Only the programme office imports milestones.")
    form = ImportForm()
    result = None
    file_error = ""
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST":
        if request.POST.get("apply") and pending and pending.get("programme") == programme.pk:
            name, content = pending["name"], base64.b64decode(pending["content"])
            dry_run = False
        else:
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                return render(
                    request,
                    "milestones/import.html",
                    {"programme": programme, "form": form, "result": None},
                    status=400,
                )
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                file_error = "The file is larger than 2 MB."
                name, content = "", b""
            else:
                name, content = upload.name, upload.read()
            dry_run = not form.cleaned_data.get("confirm")
        if not file_error:
            try:
                rows = spreadsheets.read_rows(name, content)
            except ValidationError as error:
                file_error = " ".join(error.messages)
            else:
                result = spreadsheets.import_milestones(
                    programme=programme, by=request.user, rows=rows, dry_run=dry_run
                )
                if result.applied:
                    request.session.pop(SESSION_KEY, None)
                    messages.success(
                        request,
                        f"Imported: {len(result.created)} added, {len(result.updated)} updated, "
                        f"{result.unchanged} unchanged.",
                    )
                    return redirect("milestones:programme", pk=programme.pk)
                if not result.errors:
                    request.session[SESSION_KEY] = {
                        "programme": programme.pk,
                        "name": name,
                        "content": base64.b64encode(content).decode("ascii"),
                    }
        if file_error:
            form.add_error("file", file_error)
    # A refused file or rows with errors are the uploader's to fix: 400, like the map import.
    refused = bool(form.errors) or bool(result and result.errors)
    return render(
        request,
        "milestones/import.html",
        {"programme": programme, "form": form, "result": result},
        status=400 if refused else 200,
    )
