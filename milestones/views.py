"""Pages for programmes and milestones. Thin: selectors read, services write, the
policy decides; every form works without JavaScript (htmx only avoids a reload)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from governance import selectors as governance_selectors
from governance.forms import Submission, submit
from ics_portal.ids import as_id
from ics_portal.links import url_pattern
from ics_portal.page_cache import cached_page

from . import permissions, selectors, services, timeline
from .filters import MilestoneFilter
from .forms import BulkUpdateForm, InlineUpdateForm, MilestoneForm
from .models import Milestone, Programme, Status, UpdateSource
from .permissions import Action
from .rag import Rag, rag_reasons

# Session keys: a refused bulk update's reasons, and the choices to show again.
BULK_ERRORS = "milestones_bulk_errors"
BULK_KEPT = "milestones_bulk_kept"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _error_text(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for values in error.message_dict.values() for m in values]
    return list(error.messages)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_with_counts(request.user)
    bodies = selectors.owner_bodies_for(request.user)
    return render(
        request, "milestones/programme_list.html", {"programmes": programmes, "bodies": bodies}
    )


def _lead_choices(rows: QuerySet[Milestone]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for username, first, last, name in (
        rows.order_by()
        .values_list(
            "lead_user__username", "lead_user__first_name", "lead_user__last_name", "lead_name"
        )
        .distinct()
    ):
        if username:
            found[username] = f"{first} {last}".strip() or username
        elif name:
            found[name] = name
    return sorted(found.items(), key=lambda kv: kv[1].lower())


def with_links(rows: list[Milestone]) -> list[Milestone]:
    """Each row with its page's and its inline update's address (``_row.html`` links with
    them): reversed once for the table, not twice a row."""
    detail = url_pattern("milestones:detail")
    inline = url_pattern("milestones:inline_update")
    for m in rows:
        m.detail_url = detail.format(m.pk)
        m.inline_url = inline.format(m.pk)
    return rows


def _table(
    request: HttpRequest,
    *,
    base: QuerySet[Milestone],
    title: str,
    programme: Programme | None,
    body: Any | None,
) -> HttpResponse:
    # An empty select ("Any") means no filter, not an invalid choice.
    params = request.GET.copy()
    for key in list(params):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    filterset = MilestoneFilter(params or None, queryset=base)
    rows_qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    rows = with_links(list(rows_qs.order_by(*rows_qs.query.order_by or ("due_date", "title"))))
    updatable = selectors.updatable_ids(request.user, rows)
    body_choices = sorted(
        set(base.order_by().values_list("owner_body__slug", "owner_body__name")),
        key=lambda kv: kv[1],
    )
    may_add = programme is not None and permissions.can(
        request.user, Action.ADD_MILESTONE, programme
    )
    context = {
        "title": title,
        "programme": programme,
        "body": body,
        "rows": rows,
        "updatable": updatable,
        "filter": filterset,
        "filter_errors": filterset.form.errors if filterset.is_bound else {},
        "statuses": Status.choices,
        "rags": Rag.CHOICES,
        "body_choices": body_choices,
        "lead_choices": _lead_choices(base),
        "selected": {
            "owner_body": request.GET.get("owner_body", ""),
            "status": request.GET.getlist("status"),
            "rag": request.GET.getlist("rag"),
            "quarter": request.GET.get("quarter", ""),
            "lead": request.GET.get("lead", ""),
            "sort": request.GET.get("sort", "due"),
        },
        "may_add": may_add,
        "may_bulk": bool(updatable),
        "today": timezone.localdate(),
        "here": request.get_full_path(),
        "bulk_errors": request.session.pop(BULK_ERRORS, []),
        "bulk_kept": request.session.pop(BULK_KEPT, None)
        or {"ids": [], "status": "", "progress": "", "note": ""},
    }
    return render(request, "milestones/table.html", context)


@login_required
@cached_page
def programme_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    base = selectors.milestones_for(request.user).filter(programme=programme)
    return _table(request, base=base, title=programme.name, programme=programme, body=None)


@login_required
@cached_page
def body_milestones(request: HttpRequest, system: str, body: str) -> HttpResponse:
    ics = governance_selectors.system_get(request.user, system)
    the_body = governance_selectors.body_get(request.user, ics, body)
    base = selectors.milestones_for(request.user).filter(owner_body=the_body)
    return _table(
        request, base=base, title=f"{the_body.name}: milestones", programme=None, body=the_body
    )


@login_required
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(request.user, pk)
    system_id = milestone.owner_body.system_id
    # The links show only what the delegation policy lets this user read.
    function = (
        selectors.functions_for_links(request.user, system_id)
        .filter(pk=milestone.function_id)
        .first()
        if milestone.function_id
        else None
    )
    map_entry = (
        selectors.map_entries_for_links(request.user, system_id)
        .filter(pk=milestone.map_entry_id)
        .first()
        if milestone.map_entry_id
        else None
    )
    children = list(selectors.children_of(request.user, milestone))
    dependencies = list(selectors.dependencies_of(request.user, milestone))
    context = {
        "m": milestone,
        "function": function,
        "map_entry": map_entry,
        "updates": selectors.updates_of(milestone),
        "children": children,
        "dependencies": dependencies,
        "rag_reasons": rag_reasons(milestone, children=children, dependencies=dependencies),
        "dependents": selectors.dependents_of(request.user, milestone),
        "may_update": permissions.can(request.user, Action.UPDATE, milestone),
        "may_edit": permissions.can(request.user, Action.EDIT, milestone),
        "statuses": Status.choices,
        "here": request.get_full_path(),
    }
    return render(request, "milestones/milestone_detail.html", context)


def _form(
    request: HttpRequest, programme: Programme, instance: Milestone | None, data: Any = None
) -> MilestoneForm:
    system_id = programme.owning_system_id
    return MilestoneForm(
        data,
        programme=programme,
        instance=instance,
        bodies=selectors.owner_body_choices(
            request.user, system_id, instance.owner_body if instance else None
        ),
        leads=selectors.possible_leads(system_id),
        milestones=selectors.milestones_for(request.user).filter(owner_body__system_id=system_id),
        functions=selectors.functions_for_links(request.user, system_id),
        map_entries=selectors.map_entries_for_links(request.user, system_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.access(request.user, Action.ADD_MILESTONE, selectors.programme_get, pk)
    done = submit(
        request,
        lambda data, _: _form(request, programme, None, data),
        lambda form: services.milestone_create(
            programme=programme,
            by=request.user,
            note=form.cleaned_data.get("note", ""),
            **form.values(),
        ),
    )
    if done.saved:
        messages.success(request, f"Added “{done.result.title}”.")
        return redirect("milestones:detail", pk=done.result.pk)
    return render(
        request,
        "milestones/milestone_form.html",
        {"form": done.form, "programme": programme, "milestone": None},
        status=done.status(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = permissions.access(request.user, Action.EDIT, selectors.milestone_get, pk)
    programme = milestone.programme
    done = submit(
        request,
        # After a stale write: the form again on the milestone as it is now.
        lambda data, current: _form(request, programme, current or milestone, data),
        lambda form: services.milestone_update(
            milestone=milestone,
            by=request.user,
            version=form.cleaned_data.get("version"),
            note=form.cleaned_data.get("note", ""),
            source=UpdateSource.FORM,
            **form.values(),
        ),
    )
    if done.saved:
        messages.success(request, f"Saved “{milestone.title}”.")
        return redirect("milestones:detail", pk=milestone.pk)
    return render(
        request,
        "milestones/milestone_form.html",
        {"form": done.form, "programme": programme, "milestone": milestone, "stale": done.stale},
        status=done.status(),
    )


def _inline_error(done: Submission) -> str:
    """Why the row was not changed, said in the row, so without its title."""
    if done.stale is not None:
        what = f" ({done.stale.what})." if done.stale.what else "."
        return f"{done.stale.who or 'Someone else'} changed it since you loaded the page{what}"
    if done.error is not None:
        return " ".join(_error_text(done.error))
    form = done.form
    return " ".join(f"{form.fields[f].label or f}: {' '.join(e)}" for f, e in form.errors.items())


def _inline_row(
    request: HttpRequest, pk: int, error: str, done: Submission, **extra: Any
) -> HttpResponse:
    """The table row again, for htmx to swap in."""
    [row] = with_links([selectors.milestone_get(request.user, pk)])
    context = {
        "m": row,
        "updatable": {row.pk},
        "statuses": Status.choices,
        "row_error": error,
        "row_saved": not error,
        "row_stale": done.stale is not None,
        "may_bulk": True,
        "live": True,
    }
    return render(request, "milestones/_row.html", {**context, **extra})


def _inline_conflict(request: HttpRequest, pk: int, done: Submission, **extra: Any) -> HttpResponse:
    """Without JavaScript a redirect would drop what they typed: show the change they
    missed beside their own update, ready to save again on purpose."""
    current = selectors.milestone_get(request.user, pk)
    context = {
        "m": current,
        "stale": done.stale,
        "statuses": Status.choices,
        "has_children": current.has_children,
    }
    return render(request, "milestones/conflict.html", {**context, **extra}, status=409)


@login_required
@require_POST
def milestone_inline(request: HttpRequest, pk: int) -> HttpResponse:
    """Status and progress from the table row; htmx swaps the row, otherwise redirect."""
    milestone = permissions.access(request.user, Action.UPDATE, selectors.milestone_get, pk)

    def write(form: InlineUpdateForm) -> Milestone:
        data = form.cleaned_data
        return services.milestone_update(
            milestone=milestone,
            by=request.user,
            version=data["version"],
            note=data["note"],
            source=UpdateSource.INLINE,
            status=data["status"],
            progress=data["progress"],
        )

    # A row is looked at again, not resubmitted as it was: no rebase.
    done = submit(request, lambda data, _: InlineUpdateForm(data), write, rebase=False)
    error = "" if done.saved else _inline_error(done)
    back = _next_url(request, reverse("milestones:detail", args=[pk]))
    # What they asked for, put back in the controls when it was not saved.
    kept = (
        {name: done.form.cleaned_data[name] for name in ("status", "progress", "note")}
        if done.stale is not None
        else None
    )
    if _is_htmx(request):
        return _inline_row(request, pk, error, done, kept=kept, here=back)
    if done.stale is not None:
        return _inline_conflict(request, pk, done, kept=kept, back=back)
    if error:
        messages.error(request, f"“{milestone.title}” was not changed. {error}")
    else:
        messages.success(request, f"Updated “{milestone.title}”.")
    return HttpResponseRedirect(back)


def _keep_bulk_choices(request: HttpRequest, raw_ids: list[str]) -> None:
    """Nothing changed: the table shows their ticks, status, progress and note again."""
    request.session[BULK_KEPT] = {
        "ids": [int(i) for i in raw_ids],
        "status": request.POST.get("status", ""),
        "progress": request.POST.get("progress", ""),
        "note": request.POST.get("note", ""),
    }


@login_required
@require_POST
def bulk_update(request: HttpRequest) -> HttpResponse:
    raw_ids = [i for i in request.POST.getlist("ids") if as_id(i) is not None]
    visible = {m.pk: m for m in selectors.milestones_for(request.user).filter(pk__in=raw_ids)}
    form = BulkUpdateForm(request.POST, choices=[(pk, m.title) for pk, m in visible.items()])
    back = _next_url(request, reverse("milestones:programmes"))
    if not form.is_valid():
        problems = [e for errors in form.errors.values() for e in errors]
        messages.error(request, "Nothing was changed. " + " ".join(problems))
        _keep_bulk_choices(request, raw_ids)
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    chosen = [visible[pk] for pk in data["ids"]]
    allowed = selectors.updatable_ids(request.user, chosen)
    refused = [m for m in chosen if m.pk not in allowed]
    if refused:
        messages.error(
            request,
            f"None of the {len(chosen)} milestones were changed. You may not update: "
            + "; ".join(f"“{m.title}”" for m in refused)
            + ".",
        )
        _keep_bulk_choices(request, raw_ids)
        return HttpResponseRedirect(back)
    versions = {
        m.pk: version
        for m in chosen
        if (version := as_id(request.POST.get(f"version-{m.pk}"))) is not None
    }
    try:
        services.milestone_bulk_update(
            milestones=chosen,
            by=request.user,
            status=data["status"] or None,
            progress=data["progress"],
            note=data["note"],
            versions=versions,
            source=UpdateSource.BULK,
        )
    except ValidationError as error:
        # The summary goes in the message; the per-milestone reasons are listed under it.
        text = error.messages
        messages.error(request, text[0])
        request.session[BULK_ERRORS] = text[1:]
        _keep_bulk_choices(request, raw_ids)
        return HttpResponseRedirect(back)
    messages.success(request, f"Updated {len(chosen)} milestones.")
    return HttpResponseRedirect(back)


@login_required
@cached_page
def programme_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    rows = list(
        selectors.milestones_for(request.user)
        .filter(programme=programme)
        .order_by("due_date", "title")
    )
    items = [
        timeline.Item(
            title=m.title,
            start=m.start_date,
            due=m.due_date,
            rag=m.rag,
            rag_label=m.rag_label,
            status_label=m.get_status_display(),
            url=reverse("milestones:detail", args=[m.pk]),
        )
        for m in rows
    ]
    chart = timeline.layout(items, today=timezone.localdate())
    return render(
        request,
        "milestones/timeline.html",
        {"programme": programme, "chart": chart, "rows": rows},
    )
