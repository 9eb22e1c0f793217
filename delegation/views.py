"""Pages of the functions and decision map. Thin: read via selectors, write via services,
ask ``permissions`` who may do what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance import jobs
from governance import selectors as landscape
from governance.models import IntegratedCareSystem
from governance.models.jobs import new_token
from ics_portal import uploads
from ics_portal.ids import as_id

from . import forms, import_rows, imports, permissions, selectors, services, spreadsheets, tasks
from .diff import diff_rows
from .models import AssessmentKind, AssessmentStatus, ConditionCategory, EntryStatus, Level
from .permissions import Action

# Each level's colour in the matrix and legend (an NHS.UK tag modifier); the level is
# always written out too, so colour is never the only signal.
LEVEL_TAGS = {level: f"map-level map-level--{level.value}" for level in Level}
LEVEL_SHORT = {
    Level.RESERVED: "Reserved",
    Level.ICB_COMMITTEE: "ICB committee",
    Level.INDIVIDUAL: "Individual",
    Level.PLACE: "Place",
    Level.COLLABORATIVE: "Collaborative",
    Level.JOINT_COMMITTEE: "Joint committee",
    Level.LEAD_PROVIDER: "Lead provider",
}
STATUS_TAGS = {
    AssessmentStatus.NOT_ASSESSED: "nhsuk-tag--grey",
    AssessmentStatus.MET: "nhsuk-tag--green",
    AssessmentStatus.PARTLY_MET: "nhsuk-tag--yellow",
    AssessmentStatus.NOT_MET: "nhsuk-tag--red",
}


def _live_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    """The system whose live map the user reads: 404 if not theirs, 403 for a viewer."""
    system = landscape.system_get(request.user, slug)
    if not permissions.may_read_live_map(request.user, system):
        raise PermissionDenied
    return system


def _editable_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    system = _live_system(request, slug)
    if not permissions.may_edit_map(request.user, system):
        raise PermissionDenied
    return system


def _require(request: HttpRequest, action: Action, obj: Any) -> None:
    if not permissions.can(request.user, action, obj):
        raise PermissionDenied


def _base_context(request: HttpRequest, system: IntegratedCareSystem) -> dict[str, Any]:
    return {
        "system": system,
        "may_edit": permissions.may_edit_map(request.user, system),
        "may_read_live": permissions.may_read_live_map(request.user, system),
        "status_choices": AssessmentStatus.choices,
        "status_labels": dict(AssessmentStatus.choices),
        "level_tags": LEVEL_TAGS,
        "level_short": LEVEL_SHORT,
        "status_tags": STATUS_TAGS,
        "levels": Level,
    }


# --- the matrix and the entries list ------------------------------------------------


@login_required
def matrix(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _live_system(request, system)
    groups = selectors.function_groups(system_obj)
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
    context = _base_context(request, system_obj)
    context.update(
        {
            "form": form,
            "matrix": selectors.matrix(request.user, system_obj, **filters),
            "legend": [(level, LEVEL_TAGS[level]) for level in Level],
        }
    )
    return render(request, "delegation/matrix.html", context)


@login_required
def entry_list(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _live_system(request, system)
    groups = selectors.function_groups(system_obj)
    form = forms.MatrixFilterForm(request.GET or None, groups=groups)
    filters = {"group": "", "body_kind": "", "status": ""}
    if form.is_bound and form.is_valid():
        filters = {k: form.cleaned_data[k] for k in filters}
    page = Paginator(selectors.entries_in(request.user, system_obj, **filters), 100).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = _base_context(request, system_obj)
    context.update(
        {"form": form, "entries": page.object_list, "page": page, "query": query.urlencode()}
    )
    return render(request, "delegation/entry_list.html", context)


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    system = entry.function.system
    context = _base_context(request, system)
    conditions = list(selectors.conditions_of(entry))
    for condition in conditions:
        condition.overdue = condition.is_overdue(condition.latest_status)
    context.update(
        {
            "entry": entry,
            "conditions": conditions,
            "history": selectors.entry_history(entry),
            "is_open": entry.status in (EntryStatus.PROPOSED, EntryStatus.IN_FORCE),
        }
    )
    return render(request, "delegation/entry_detail.html", context)


def _form_page(
    request: HttpRequest,
    system: IntegratedCareSystem,
    form: forms.NHSForm,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
) -> HttpResponse:
    context = _base_context(request, system)
    context.update({"form": form, "title": title, "submit": submit, "back": back, "intro": intro})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delegation/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _editable_system(request, system)
    form = forms.EntryForm(request.POST or None, system=system_obj)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.map_entry_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Added {entry}.")
            return redirect("delegation:entry_detail", pk=entry.pk)
    return _form_page(
        request,
        system_obj,
        form,
        title="Add a map entry",
        submit="Add entry",
        back=reverse("delegation:matrix", args=[system_obj.slug]),
    )


def _entry_initial(entry: Any) -> dict[str, Any]:
    return {
        "level": entry.level,
        "receiving_body": entry.receiving_body_id,
        "governance_form": entry.governance_form,
        "decision_right": entry.decision_right,
        "delegated_budget": entry.delegated_budget,
        "financial_limit": entry.financial_limit,
        "effective_from": entry.effective_from,
        "review_by": entry.review_by,
        "notes": entry.notes,
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    _require(request, Action.EDIT, entry)
    system = entry.function.system
    initial = {**_entry_initial(entry), "function": entry.function_id, "status": entry.status}
    form = forms.EntryForm(request.POST or None, initial=initial, system=system)
    form.fields["function"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "function"}
        try:
            services.map_entry_update(entry=entry, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Entry saved.")
            return redirect("delegation:entry_detail", pk=entry.pk)
    return _form_page(
        request,
        system,
        form,
        title=f"Correct {entry}",
        submit="Save entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="Corrections change this entry in place. To change an entry in force "
        "and keep the old one on record, supersede it instead.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_supersede(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    _require(request, Action.EDIT, entry)
    system = entry.function.system
    form = forms.EntryFieldsForm(request.POST or None, initial=_entry_initial(entry), system=system)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.map_entry_supersede(
                entry=entry, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{entry} superseded; the old entry stays on record.")
            return redirect("delegation:entry_detail", pk=new.pk)
    return _form_page(
        request,
        system,
        form,
        title=f"Supersede {entry}",
        submit="Supersede entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="The entry in force is kept, marked superseded, and linked to the new one. "
        "Its conditions move to the new entry with their assessments.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    _require(request, Action.EDIT, entry)
    system = entry.function.system
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.map_entry_revoke(entry=entry, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{entry} revoked; it stays on record.")
            return redirect("delegation:entry_detail", pk=entry.pk)
    return _form_page(
        request,
        system,
        form,
        title=f"Revoke {entry}",
        submit="Revoke entry",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
        intro="The function goes back to the ICB board. The entry is not deleted: it "
        "stays readable, marked revoked, with its conditions and their assessments.",
    )


# --- the catalogue ------------------------------------------------------------------


@login_required
def function_list(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _live_system(request, system)
    context = _base_context(request, system_obj)
    context["functions"] = selectors.functions_in(request.user, system_obj)
    return render(request, "delegation/function_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def function_create(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _editable_system(request, system)
    form = forms.FunctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            function = services.function_create(system=system_obj, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Added {function}.")
            return redirect("delegation:function_list", system=system_obj.slug)
    return _form_page(
        request,
        system_obj,
        form,
        title="Add a function",
        submit="Add function",
        back=reverse("delegation:function_list", args=[system_obj.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def function_edit(request: HttpRequest, pk: int) -> HttpResponse:
    function = selectors.function_get(request.user, pk)
    _require(request, Action.EDIT, function)
    initial = {
        name: getattr(function, name)
        for name in ("code", "name", "group", "description", "statutory_basis", "display_order")
    }
    form = forms.FunctionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.function_update(function=function, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Function saved.")
            return redirect("delegation:function_list", system=function.system.slug)
    return _form_page(
        request,
        function.system,
        form,
        title=f"Edit {function.code}",
        submit="Save function",
        back=reverse("delegation:function_list", args=[function.system.slug]),
    )


# --- a body's delegations -----------------------------------------------------------


@login_required
def body_delegations(request: HttpRequest, system: str, body: str) -> HttpResponse:
    system_obj = _live_system(request, system)
    body_obj = landscape.body_get(request.user, system_obj, body)
    context = _base_context(request, system_obj)
    context.update({"body": body_obj, **selectors.body_delegations(request.user, body_obj)})
    return render(request, "delegation/body_delegations.html", context)


# --- conditions ---------------------------------------------------------------------


@login_required
def condition_dashboard(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _live_system(request, system)
    form = forms.ConditionFilterForm(request.GET or None, system=system_obj)
    filters = {"category": "", "status": "", "owner": ""}
    if form.is_bound and form.is_valid():
        filters = {k: form.cleaned_data[k] for k in filters}
    conditions = selectors.conditions_in(request.user, system_obj, **filters)
    dashboard = selectors.condition_dashboard(conditions)
    context = _base_context(request, system_obj)
    context.update(
        {
            "form": form,
            "conditions": conditions,
            # Assured status is what counts; the bodies' own view stands beside it.
            "by_status": [
                (
                    s,
                    dashboard["by_status"].get(s.value, 0),
                    dashboard["by_self_status"].get(s.value, 0),
                )
                for s in AssessmentStatus
            ],
            "by_category": [
                (c, dashboard["by_category"].get(c.value, 0)) for c in ConditionCategory
            ],
            "overdue": dashboard["overdue"],
        }
    )
    return render(request, "delegation/condition_dashboard.html", context)


@login_required
def condition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_get(request.user, pk)
    system = condition.map_entry.function.system
    context = _base_context(request, system)
    context.update(
        {
            "condition": condition,
            "overdue": condition.is_overdue(condition.latest_status),
            "assessments": selectors.assessments_of(condition),
            "may_assess": permissions.can(request.user, Action.ASSESS, condition),
            "may_assure": permissions.can(request.user, Action.ASSURE, condition),
        }
    )
    return render(request, "delegation/condition_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def condition_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    _require(request, Action.EDIT, entry)
    system = entry.function.system
    initial = {"owner_body": entry.receiving_body_id}
    form = forms.ConditionForm(request.POST or None, initial=initial, system=system)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_create(map_entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Condition added.")
            return redirect("delegation:entry_detail", pk=entry.pk)
    return _form_page(
        request,
        system,
        form,
        title=f"Add a condition to {entry}",
        submit="Add condition",
        back=reverse("delegation:entry_detail", args=[entry.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_get(request.user, pk)
    _require(request, Action.EDIT, condition)
    system = condition.map_entry.function.system
    form = forms.ConditionForm(
        request.POST or None, initial=forms.ConditionForm.initial_from(condition), system=system
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_update(condition=condition, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Condition saved.")
            return redirect("delegation:condition_detail", pk=condition.pk)
    return _form_page(
        request,
        system,
        form,
        title="Edit condition",
        submit="Save condition",
        back=reverse("delegation:condition_detail", args=[condition.pk]),
    )


def _assessment_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record the owner body's self-assessment or the ICB's assurance: one form, two
    rights (``Action.ASSESS`` / ``Action.ASSURE``), checked before the form is read."""
    condition = selectors.condition_get(request.user, pk)
    is_self = kind == AssessmentKind.SELF
    _require(request, Action.ASSESS if is_self else Action.ASSURE, condition)
    system = condition.map_entry.function.system
    form = forms.AssessmentForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_assess(
                condition=condition, kind=kind, assessed_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, "Self-assessment recorded." if is_self else "ICB assurance recorded."
            )
            return redirect("delegation:condition_detail", pk=condition.pk)
    return _form_page(
        request,
        system,
        form,
        title=f"Record {condition.owner_body.short_name or condition.owner_body.name}'s "
        "self-assessment"
        if is_self
        else "Record the ICB's assurance",
        submit="Record self-assessment" if is_self else "Record assurance",
        back=reverse("delegation:condition_detail", args=[condition.pk]),
        intro=condition.requirement,
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, pk, AssessmentKind.SELF)


@login_required
@require_http_methods(["GET", "POST"])
def condition_assure(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, pk, AssessmentKind.ASSURED)


# --- versions -----------------------------------------------------------------------


def _version_system(request: HttpRequest, slug: str) -> IntegratedCareSystem:
    system = landscape.system_get(request.user, slug)
    if not permissions.may_read_versions(request.user, system):
        raise Http404("No such system.")
    return system


@login_required
def version_list(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _version_system(request, system)
    context = _base_context(request, system_obj)
    context["versions"] = selectors.versions_in(request.user, system_obj)
    return render(request, "delegation/version_list.html", context)


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get(request.user, pk)
    context = _base_context(request, version.system)
    context.update({"version": version, "rows": version.rows})
    return render(request, "delegation/version_detail.html", context)


@login_required
def version_diff(request: HttpRequest, system: str) -> HttpResponse:
    """Compare ?old=<version id> with ?new=<version id or "live">."""
    system_obj = _version_system(request, system)
    versions = list(selectors.versions_in(request.user, system_obj))
    old_id, new_id = request.GET.get("old", ""), request.GET.get("new", "")
    context = _base_context(request, system_obj)
    may_read_live = context["may_read_live"]
    if not old_id and not new_id and versions:
        # Opened from a link rather than the form: answer the usual question, what has
        # changed since the last publication (versions are newest first).
        if may_read_live:
            old_id, new_id = str(versions[0].pk), "live"
        elif len(versions) > 1:
            old_id, new_id = str(versions[1].pk), str(versions[0].pk)
    context.update({"versions": versions, "old_id": old_id, "new_id": new_id})
    if old_id and new_id:
        old = _version_rows(request, system_obj, old_id, may_read_live)
        new = _version_rows(request, system_obj, new_id, may_read_live)
        if old is None or new is None:
            context["error"] = "Choose two versions of this map, or a version and the live map."
            return render(request, "delegation/version_diff.html", context, status=400)
        context.update(
            {"old_label": old[0], "new_label": new[0], "diff": diff_rows(old[1], new[1])}
        )
    return render(request, "delegation/version_diff.html", context)


def _version_rows(
    request: HttpRequest, system: IntegratedCareSystem, ref: str, may_read_live: bool
) -> tuple[str, list[dict[str, Any]]] | None:
    if ref == "live":
        if not may_read_live:
            raise PermissionDenied
        return "the live map", selectors.live_rows(system)
    pk = as_id(ref)
    if pk is None:
        return None
    version = selectors.version_get(request.user, pk)
    if version.system_id != system.pk:
        return None
    return version.label, version.rows


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, system: str) -> HttpResponse:
    system_obj = _editable_system(request, system)
    form = forms.PublishForm(request.POST or None, system=system_obj)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.map_version_publish(
                system=system_obj, published_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Published {version.label}.")
            return redirect("delegation:version_detail", pk=version.pk)
    return _form_page(
        request,
        system_obj,
        form,
        title="Publish a version of the map",
        submit="Publish version",
        back=reverse("delegation:version_list", args=[system_obj.slug]),
        intro="Publishing freezes every entry in force now, with its conditions, as a "
        "record that later changes never alter.",
    )


# --- spreadsheets -------------------------------------------------------------------

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
    system_obj = _live_system(request, system)
    return _spreadsheet(
        selectors.live_rows(system_obj), fmt, f"{system_obj.slug}-decision-map-live"
    )


@login_required
def version_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = selectors.version_get(request.user, pk)
    return _spreadsheet(version.rows, fmt, f"{version.system.slug}-decision-map-{version.label}")


@login_required
@require_http_methods(["GET", "POST"])
def map_import(request: HttpRequest, system: str) -> HttpResponse:
    """Upload a spreadsheet and check it: a dry run that changes nothing. The plan is
    then read on the job's page, where the import itself is started."""
    system_obj = _editable_system(request, system)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Refuse an oversized file before reading it into memory.
            uploads.refuse_size(upload.size, import_rows.LIMITS)
            job = imports.check(
                system=system_obj,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                token=form.cleaned_data["job"],
            )
        except uploads.FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("delegation:map_import_job", system=system_obj.slug, token=job.token)
    token = request.POST.get("job", "")
    if not jobs.TOKEN.match(token):
        token = new_token()
    context = _base_context(request, system_obj)
    context.update(
        {
            "form": form,
            "token": token,
            "progress_url": reverse(
                "delegation:map_import_progress", args=[system_obj.slug, token]
            ),
        }
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delegation/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def map_import_job(request: HttpRequest, system: str, token: str) -> HttpResponse:
    """A checked file: its dry run, then (POST) its import — or, after a failure that
    may pass, the same import again — its progress and its result."""
    system_obj = _editable_system(request, system)
    job = imports.job_get(token, user=request.user, system=system_obj)
    if request.method == "POST":
        if imports.start(job):
            tasks.map_import_run.delay(job.pk)
        return redirect("delegation:map_import_job", system=system_obj.slug, token=job.token)
    context = _base_context(request, system_obj)
    context.update(
        {
            "job": job,
            "refused_rows": imports.refused_rows(job),
            "progress": imports.progress_of(job),
            "progress_url": reverse(
                "delegation:map_import_progress", args=[system_obj.slug, job.token]
            ),
        }
    )
    return render(request, "delegation/import_job.html", context)


@login_required
def map_import_progress(request: HttpRequest, system: str, token: str) -> JsonResponse:
    """How far a check or an import has got, for the page that follows it."""
    system_obj = _editable_system(request, system)
    job = imports.job_get(token, user=request.user, system=system_obj)
    response = JsonResponse(imports.progress_of(job))
    response["Cache-Control"] = "no-store"
    return response
