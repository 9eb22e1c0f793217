"""Pages of a system's papers set-up (glossary, public page switch) and the public page
itself, which needs no sign-in and shows only what is published, once switched on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delegation import spreadsheets
from delegation.models import MapVersion
from governance import selectors as governance_selectors

from . import downloads, permissions, selectors, services
from .forms import GlossaryTermForm, PublicPageForm


@login_required
@require_http_methods(["GET", "POST"])
def glossary(request: HttpRequest, system: str) -> HttpResponse:
    ics = governance_selectors.system_get(request.user, system)
    may_edit = permissions.may_govern_system(request.user, ics)
    form = GlossaryTermForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Only the governance lead edits the glossary.")
        if form.is_valid():
            try:
                term = services.glossary_term_set(system=ics, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Saved {term.acronym}.")
                return redirect("papers:glossary", system=ics.slug)
    return render(
        request,
        "papers/glossary.html",
        {"system": ics, "terms": selectors.glossary_of(ics), "form": form, "can_edit": may_edit},
    )


@login_required
@require_POST
def glossary_delete(request: HttpRequest, system: str, term: int) -> HttpResponse:
    ics = governance_selectors.system_get(request.user, system)
    found = selectors.glossary_of(ics).filter(pk=term).first()
    if found is None:
        raise Http404("No such term.")
    if not permissions.may_govern_system(request.user, ics):
        raise PermissionDenied("Only the governance lead edits the glossary.")
    services.glossary_term_delete(term=found, by=request.user)
    messages.success(request, f"Removed {found.acronym}.")
    return redirect("papers:glossary", system=ics.slug)


@login_required
@require_POST
def public_page_switch(request: HttpRequest, system: str) -> HttpResponse:
    ics = governance_selectors.system_get(request.user, system)
    if not permissions.may_govern_system(request.user, ics):
        raise PermissionDenied("Only the governance lead switches the public page.")
    form = PublicPageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose on or off.")
    else:
        page = services.public_page_set(
            system=ics, enabled=form.cleaned_data["enabled"], by=request.user
        )
        messages.success(
            request, f"The public page of {ics.short_name} is {'on' if page.enabled else 'off'}."
        )
    return redirect("papers:list")


# --- public, no sign-in --------------------------------------------------------------


@require_GET
def public_page(request: HttpRequest, system: str) -> HttpResponse:
    ics = selectors.public_system(system)
    return render(
        request,
        "papers/public.html",
        {
            "system": ics,
            "papers": selectors.published_papers(ics),
            "map_versions": MapVersion.objects.filter(system=ics).order_by("-published_at"),
        },
    )


@require_GET
def public_paper(request: HttpRequest, system: str, pk: int, number: int) -> HttpResponse:
    ics = selectors.public_system(system)
    return downloads.pdf_response(selectors.public_version(ics, pk, number))


@require_GET
def public_map_version(request: HttpRequest, system: str, pk: int) -> HttpResponse:
    ics = selectors.public_system(system)
    version = selectors.public_map_version(ics, pk)
    response = HttpResponse(
        spreadsheets.to_csv(version.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{ics.slug}-decision-map-{version.label}.csv"'
    )
    return response
