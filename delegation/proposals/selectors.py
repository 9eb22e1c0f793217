"""Reads of proposals, scoped to what the user may see (404 for the rest).

The proposal page costs the same number of queries with 3 items or 300 comments:
items, comments, positions and the log are each read once and laid out in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from governance.models import Body, IntegratedCareSystem, Role, RoleAssignment
from ics_portal.types import RequestUser

from .. import permissions
from ..models import (
    Decision,
    EntryStatus,
    ItemKind,
    MapEntry,
    Proposal,
    ProposalComment,
    ProposalItem,
    ProposalPosition,
)
from . import approval, transitions
from . import items as rules
from .workflow import APPROVING, TRANSITIONS, State


def proposals_queryset(user: RequestUser) -> QuerySet[Proposal]:
    return permissions.visible_proposals(user).select_related("body", "system")


def proposal_get(user: RequestUser, pk: int) -> Proposal:
    try:
        # The decision (one at most) and the body's figures come in the same query:
        # the page shows them.
        return (
            proposals_queryset(user)
            .select_related(
                "drafted_by",
                "reopened_from",
                "decision__deciding_body",
                "decision__map_version",
                "decision__recorded_by",
            )
            .annotate(**body_figures())
            .get(pk=pk)
        )
    except Proposal.DoesNotExist:
        raise Http404("No such proposal.") from None


def item_get(user: RequestUser, pk: int) -> ProposalItem:
    try:
        return (
            permissions.visible_proposal_items(user)
            .select_related("proposal__body", "proposal__system")
            .get(pk=pk)
        )
    except ProposalItem.DoesNotExist:
        raise Http404("No such item.") from None


def comment_get(user: RequestUser, pk: int) -> ProposalComment:
    try:
        return (
            permissions.visible_proposal_comments(user)
            .select_related("proposal__body", "proposal__system")
            .get(pk=pk)
        )
    except ProposalComment.DoesNotExist:
        raise Http404("No such comment.") from None


def proposals_in(
    user: RequestUser,
    system: IntegratedCareSystem,
    *,
    body: Body | None = None,
    state: str = "",
    outcome: str = "",
) -> QuerySet[Proposal]:
    rows = (
        proposals_queryset(user)
        .filter(system=system)
        .annotate(item_count=Count("items", distinct=True))
    )
    if body is not None:
        rows = rows.filter(body=body)
    if state:
        rows = rows.filter(state=state)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("-created_at", "-pk")


def awaiting_review(user: RequestUser) -> QuerySet[Proposal]:
    """In review, of a body whose board the user sits on, with no position of theirs yet;
    soonest closing first."""
    scope = permissions.proposal_scope(user)
    mine = ProposalPosition.objects.filter(
        proposal=OuterRef("pk"), member=user.pk, replaced_at__isnull=True
    )
    return (
        proposals_queryset(user)
        .filter(state=State.IN_REVIEW, body__in=scope.board)
        .exclude(Exists(mine))
        .order_by("review_closes_on", "pk")
    )


def awaiting_decision(user: RequestUser) -> QuerySet[Proposal]:
    scope = permissions.proposal_scope(user)
    return (
        proposals_queryset(user)
        .filter(state=State.RECOMMENDED, system__in=scope.led)
        .order_by("review_closes_on", "pk")
    )


# --- the proposal page ---------------------------------------------------------------

FIELD_LABELS = {
    "level": "Where the decision sits",
    "governance_form": "Form",
    "decision_right": "Decision right",
    "delegated_budget": "Delegated budget",
    "financial_limit": "Financial limit",
    "effective_from": "Effective from",
    "review_by": "Review by",
}


def _money(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return f"£{Decimal(value):,.0f}"


def _show(name: str, value: Any) -> str:
    from django.db.models import TextChoices

    from governance.models import GovernanceForm

    from ..models import DecisionRight, Level

    if value in (None, ""):
        return "—"
    if name in ("delegated_budget", "financial_limit"):
        return _money(value)
    if name in ("effective_from", "review_by"):
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return f"{day:%-d %b %Y}"
    enums: dict[str, type[TextChoices]] = {
        "level": Level,
        "governance_form": GovernanceForm,
        "decision_right": DecisionRight,
    }
    if name in enums and value in enums[name].values:
        return str(enums[name](value).label)
    return str(value)


def _entry_values(entry: MapEntry | None, snapshot: dict | None = None) -> dict[str, Any]:
    if snapshot is not None:
        return {k: snapshot.get(k) for k in FIELD_LABELS}
    if entry is None:
        return {}
    return rules.entry_snapshot(entry)


def describe(
    item: ProposalItem, live: dict[tuple[int, int | None], MapEntry], frozen: bool
) -> dict:
    """Before → after for one item: rows of (label, before, after, changed)."""
    if item.kind == ItemKind.DELEGATE:
        now = live.get((item.function_id, item.proposal.body_id))
        before = _entry_values(now)
        after = {
            **{k: getattr(item, k) for k in FIELD_LABELS},
            "decision_right": item.decision_right or "decides",
        }
        headline = f"{item.function.code} {item.function.name}" if item.function_id else "—"
    elif item.kind in (ItemKind.CHANGE, ItemKind.REVOKE):
        entry = item.entry
        before = _entry_values(entry, item.based_on if frozen else None)
        if not frozen and entry is not None:
            before = _entry_values(live.get((entry.function_id, entry.receiving_body_id), entry))
        if item.kind == ItemKind.CHANGE:
            after = {
                k: (getattr(item, k) if getattr(item, k) not in (None, "") else before.get(k))
                for k in FIELD_LABELS
            }
        else:
            after = {}
        headline = f"{entry.function.code} {entry.function.name}" if entry else "—"
    else:
        return {"condition": True, "headline": _condition_headline(item)}
    rows = []
    for name, label in FIELD_LABELS.items():
        b, a = _show(name, before.get(name)), _show(name, after.get(name)) if after else "Revoked"
        rows.append(
            {
                "label": label,
                "before": b if before else "Not delegated",
                "after": a,
                "changed": b != a,
            }
        )
    return {"condition": False, "headline": headline, "rows": rows, "before_empty": not before}


def _condition_headline(item: ProposalItem) -> str:
    if item.kind == ItemKind.ADD_CONDITION:
        target = (
            item.entry.function.code
            if item.entry_id
            else (item.function.code if item.function_id else "")
        )
        return f"On {target}: {item.requirement}"
    condition = item.condition
    return f"On {condition.map_entry.function.code}: {condition.requirement}" if condition else ""


def body_figures() -> dict[str, Any]:
    """The proposing body's board size and its delegated budget in force, as annotations
    of a proposal query: the page's figures come with the proposal."""
    board = (
        RoleAssignment.objects.filter(
            body=OuterRef("body_id"), role=Role.BOARD_MEMBER, revoked_at__isnull=True
        )
        .values("body")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    budget = (
        MapEntry.objects.filter(receiving_body=OuterRef("body_id"), status=EntryStatus.IN_FORCE)
        .values("receiving_body")
        .annotate(total=Sum("delegated_budget"))
        .values("total")
    )
    return {
        "board_size": Coalesce(Subquery(board), 0),
        "budget_in_force": Coalesce(
            Subquery(budget), Value(Decimal("0")), output_field=DecimalField()
        ),
    }


def budget_totals(
    proposal: Proposal, items: list[ProposalItem], now: Decimal
) -> dict[str, Decimal]:
    """The body's delegated budget now (``now``, from ``body_figures``) and as it would
    be (or was made) by the items."""
    delta = Decimal("0")
    for item in items:
        if item.kind == ItemKind.DELEGATE:
            delta += item.delegated_budget or 0
        elif item.kind in (ItemKind.CHANGE, ItemKind.REVOKE) and item.entry_id:
            recorded = (item.based_on or {}).get("delegated_budget") or item.entry.delegated_budget
            base = Decimal(recorded or 0)  # a budget not recorded counts as none
            if item.kind == ItemKind.REVOKE:
                delta -= base
            elif item.delegated_budget is not None:
                delta += item.delegated_budget - base
    if proposal.state == State.DECIDED and proposal.outcome in APPROVING:
        return {"before": now - delta, "after": now, "delta": delta}
    return {"before": now, "after": now + delta, "delta": delta}


def proposal_page(user: RequestUser, proposal: Proposal) -> dict[str, Any]:
    items = approval.load_items(proposal)
    for item in items:
        item.proposal = proposal
    functions = {i.function_id for i in items if i.function_id} | {
        i.entry.function_id for i in items if i.entry_id
    }
    # Everything in force for the body (the conflict check reads it all) and the
    # undelegated entries of the proposal's functions: one query for both.
    rows = MapEntry.objects.filter(
        function__system=proposal.system_id, status=EntryStatus.IN_FORCE
    ).filter(
        Q(receiving_body=proposal.body_id) | Q(receiving_body__isnull=True, function__in=functions)
    )
    body_in_force = {(e.function_id, e.receiving_body_id) for e in rows if e.receiving_body_id}
    live = {(e.function_id, e.receiving_body_id): e for e in rows if e.function_id in functions}
    frozen = proposal.state == State.DECIDED
    comments = list(proposal.comments.select_related("author").order_by("created_at", "pk"))
    replies: dict[int, list] = defaultdict(list)
    threads: dict[int | None, list] = defaultdict(list)
    by_pk = {c.pk: c for c in comments}
    for comment in comments:
        # Replies to replies join their thread's root, in order: one level of nesting.
        root = comment
        while root.parent_id and root.parent_id in by_pk:
            root = by_pk[root.parent_id]
        if root is comment:
            threads[comment.item_id].append(comment)
        else:
            replies[root.pk].append(comment)
    for comment in comments:
        comment.reply_list = replies.get(comment.pk, [])
    for item in items:
        item.view = describe(item, live, frozen)
        item.thread = threads.get(item.pk, [])
    positions = list(proposal.positions.select_related("member").order_by("recorded_at", "pk"))
    current = [p for p in positions if p.replaced_at is None]
    board, budget_now = proposal.board_size, Decimal(proposal.budget_in_force)
    conflicts = []
    open_ = proposal.state in (State.IN_REVIEW, State.RECOMMENDED)
    if open_ and permissions.can(user, "refresh", proposal):
        conflicts = approval.conflicts(proposal, items, body_in_force)
    return {
        "proposal": proposal,
        "items": items,
        "general_thread": threads.get(None, []),
        "comment_count": len(comments),
        "positions": current,
        "position_history": [p for p in positions if p.replaced_at is not None],
        "my_position": next((p for p in current if p.member_id == user.pk), None),
        "tally": transitions.tally(proposal, positions, board=board),
        "recommendation": proposal.recommendations.select_related("recorded_by").last(),
        "decision": decision_of(proposal),
        "log": list(proposal.log.select_related("by").order_by("at", "pk")),
        "budget": budget_totals(proposal, items, budget_now),
        "conflicts": conflicts,
        "actions": [t for t in TRANSITIONS.values() if permissions.can(user, t.name, proposal)],
    }


def decision_of(proposal: Proposal) -> Decision | None:
    if Proposal.decision.is_cached(proposal):
        # proposal_get brought it (or its absence) with the proposal.
        return getattr(proposal, "decision", None)
    return (
        Decision.objects.filter(proposal=proposal)
        .select_related("deciding_body", "map_version", "recorded_by")
        .first()
    )
