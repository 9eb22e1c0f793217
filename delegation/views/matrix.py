"""The live map read whole: the matrix, the list of entries, one body's delegations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from governance import selectors as governance_selectors
from ics_portal import conditional
from ics_portal.page_cache import cached_page

from .. import forms, selectors
from ..matrix import LEVEL_TAGS, matrix_html, matrix_page_parts
from ..models import EntryStatus, Level
from .common import base_context, live_system


@login_required
@cached_page
def matrix(request: HttpRequest, system: str) -> HttpResponse:
    ics = live_system(request, system)
    groups = selectors.function_groups(ics)
    form = forms.MatrixFilterForm(request.GET or None, groups=groups)
    filters = {"group": "", "body_kind": "", "status": EntryStatus.IN_FORCE}
    if form.is_bound and form.is_valid():
        filters.update(
            {
                "group": form.cleaned_data["group"],
                "body_kind": form.cleaned_data["body_kind"],
                "status": form.cleaned_data["status"],
            }
        )
    elif not form.is_bound:
        form = forms.MatrixFilterForm(initial={"status": EntryStatus.IN_FORCE}, groups=groups)
    context = base_context(request, ics)
    # The page is a function of the cached table's key and the flags around it: a
    # client holding it gets 304 before anything is built.
    etag = conditional.page_etag(request, matrix_page_parts(request.user, ics, filters))
    changed = ics.map_changed_at
    if (
        unchanged := conditional.not_modified(request, etag=etag, last_modified=changed)
    ) is not None:
        return unchanged
    context.update(
        {
            "form": form,
            "matrix_table": matrix_html(request.user, ics, filters),
            "legend": [(level, LEVEL_TAGS[level]) for level in Level],
        }
    )
    response = render(request, "delegation/matrix.html", context)
    conditional.stamp(response, etag=etag, last_modified=changed)
    return response


@login_required
@cached_page
def entry_list(request: HttpRequest, system: str) -> HttpResponse:
    ics = live_system(request, system)
    groups = selectors.function_groups(ics)
    form = forms.MatrixFilterForm(request.GET or None, groups=groups)
    filters = {"group": "", "body_kind": "", "status": ""}
    if form.is_bound and form.is_valid():
        filters = {k: form.cleaned_data[k] for k in filters}
    page = Paginator(selectors.entries_in(request.user, ics, **filters), 100).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = base_context(request, ics)
    context.update(
        {"form": form, "entries": page.object_list, "page": page, "query": query.urlencode()}
    )
    return render(request, "delegation/entry_list.html", context)


@login_required
@cached_page
def body_delegations(request: HttpRequest, system: str, body: str) -> HttpResponse:
    ics = live_system(request, system)
    body_obj = governance_selectors.body_get(request.user, ics, body)
    context = base_context(request, ics)
    context.update({"body": body_obj, **selectors.body_delegations(request.user, body_obj)})
    return render(request, "delegation/body_delegations.html", context)
