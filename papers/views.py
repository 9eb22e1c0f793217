"""Pages of a board paper. Thin: selectors read, services write, the policy decides.
Every form works without JavaScript; build.js only moves the progress bar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import permissions as governance_permissions
from governance.forms import submit
from ics_portal.page_cache import cached_page

from . import downloads, gather, permissions, rendering, selectors, services
from .forms import (
    ConsideredForm,
    PaperCreateForm,
    PaperForm,
    RecommendationForm,
    SectionAddForm,
    SectionForm,
)
from .models import Paper, PaperBuild, PaperState, Recommendation
from .permissions import Action


def _paper(request: HttpRequest, pk: Any, action: Action = Action.VIEW) -> Paper:
    """The paper and the right to act on it in one step: 404 when it may not be seen,
    403 when it may be seen but not changed like this."""
    paper = selectors.paper_get(request.user, pk)
    if action != Action.VIEW and not permissions.can(request.user, action, paper):
        if action == Action.EDIT and permissions.can(request.user, Action.BUILD, paper):
            raise PermissionDenied("Only a draft can be edited: return the paper to draft first.")
        raise PermissionDenied("You may not do that to this paper.")
    return paper


def _flags(request: HttpRequest, paper: Paper) -> dict[str, bool]:
    user = request.user
    return {f"can_{a.value}": permissions.can(user, a, paper) for a in Action}


@login_required
def paper_list(request: HttpRequest) -> HttpResponse:
    papers = selectors.papers_for(request.user).order_by("-meeting_date", "title")
    systems = [
        (s, selectors.public_page_enabled(s))
        for s in {p.system for p in papers} | set(_led_systems(request))
    ]
    return render(
        request,
        "papers/paper_list.html",
        {
            "papers": papers,
            "can_create": permissions.bodies_to_write_for(request.user).exists(),
            "systems": sorted(systems, key=lambda item: item[0].name),
            "led": set(_led_systems(request)),
        },
    )


def _led_systems(request: HttpRequest) -> list:
    return list(governance_permissions.systems_led_by(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def paper_new(request: HttpRequest) -> HttpResponse:
    if not permissions.bodies_to_write_for(request.user).exists():
        raise PermissionDenied("You write papers for no body.")
    done = submit(
        request,
        lambda data, _: PaperCreateForm(data, user=request.user),
        lambda form: services.paper_create(by=request.user, **form.cleaned_data),
    )
    if done.saved:
        messages.success(request, f"Created “{done.result.title}” from its template.")
        return redirect("papers:detail", pk=done.result.pk)
    return render(request, "papers/paper_new.html", {"form": done.form})


@login_required
@require_GET
@cached_page
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    build = selectors.latest_build(paper)
    return render(
        request,
        "papers/paper_detail.html",
        {
            "paper": paper,
            "sections": paper.sections.order_by("is_appendix", "order", "pk"),
            "recommendations": paper.recommendations.all(),
            "considered": paper.considered.all(),
            "versions": selectors.versions_of(paper),
            "build": build,
            "build_vanished": bool(build and build.vanished()),
            "events": paper.events.select_related("by")[:10],
            "considered_form": ConsideredForm(),
            "section_form": SectionAddForm(),
            **_flags(request, paper),
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
def paper_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper as it would print now, from the live data (the page frames it)."""
    paper = _paper(request, pk)
    return HttpResponse(rendering.html_of(gather.snapshot(paper), for_browser=True))


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    done = submit(
        request,
        # After a stale write: shown against the current record, keeping what they typed.
        lambda data, current: PaperForm(data, instance=current or paper),
        lambda form: services.paper_update(
            paper=paper, by=request.user, version=form.cleaned_data["version"], **form.changes()
        ),
    )
    if done.saved:
        messages.success(request, "Saved the cover sheet.")
        return redirect("papers:detail", pk=paper.pk)
    return render(
        request,
        "papers/paper_edit.html",
        {"form": done.form, "paper": paper, "stale": done.stale},
        status=done.status(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section: int) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    obj = selectors.section_get(paper, section)
    done = submit(
        request,
        lambda data, current: SectionForm(data, instance=current or obj),
        lambda form: services.section_update(
            section=obj, by=request.user, version=form.cleaned_data["version"], **form.changes()
        ),
    )
    if done.saved:
        messages.success(request, f"Saved section “{done.form.cleaned_data['heading']}”.")
        return redirect(reverse("papers:detail", args=[paper.pk]) + f"#section-{obj.pk}")
    return render(
        request,
        "papers/section_edit.html",
        {"form": done.form, "paper": paper, "section": obj, "stale": done.stale},
        status=done.status(),
    )


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    form = SectionAddForm(request.POST)
    if form.is_valid():
        section = services.section_add(paper=paper, by=request.user, **form.cleaned_data)
        return redirect("papers:section_edit", pk=paper.pk, section=section.pk)
    messages.error(request, "Give the new section a heading and a kind.")
    return redirect("papers:detail", pk=paper.pk)


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int, section: int) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    obj = selectors.section_get(paper, section)
    services.section_delete(section=obj, by=request.user)
    messages.success(request, f"Removed section “{obj.heading}”.")
    return redirect("papers:detail", pk=paper.pk)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, rec: int | None = None) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    obj = selectors.recommendation_get(paper, rec) if rec is not None else None
    if obj is not None and request.method == "POST" and "delete" in request.POST:
        services.recommendation_delete(recommendation=obj, by=request.user)
        messages.success(request, f"Removed recommendation {obj.number}.")
        return redirect("papers:detail", pk=paper.pk)

    def write(form: RecommendationForm) -> Recommendation:
        data = {"action": form.cleaned_data["action"], "text": form.cleaned_data["text"]}
        if obj is None:
            return services.recommendation_add(paper=paper, by=request.user, **data)
        version = form.cleaned_data["version"]
        return services.recommendation_update(
            recommendation=obj, by=request.user, version=version, **data
        )

    done = submit(
        request, lambda data, current: RecommendationForm(data, instance=current or obj), write
    )
    if done.saved:
        messages.success(request, "Saved the recommendation.")
        return redirect(reverse("papers:detail", args=[paper.pk]) + "#recommendations")
    return render(
        request,
        "papers/recommendation_edit.html",
        {"form": done.form, "paper": paper, "rec": obj, "stale": done.stale},
        status=done.status(),
    )


@login_required
@require_POST
def considered_add(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk, Action.EDIT)
    form = ConsideredForm(request.POST)
    if form.is_valid():
        services.considered_add(paper=paper, by=request.user, **form.cleaned_data)
        messages.success(request, "Added where the paper was considered before.")
    else:
        messages.error(request, "Name the committee or meeting; the date is a day like 2026-11-19.")
    return redirect("papers:detail", pk=paper.pk)


STATE_ACTIONS = {
    PaperState.READY: Action.MARK_READY,
    PaperState.DRAFT: Action.MARK_READY,
    PaperState.PUBLISHED: Action.PUBLISH,
    PaperState.WITHDRAWN: Action.WITHDRAW,
}


@login_required
@require_POST
def paper_state(request: HttpRequest, pk: int) -> HttpResponse:
    to = request.POST.get("to", "")
    paper = _paper(request, pk)
    action = STATE_ACTIONS.get(to)
    if action is None or not permissions.can(request.user, action, paper):
        raise PermissionDenied("You may not move this paper to that state.")
    try:
        paper = services.paper_set_state(paper=paper, to=to, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The paper is now {paper.get_state_display().lower()}.")
    return redirect("papers:detail", pk=paper.pk)


@login_required
@require_POST
def paper_build(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk, Action.BUILD)
    services.build_request(paper=paper, by=request.user)
    return redirect(reverse("papers:detail", args=[paper.pk]) + "#build")


def build_json(build: PaperBuild) -> dict[str, Any]:
    vanished = build.vanished()
    version = build.result
    return {
        "id": build.pk,
        "state": "failed" if vanished else build.state,
        "stage": build.stage,
        "stage_label": build.get_stage_display(),
        "progress": build.progress,
        "message": (
            "The build stopped answering (its worker may have been stopped). Try again."
            if vanished
            else build.message
        ),
        "version": (
            {
                "number": version.number,
                "sha256": version.sha256,
                "size": version.size,
                "page_count": version.page_count,
                "url": reverse("papers:download", args=[build.paper_id, version.number]),
            }
            if version
            else None
        ),
    }


@login_required
@require_GET
def build_status(request: HttpRequest, pk: int, build: int) -> HttpResponse:
    paper = _paper(request, pk)
    return JsonResponse(build_json(selectors.build_get(paper, build)))


@login_required
@require_POST
def build_retry(request: HttpRequest, pk: int, build: int) -> HttpResponse:
    paper = _paper(request, pk, Action.BUILD)
    obj = selectors.build_get(paper, build)
    try:
        services.build_retry(build=obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("papers:detail", args=[paper.pk]) + "#build")


@login_required
@require_GET
def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    paper = _paper(request, pk)
    return downloads.pdf_response(selectors.version_get(paper, number))
