"""Proposal pages. Thin: read via ``selectors``, write via ``services`` and
``transitions``, ask ``delegation.permissions`` who may do what. Every form works
without JavaScript; a stale write answers 409 and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from governance import selectors as landscape

from .. import permissions
from ..models import ItemKind, Proposal, ProposalItem
from ..permissions import Action
from . import forms, selectors, services, transitions
from .approval import ApprovalRefused
from .workflow import TRANSITIONS


def _require(request: HttpRequest, action: str, obj: Any) -> None:
    if not permissions.can(request.user, action, obj):
        raise PermissionDenied


def _context(request: HttpRequest, system: Any, **extra: Any) -> dict[str, Any]:
    return {
        "system": system,
        "may_read_live": permissions.may_read_live_map(request.user, system),
        **extra,
    }


def _detail(proposal: Proposal, anchor: str = "") -> HttpResponse:
    url = reverse("delegation:proposal_detail", args=[proposal.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- lists and the page ---------------------------------------------------------------


@login_required
def proposal_list(request: HttpRequest, system: str, body: str = "") -> HttpResponse:
    ics = landscape.system_get(request.user, system)
    the_body = landscape.body_get(request.user, ics, body) if body else None
    form = forms.ListFilterForm(request.GET or None)
    state = outcome = ""
    if form.is_valid():
        state, outcome = form.cleaned_data["state"], form.cleaned_data["outcome"]
    rows = selectors.proposals_in(request.user, ics, body=the_body, state=state, outcome=outcome)
    return render(
        request,
        "delegation/proposals/list.html",
        _context(
            request,
            ics,
            body=the_body,
            proposals=list(rows[:500]),
            form=form,
            may_propose=permissions.can(request.user, Action.PROPOSE, ics),
        ),
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    page = selectors.proposal_page(request.user, proposal)
    can = {
        name: permissions.can(request.user, name, proposal)
        for name in ("edit", "comment", "position", "reopen")
    }
    return render(
        request,
        "delegation/proposals/detail.html",
        _context(
            request,
            proposal.system,
            **page,
            can=can,
            comment_url=reverse("delegation:proposal_comment", args=[proposal.pk]),
            position_form=forms.PositionForm(
                initial={"position": page["my_position"].position} if page["my_position"] else None
            ),
        ),
    )


# --- drafting ---------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, system: Any, form: Any, *, title: str, submit: str, back: str,
    stale: Any = None, intro: str = "", template: str = "delegation/proposals/form.html",
    **extra: Any,
) -> HttpResponse:  # fmt: skip
    context = _context(
        request, system, form=form, title=title, submit=submit, back=back, stale=stale,
        intro=intro, **extra,
    )  # fmt: skip
    return render(request, template, context, status=409 if stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, system: str) -> HttpResponse:
    ics = landscape.system_get(request.user, system)
    _require(request, Action.PROPOSE, ics)
    bodies = permissions.proposing_bodies(request.user, ics)
    form = forms.ProposalCreateForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                body=form.cleaned_data["body"],
                reference=form.cleaned_data["reference"],
                drafted_by=request.user,
                **form.values(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Drafted {proposal.reference}. Now add its items.")
            return redirect("delegation:proposal_item_create", pk=proposal.pk)
    return _form_page(
        request, ics, form, title="Draft a delegation proposal", submit="Save draft",
        back=reverse("delegation:proposal_list", args=[ics.slug]),
    )  # fmt: skip


def _proposal_initial(proposal: Proposal) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS} | {
        "version": proposal.version
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, Action.EDIT, proposal)
    form = forms.ProposalForm(request.POST or None, initial=_proposal_initial(proposal))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                proposal=proposal,
                by=request.user,
                version=form.cleaned_data["version"],
                **{k: v for k, v in form.values().items() if k in services.PROPOSAL_FIELDS},
            )
        except services.Stale as error:
            stale = error
            data = request.POST.copy()
            data["version"] = str(error.target.version)
            form = forms.ProposalForm(data)
            form.is_valid()
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved {proposal.reference}.")
            return _detail(proposal)
    return _form_page(
        request, proposal.system, form, title=f"Edit {proposal.reference}", submit="Save",
        back=reverse("delegation:proposal_detail", args=[pk]), stale=stale,
    )  # fmt: skip


def _item_kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    return kind if kind in ItemKind.values else ""


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, Action.EDIT, proposal)
    back = reverse("delegation:proposal_detail", args=[pk])
    kind = _item_kind(request)
    if not kind:
        # Without JavaScript: choose the kind first, then the fields it uses.
        form = forms.KindForm(request.GET or None)
        return _form_page(
            request, proposal.system, form, title=f"Add an item to {proposal.reference}",
            submit="Continue", back=back, method="get",
        )  # fmt: skip
    form = forms.ItemForm(
        request.POST if request.method == "POST" else None, proposal=proposal, kind=kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                proposal=proposal, by=request.user, kind=kind, **form.values()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Added item {item.order}.")
            return _detail(proposal, f"item-{item.pk}")
    return _form_page(
        request, proposal.system, form, title=ItemKind(kind).label, submit="Add item",
        back=back, hidden={"kind": kind}, intro=f"An item of {proposal.reference} {proposal.title}.",
    )  # fmt: skip


def _item_initial(item: ProposalItem) -> dict[str, Any]:
    names = (*services.rules.KIND_FIELDS[item.kind], "rationale")
    initial = {
        n: getattr(item, f"{n}_id" if n in ("function", "entry", "condition") else n) for n in names
    }
    return initial | {"version": item.version}


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    _require(request, Action.EDIT, item)
    proposal = item.proposal
    form = forms.ItemForm(
        request.POST if request.method == "POST" else None,
        initial=_item_initial(item),
        proposal=proposal,
        kind=item.kind,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.item_update(
                item=item, by=request.user, version=form.cleaned_data["version"], **values
            )
        except services.Stale as error:
            stale = error
            data = request.POST.copy()
            data["version"] = str(error.target.version)
            form = forms.ItemForm(data, proposal=proposal, kind=item.kind)
            form.is_valid()
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Saved item {item.order}.")
            return _detail(proposal, f"item-{item.pk}")
    return _form_page(
        request, proposal.system, form, title=f"Item {item.order}: {item.get_kind_display()}",
        submit="Save item", back=reverse("delegation:proposal_detail", args=[proposal.pk]),
        stale=stale,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    _require(request, Action.EDIT, item)
    form = forms.TransitionForm(request.POST or None)
    if request.method == "POST":
        try:
            services.item_delete(item=item, by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Removed item {item.order}.")
            return _detail(item.proposal)
    form.fields.pop("note")
    return _form_page(
        request, item.proposal.system, form, title=f"Remove item {item.order}?",
        submit="Remove item", back=reverse("delegation:proposal_detail", args=[item.proposal_id]),
        intro=str(item),
    )  # fmt: skip


# --- review -----------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, Action.COMMENT, proposal)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your comment before sending it.")
        return _detail(proposal, "comments")
    data = form.cleaned_data
    # Ids typed into the form are looked up inside this proposal only: any other answers
    # 404, exactly as a missing one.
    item = proposal.items.filter(pk=data["item"]).first() if data["item"] else None
    parent = proposal.comments.filter(pk=data["parent"]).first() if data["parent"] else None
    if (data["item"] and item is None) or (data["parent"] and parent is None):
        raise Http404("No such item or comment.")
    try:
        comment = services.comment_add(
            proposal=proposal, author=request.user, text=data["text"], item=item, parent=parent
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(proposal, "comments")
    messages.success(request, "Comment added.")
    return _detail(proposal, f"comment-{comment.pk}")


@login_required
@require_POST
def comment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(request.user, pk)
    _require(request, Action.WITHDRAW, comment)
    services.comment_withdraw(comment=comment, by=request.user)
    messages.success(request, "Your comment was withdrawn; a note of it stays in the thread.")
    return _detail(comment.proposal, f"comment-{comment.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def position_record(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, Action.POSITION, proposal)
    form = forms.PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_record(proposal=proposal, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your position is recorded.")
            return _detail(proposal, "positions")
    return _form_page(
        request, proposal.system, form, title=f"Your position on {proposal.reference}",
        submit="Record my position", back=reverse("delegation:proposal_detail", args=[pk]),
    )  # fmt: skip


# --- transitions ------------------------------------------------------------------------


def _run(request: HttpRequest, proposal: Proposal, name: str, data: dict[str, Any]) -> None:
    by, version, note = request.user, data.pop("version", None), data.pop("note", "")
    fire = {
        "submit": transitions.proposal_submit,
        "open_review": transitions.proposal_open_review,
        "recommend": transitions.proposal_recommend,
        "decide": transitions.proposal_decide,
        "withdraw": transitions.proposal_withdraw,
        "refresh": transitions.proposal_refresh,
    }[name]
    fire(proposal=proposal, by=by, version=version, note=note, **data)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    transition = TRANSITIONS.get(action.replace("-", "_"))
    if transition is None:
        raise Http404("No such action.")
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, transition.name, proposal)
    form_class = forms.TRANSITION_FORMS.get(transition.name, forms.TransitionForm)
    kwargs = {"proposal": proposal} if transition.name == "decide" else {}
    initial = {"version": proposal.version, "review_closes_on": proposal.review_closes_on}
    form = form_class(request.POST or None, initial=initial, **kwargs)
    stale = refused = None
    if request.method == "POST" and form.is_valid():
        try:
            _run(request, proposal, transition.name, dict(form.cleaned_data))
        except services.Stale as error:
            stale = error
        except ApprovalRefused as error:
            refused = error
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{proposal.reference}: {transition.label.lower()} — done.")
            return _detail(proposal)
    return render(
        request,
        "delegation/proposals/transition.html",
        _context(
            request,
            proposal.system,
            form=form,
            proposal=proposal,
            transition=transition,
            stale=stale,
            refused=refused,
            back=reverse("delegation:proposal_detail", args=[pk]),
        ),
        status=409 if (stale or refused) else 200,
    )


@login_required
@require_POST
def proposal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk)
    _require(request, Action.REOPEN, proposal)
    try:
        new = transitions.proposal_reopen(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(proposal)
    messages.success(request, f"Reopened as {new.reference}, a new draft.")
    return _detail(new)
