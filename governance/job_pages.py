"""The pages' side of an import job, one for the map's and the milestones' imports.

``governance.jobs`` runs a job; these are the three steps every import page repeats
around it: hand the uploaded file to the check (refusing an oversized one before it is
read), keep the job token the page follows a long check by, and answer the progress
poll without letting anything cache it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, JsonResponse

from ics_portal import uploads

from .jobs import TOKEN
from .models.jobs import new_token

T = TypeVar("T")


def check_upload(form: forms.Form, limits: uploads.Limits, check: Callable[..., T]) -> T | None:
    """``check(filename=, content=, token=)`` on a valid form's file: its job, or None
    with the reason on the form's file field."""
    upload = form.cleaned_data["file"]
    try:
        # Refuse an oversized file before reading it into memory.
        uploads.refuse_size(upload.size, limits)
        return check(filename=upload.name, content=upload.read(), token=form.cleaned_data["job"])
    except uploads.FileRefused as refused:
        form.add_error("file", str(refused))
        return None


def page_token(request: HttpRequest) -> str:
    """The job token the upload page posts with: the one it was given, or a new one."""
    token = request.POST.get("job", "")
    return token if TOKEN.match(token) else new_token()


def progress_json(progress: dict[str, Any]) -> JsonResponse:
    """A job's progress for the page polling it; never cached, or the bar would stop."""
    response = JsonResponse(progress)
    response["Cache-Control"] = "no-store"
    return response
