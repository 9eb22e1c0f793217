"""History pages of programmes and milestones, beside (not instead of) the update log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ics_portal.history import pages

from . import selectors


@login_required
def milestone_history(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(request.user, pk)
    return pages.render_object_history(
        request, milestone, back_url=reverse("milestones:detail", args=[milestone.pk])
    )


@login_required
def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    return pages.render_object_history(
        request, programme, back_url=reverse("milestones:programme", args=[programme.pk])
    )
