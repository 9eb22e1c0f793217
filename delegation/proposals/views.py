"""Proposal pages. Thin: read via ``selectors``, write via ``services`` and
``transitions``, ask ``delegation.permissions`` who may do what. Every form works
without JavaScript; a stale write answers 409 and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from governance import selectors as governance_selectors
from governance.forms import Submission, submit
from ics_portal.page_cache import cached_page

from .. import permissions
from ..models import ItemKind, Proposal, ProposalItem
from ..permissions import Action
from . import forms, selectors, services, transitions
from .approval import ApprovalRefused
from .workflow import TRANSITIONS


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
    ics = governance_selectors.system_get(request.user, system)
    the_body = governance_selectors.body_get(request.user, ics, body) if body else None
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
@cached_page
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
    request: HttpRequest, system: Any, done: Submission, *, title: str, submit: str, back: str,
    intro: str = "", **extra: Any,
) -> HttpResponse:  # fmt: skip
    """The form again; 409 after a stale write, keeping what they typed."""
    context = _context(
        request, system, form=done.form, title=title, submit=submit, back=back,
        stale=done.stale, intro=intro, **extra,
    )  # fmt: skip
    return render(request, "delegation/proposals/form.html", context, status=done.status())


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, system: str) -> HttpResponse:
    ics = permissions.access(request.user, Action.PROPOSE, governance_selectors.system_get, system)
    bodies = permissions.proposing_bodies(request.user, ics)
    done = submit(
        request,
        lambda data, _: forms.ProposalCreateForm(data, bodies=bodies),
        lambda form: services.proposal_create(
            body=form.cleaned_data["body"],
            reference=form.cleaned_data["reference"],
            drafted_by=request.user,
            **form.values(),
        ),
    )
    if done.saved:
        messages.success(request, f"Drafted {done.result.reference}. Now add its items.")
        return redirect("delegation:proposal_item_create", pk=done.result.pk)
    return _form_page(
        request, ics, done, title="Draft a delegation proposal", submit="Save draft",
        back=reverse("delegation:proposal_list", args=[ics.slug]),
    )  # fmt: skip


def _proposal_initial(proposal: Proposal) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS} | {
        "version": proposal.version
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.access(request.user, Action.EDIT, selectors.proposal_get, pk)
    initial = _proposal_initial(proposal)
    done = submit(
        request,
        lambda data, _: forms.ProposalForm(data, initial=initial),
        lambda form: services.proposal_update(
            proposal=proposal,
            by=request.user,
            version=form.cleaned_data["version"],
            **{k: v for k, v in form.values().items() if k in services.PROPOSAL_FIELDS},
        ),
    )
    if done.saved:
        messages.success(request, f"Saved {proposal.reference}.")
        return _detail(proposal)
    return _form_page(
        request, proposal.system, done, title=f"Edit {proposal.reference}", submit="Save",
        back=reverse("delegation:proposal_detail", args=[pk]),
    )  # fmt: skip


def _item_kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    return kind if kind in ItemKind.values else ""


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.access(request.user, Action.EDIT, selectors.proposal_get, pk)
    back = reverse("delegation:proposal_detail", args=[pk])
    kind = _item_kind(request)
    if not kind:
        # Without JavaScript: choose the kind first, then the fields it uses.
        choose: Submission[forms.KindForm, None] = Submission(forms.KindForm(request.GET or None))
        return _form_page(
            request, proposal.system, choose, title=f"Add an item to {proposal.reference}",
            submit="Continue", back=back, method="get",
        )  # fmt: skip
    done = submit(
        request,
        lambda data, _: forms.ItemForm(data, proposal=proposal, kind=kind),
        lambda form: services.item_create(
            proposal=proposal, by=request.user, kind=kind, **form.values()
        ),
    )
    if done.saved:
        messages.success(request, f"Added item {done.result.order}.")
        return _detail(proposal, f"item-{done.result.pk}")
    return _form_page(
        request, proposal.system, done, title=ItemKind(kind).label, submit="Add item",
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
    item = permissions.access(request.user, Action.EDIT, selectors.item_get, pk)
    proposal = item.proposal
    initial = _item_initial(item)

    def bind(data: QueryDict | None, _: Any) -> forms.ItemForm:
        return forms.ItemForm(data, initial=initial, proposal=proposal, kind=item.kind)

    done = submit(
        request,
        bind,
        lambda form: services.item_update(
            item=item, by=request.user, version=form.cleaned_data["version"], **form.values()
        ),
    )
    if done.saved:
        messages.success(request, f"Saved item {item.order}.")
        return _detail(proposal, f"item-{item.pk}")
    return _form_page(
        request, proposal.system, done, title=f"Item {item.order}: {item.get_kind_display()}",
        submit="Save item", back=reverse("delegation:proposal_detail", args=[proposal.pk]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.access(request.user, Action.EDIT, selectors.item_get, pk)

    def bind(data: QueryDict | None, _: Any) -> forms.TransitionForm:
        # A confirmation: nothing to type, so no note.
        form = forms.TransitionForm(data)
        form.fields.pop("note")
        return form

    done = submit(request, bind, lambda _: services.item_delete(item=item, by=request.user))
    if done.saved:
        messages.success(request, f"Removed item {item.order}.")
        return _detail(item.proposal)
    return _form_page(
        request, item.proposal.system, done, title=f"Remove item {item.order}?",
        submit="Remove item", back=reverse("delegation:proposal_detail", args=[item.proposal_id]),
        intro=str(item),
    )  # fmt: skip


# --- review -----------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.access(request.user, Action.COMMENT, selectors.proposal_get, pk)
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
    comment = permissions.access(request.user, Action.WITHDRAW, selectors.comment_get, pk)
    services.comment_withdraw(comment=comment, by=request.user)
    messages.success(request, "Your comment was withdrawn; a note of it stays in the thread.")
    return _detail(comment.proposal, f"comment-{comment.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def position_record(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.access(request.user, Action.POSITION, selectors.proposal_get, pk)
    done = submit(
        request,
        lambda data, _: forms.PositionForm(data),
        lambda form: services.position_record(
            proposal=proposal, member=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(request, "Your position is recorded.")
        return _detail(proposal, "positions")
    return _form_page(
        request, proposal.system, done, title=f"Your position on {proposal.reference}",
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
    proposal = permissions.access(request.user, transition.name, selectors.proposal_get, pk)
    form_class = forms.TRANSITION_FORMS.get(transition.name, forms.TransitionForm)
    kwargs = {"proposal": proposal} if transition.name == "decide" else {}
    initial = {"version": proposal.version, "review_closes_on": proposal.review_closes_on}
    done = submit(
        request,
        lambda data, _: form_class(data, initial=initial, **kwargs),
        lambda form: _run(request, proposal, transition.name, dict(form.cleaned_data)),
        # Not a retry: whoever moved the proposal first is to be read before going on.
        rebase=False,
        refusals=(ApprovalRefused,),
    )
    if done.saved:
        messages.success(request, f"{proposal.reference}: {transition.label.lower()} — done.")
        return _detail(proposal)
    return render(
        request,
        "delegation/proposals/transition.html",
        _context(
            request,
            proposal.system,
            form=done.form,
            proposal=proposal,
            transition=transition,
            stale=done.stale,
            refused=done.refused,
            back=reverse("delegation:proposal_detail", args=[pk]),
        ),
        status=done.status(),
    )


@login_required
@require_POST
def proposal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = permissions.access(request.user, Action.REOPEN, selectors.proposal_get, pk)
    try:
        new = transitions.proposal_reopen(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(proposal)
    messages.success(request, f"Reopened as {new.reference}, a new draft.")
    return _detail(new)
