"""History pages of the map's records: each is found through the same selector as its
own page, so a record the user may not see answers 404 here too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ics_portal.history import pages
from ics_portal.history.records import tracked_of

from . import selectors
from .models import ConditionAssessment


@login_required
def entry_history(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    return pages.render_object_history(
        request, entry, back_url=reverse("delegation:entry_detail", args=[entry.pk])
    )


@login_required
def condition_history(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_get(request.user, pk)
    assessments = tracked_of(ConditionAssessment)
    return pages.render_object_history(
        request,
        condition,
        back_url=reverse("delegation:condition_detail", args=[condition.pk]),
        also=[(assessments, assessments.history.objects.filter(condition_id=condition.pk))],
        title=f"the {condition.get_category_display().lower()} condition",
    )


@login_required
def function_history(request: HttpRequest, pk: int) -> HttpResponse:
    function = selectors.function_get(request.user, pk)
    return pages.render_object_history(
        request,
        function,
        back_url=reverse("delegation:function_list", args=[function.system.slug]),
    )


@login_required
def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(request.user, pk)
    return pages.render_object_history(
        request, version, back_url=reverse("delegation:version_detail", args=[version.pk])
    )
