"""Every write to a proposal, its items, comments and positions.

Keyword-only ``<entity>_<verb>`` functions, each atomic and each leaving a record
(``ProposalChange`` for edits, ``ProposalTransition`` for states). They check the
workflow's states but not who calls them: views and the API ask
``delegation.permissions`` first. Transitions are in ``transitions``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from governance.concurrency import StaleWrite, user_name
from governance.models import Body, BodyKind, IntegratedCareSystem

from ..models import (
    POSITIONS_WITH_REASON,
    Proposal,
    ProposalChange,
    ProposalComment,
    ProposalItem,
    ProposalPosition,
)
from . import items as rules
from .workflow import State

PROPOSING_KINDS = frozenset({BodyKind.PLACE_PARTNERSHIP, BodyKind.PROVIDER_COLLABORATIVE})
PROPOSAL_FIELDS = frozenset(
    {
        "title",
        "summary",
        "rationale",
        "readiness_evidence",
        "readiness_links",
        "current_form",
        "requested_form",
        "review_closes_on",
    }
)


class Stale(StaleWrite):
    """The proposal or item changed after the caller loaded it; nothing was saved.

    The shared ``StaleWrite`` (so pages handle it like any other), told from the
    proposal's own log: ``changes`` are the recorded edits the caller had not seen,
    newest first, so a page can say what changed and who changed it and keep what
    they typed.
    """

    def __init__(self, target: Proposal | ProposalItem, based_on: int) -> None:
        self.obj = self.target = target
        self.based_on = based_on
        changes = ProposalChange.objects.filter(version__gt=based_on).select_related("changed_by")
        if isinstance(target, ProposalItem):
            changes = changes.filter(item=target)
        else:
            changes = changes.filter(proposal=target, item__isnull=True)
        logged = list(changes.order_by("-changed_at", "-pk"))
        self.changes = logged  # type: ignore[assignment]  # log rows stand in for RecordChange rows
        self.told(
            who=(user_name(c.changed_by) for c in logged),
            what=(c.summary for c in reversed(logged)),
            name=str(target),
        )


# Either kind of versioned proposal record; claim gives back the same kind.
P = TypeVar("P", Proposal, ProposalItem)


def claim(target: P, version: int | None) -> P:
    """Take the row for this write, refusing it if someone changed it since ``version``.

    One conditional UPDATE both checks and bumps the version, so two writers based on
    the same version cannot both succeed, on any database.
    """
    model = type(target)
    rows = model.objects.filter(pk=target.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise Stale(model.objects.get(pk=target.pk), version or 0)
    return model.objects.select_for_update().get(pk=target.pk)


def _show(value: Any) -> str:
    if value in (None, ""):
        return "—"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def record_change(
    proposal: Proposal, by: Any, summary: str, *, item: ProposalItem | None = None
) -> None:
    ProposalChange.objects.create(
        proposal=proposal,
        item=item,
        item_label=f"item {item.order}" if item else "",
        version=item.version if item else proposal.version,
        changed_by=by,
        summary=summary[:2000],
    )


def _diff(instance: Any, changes: dict[str, Any]) -> list[str]:
    said = []
    for name, value in changes.items():
        old = getattr(instance, name)
        if old != value:
            label = instance._meta.get_field(name).verbose_name
            said.append(f"{label}: {_show(old)} → {_show(value)}")
    return said


def require_state(proposal: Proposal, states: frozenset[str] | set[str], doing: str) -> None:
    if proposal.state not in states:
        raise ValidationError(
            f"{proposal.reference} is {proposal.get_state_display().lower()}: it cannot be "
            f"{doing} now."
        )


# --- proposals ----------------------------------------------------------------------


def next_reference(system: IntegratedCareSystem, body: Body, year: int) -> str:
    prefix = "".join(c for c in (body.short_name or body.slug).upper() if c.isalnum())[:10]
    prefix = prefix if prefix[:1].isalpha() else f"P{prefix}"[:10]
    taken = set(
        Proposal.objects.filter(
            system=system, reference__startswith=f"{prefix}-{year}-"
        ).values_list("reference", flat=True)
    )
    n = len(taken) + 1
    while f"{prefix}-{year}-{n:02d}" in taken:
        n += 1
    return f"{prefix}-{year}-{n:02d}"


@transaction.atomic
def proposal_create(
    *,
    body: Body,
    title: str,
    drafted_by: Any,
    reference: str = "",
    reopened_from: Proposal | None = None,
    **fields: Any,
) -> Proposal:
    unknown = set(fields) - PROPOSAL_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    if body.kind not in PROPOSING_KINDS:
        raise ValidationError(
            {"body": "A proposal comes from a place partnership or a provider collaborative."}
        )
    system = body.system
    reference = (reference or "").strip().upper() or next_reference(
        system, body, timezone.localdate().year
    )
    if Proposal.objects.filter(system=system, reference=reference).exists():
        raise ValidationError({"reference": f"{system.short_name} already has {reference}."})
    fields.setdefault("current_form", body.current_form)
    proposal = Proposal(
        system=system,
        body=body,
        title=title.strip(),
        reference=reference,
        drafted_by=drafted_by,
        reopened_from=reopened_from,
        **fields,
    )
    proposal.full_clean()
    proposal.save()
    record_change(proposal, drafted_by, "Drafted.")
    from .transitions import log

    log(proposal, "draft", "", State.DRAFT, by=drafted_by, note="")
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by: Any, version: int | None, **changes: Any
) -> Proposal:
    unknown = set(changes) - PROPOSAL_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    current = claim(proposal, version)
    require_state(current, {State.DRAFT}, "edited")
    said = _diff(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    record_change(current, by, "; ".join(said) or "Saved without changes.")
    return current


# --- items --------------------------------------------------------------------------


@transaction.atomic
def item_create(*, proposal: Proposal, by: Any, kind: str, **fields: Any) -> ProposalItem:
    unknown = set(fields) - rules.ALL_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    current = claim(proposal, None)
    require_state(current, {State.DRAFT}, "edited")
    order = (current.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = ProposalItem(proposal=current, kind=kind, order=order, **fields)
    rules.clean_item(item)
    item.save()
    record_change(current, by, f"Item {order} added: {item.get_kind_display().lower()}.")
    return item


@transaction.atomic
def item_update(
    *, item: ProposalItem, by: Any, version: int | None, **changes: Any
) -> ProposalItem:
    unknown = set(changes) - rules.ALL_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    current = claim(item, version)
    require_state(current.proposal, {State.DRAFT}, "edited")
    said = _diff(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    rules.clean_item(current)
    current.save()
    record_change(current.proposal, by, "; ".join(said) or "Saved without changes.", item=current)
    return current


@transaction.atomic
def item_delete(*, item: ProposalItem, by: Any) -> None:
    """A draft's item may go; the change log keeps what it was."""
    proposal = claim(item.proposal, None)
    require_state(proposal, {State.DRAFT}, "edited")
    if item.comments.exists():
        raise ValidationError("This item has comments: keep it, or withdraw the proposal.")
    record_change(proposal, by, f"Item {item.order} removed: {item.get_kind_display().lower()}.")
    item.changes.update(item=None)
    item.delete()


# --- review -------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    proposal: Proposal,
    author: Any,
    text: str,
    item: ProposalItem | None = None,
    parent: ProposalComment | None = None,
) -> ProposalComment:
    require_state(proposal, {State.IN_REVIEW}, "commented on")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your comment."})
    if item is not None and item.proposal_id != proposal.pk:
        raise ValidationError({"item": "No such item in this proposal."})
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError({"parent": "No such comment in this proposal."})
        # A reply sits in its parent's thread: on the same item, or on the whole proposal.
        item = parent.item
    return ProposalComment.objects.create(
        proposal=proposal, author=author, text=text, item=item, parent=parent
    )


@transaction.atomic
def comment_withdraw(*, comment: ProposalComment, by: Any) -> ProposalComment:
    comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != by.pk:
        raise ValidationError("Only its author may withdraw a comment.")
    if comment.withdrawn_at is None:
        comment.withdrawn_at = timezone.now()
        comment.save(update_fields=["withdrawn_at"])
    return comment


@transaction.atomic
def position_record(
    *, proposal: Proposal, member: Any, position: str, reason: str = ""
) -> ProposalPosition:
    """Record or change a board member's position; the one it replaces is kept."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_state(proposal, {State.IN_REVIEW}, "given positions")
    today = timezone.localdate()
    if proposal.review_closes_on and today > proposal.review_closes_on:
        raise ValidationError(
            f"The review closed on {proposal.review_closes_on:%-d %B %Y}: positions can no "
            "longer change."
        )
    reason = reason.strip()
    if position in POSITIONS_WITH_REASON and not reason:
        raise ValidationError({"reason": "Say why: a reason is needed for this position."})
    current = ProposalPosition.objects.filter(
        proposal=proposal, member=member, replaced_at__isnull=True
    ).first()
    if current is not None:
        if current.position == position and current.reason == reason:
            return current
        current.replaced_at = timezone.now()
        current.save(update_fields=["replaced_at"])
    new = ProposalPosition(proposal=proposal, member=member, position=position, reason=reason)
    new.full_clean()
    new.save()
    return new
