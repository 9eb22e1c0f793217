"""An approval changes the map in one step: every item applied, a new version published.

``conflicts`` compares each item with the live map as it is now: the entry (or
condition) it was based on at submission must be unchanged and still in force, and no
other entry may now clash with a new delegation. ``apply`` runs inside the decision's
transaction: any failure raises ``ApprovalRefused`` and nothing at all is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import services as map_services
from ..models import (
    Condition,
    ConditionCategory,
    Decision,
    EntryStatus,
    ItemKind,
    MapEntry,
    MapVersion,
    Proposal,
    ProposalItem,
)
from . import items as rules

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class Conflict:
    item: ProposalItem
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"Item {self.item.order}: {' '.join(self.messages)}"


class ApprovalRefused(Exception):
    """The approval was refused; nothing was written. ``conflicts`` say which items."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(
            "The map changed under "
            + ", ".join(f"item {c.item.order}" for c in conflicts)
            + ": nothing was written. "
            + " ".join(str(c) for c in conflicts)
        )


LABELS = {
    "status": "status",
    "level": "where the decision sits",
    "governance_form": "form",
    "decision_right": "decision right",
    "delegated_budget": "delegated budget",
    "financial_limit": "financial limit",
    "effective_from": "effective from",
    "review_by": "review by",
    "category": "category",
    "requirement": "requirement",
    "evidence_expected": "evidence expected",
    "due_date": "due date",
    "removed": "removed",
    "entry_status": "its entry's status",
}


def _what_changed(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    return [
        f"{LABELS.get(k, k)} {before.get(k) or '—'} → {now.get(k) or '—'}"
        for k in now
        if before.get(k) != now.get(k)
    ]


def _entry_conflict(item: ProposalItem, entry: MapEntry) -> list[str]:
    if entry.status == EntryStatus.SUPERSEDED:
        successor = entry.superseded_by
        who = rules_user(successor.created_by) if successor else ""
        when = f" on {successor.created_at:%-d %b %Y}" if successor else ""
        return [f"{entry} was superseded{when}{f' by {who}' if who else ''}."]
    if entry.status == EntryStatus.REVOKED:
        return [f"{entry} was revoked on {entry.updated_at:%-d %b %Y}."]
    if item.based_on is not None and item.based_on_updated_at != entry.updated_at:
        changed = _what_changed(item.based_on, rules.entry_snapshot(entry))
        return [
            f"{entry} was edited on {entry.updated_at:%-d %b %Y}"
            + (f": {'; '.join(changed)}." if changed else ".")
        ]
    return []


def rules_user(user: User | None) -> str:
    return "" if user is None else (user.get_full_name() or user.get_username())


def item_conflicts(item: ProposalItem, in_force: set[tuple[int, int | None]]) -> list[str]:
    if item.kind == ItemKind.DELEGATE:
        key = (item.function_id, item.proposal.body_id)
        if key in in_force:
            return [f"{item.function.code} already has an entry in force for {item.proposal.body}."]
        return []
    if item.kind in rules.CONDITION_KINDS:
        condition = item.condition
        now = rules.condition_snapshot(condition)
        if item.based_on is not None and item.based_on != now:
            return [f"The condition changed: {'; '.join(_what_changed(item.based_on, now))}."]
        return []
    if item.entry_id is not None:
        return _entry_conflict(item, item.entry)
    return []


def load_items(proposal: Proposal) -> list[ProposalItem]:
    """The items with all that checking, applying, describing or drawing them on the
    matrix reads: one query."""
    return list(
        proposal.items.select_related(
            "proposal__body",
            "function__system",
            "entry__function",
            "entry__receiving_body",
            "entry__superseded_by__created_by",
            "condition__map_entry__function",
        ).order_by("order", "pk")
    )


def conflicts(
    proposal: Proposal,
    items: list[ProposalItem] | None = None,
    in_force: set[tuple[int, int | None]] | None = None,
) -> list[Conflict]:
    """Items the live map moved under since submission. Two queries for any number,
    none when the caller has the items and the body's (function, body) pairs in force."""
    items = load_items(proposal) if items is None else items
    if in_force is None:
        in_force = set(
            MapEntry.objects.filter(
                function__system=proposal.system_id,
                receiving_body=proposal.body_id,
                status=EntryStatus.IN_FORCE,
            ).values_list("function_id", "receiving_body_id")
        )
    found = []
    for item in items:
        messages = item_conflicts(item, in_force)
        if messages:
            found.append(Conflict(item, messages))
    return found


def _live(entry: MapEntry) -> MapEntry:
    """The entry as it stands in this transaction (a change item may have superseded it)."""
    entry = MapEntry.objects.get(pk=entry.pk)
    while entry.superseded_by_id is not None:
        entry = MapEntry.objects.get(pk=entry.superseded_by_id)
    return entry


def _apply_item(
    item: ProposalItem, by: Any, made: dict[int, MapEntry], note: str
) -> MapEntry | None:
    """Apply one item; returns the entry it put in force, if any."""
    body = item.proposal.body
    if item.kind == ItemKind.DELEGATE:
        entry = map_services.map_entry_create(
            function=item.function,
            level=item.level,
            receiving_body=body,
            governance_form=item.governance_form,
            decision_right=item.decision_right or "decides",
            delegated_budget=item.delegated_budget or 0,
            financial_limit=item.financial_limit,
            effective_from=item.effective_from,
            review_by=item.review_by,
            status=EntryStatus.IN_FORCE,
            notes=note,
            created_by=by,
        )
        made[item.function_id] = entry
        item.result_entry = entry
        return entry
    if item.kind == ItemKind.CHANGE:
        changes = {n: getattr(item, n) for n in rules.changed_fields(item)}
        entry = map_services.map_entry_supersede(
            entry=_live(item.entry), created_by=by, notes=note, **changes
        )
        made[entry.function_id] = entry
        item.result_entry = entry
        return entry
    if item.kind == ItemKind.REVOKE:
        map_services.map_entry_revoke(entry=_live(item.entry), note=note)
        return None
    if item.kind == ItemKind.ADD_CONDITION:
        target = _live(item.entry) if item.entry_id else made[item.function_id]
        item.result_condition = map_services.condition_create(
            map_entry=target,
            category=item.category,
            requirement=item.requirement,
            evidence_expected=item.evidence_expected,
            owner_body=body,
            due_date=item.due_date,
        )
        return None
    condition = Condition.objects.select_for_update().get(pk=item.condition_id)
    if item.kind == ItemKind.REMOVE_CONDITION:
        condition.removed_at = timezone.now()
        condition.save(update_fields=["removed_at"])
        return None
    changes = {
        n: getattr(item, n) for n in rules.CONDITION_FIELDS if getattr(item, n) not in (None, "")
    }
    map_services.condition_update(condition=condition, **changes)
    return None


def _delegate_all(
    items: list[ProposalItem], by: Any, made: dict[int, MapEntry], note: str
) -> list[MapEntry]:
    """The new delegations in one batch: each checked against the entry's rules, the
    database's one-in-force constraint catching a clash for the whole batch."""
    delegates = [i for i in items if i.kind == ItemKind.DELEGATE]
    if not delegates:
        return []
    entries = []
    for item in delegates:
        entry = rules.resulting_entry(item)
        entry.notes, entry.created_by = note, by
        entries.append(entry)
    try:
        created = map_services.map_entries_bulk_create(entries=entries)
    except ValidationError as error:
        raise ApprovalRefused([Conflict(delegates[0], list(error.messages))]) from None
    for item, entry in zip(delegates, created, strict=True):
        item.result_entry = entry
        made[item.function_id] = entry
    return created


def next_label(proposal: Proposal) -> str:
    labels = MapVersion.objects.filter(system=proposal.system_id).values_list("label", flat=True)
    numbers = [
        (int(m[1]), int(m[2])) for label in labels if (m := re.match(r"v(\d+)\.(\d+)", label))
    ]
    major, minor = max(numbers, default=(1, -1))
    return f"v{major}.{minor + 1} ({proposal.reference})"


def apply(proposal: Proposal, decision: Decision, by: Any) -> MapVersion:
    """Apply every item and publish a version naming the proposal. Call inside the
    decision's transaction; raises ``ApprovalRefused`` and writes nothing on failure."""
    items = load_items(proposal)
    found = conflicts(proposal, items)
    if found:
        raise ApprovalRefused(found)
    note = (
        f"{'Delegated' if items else 'Changed'} by proposal {proposal.reference}, "
        f"{decision.citation}."
    )
    made: dict[int, MapEntry] = {}
    touched: list[MapEntry] = []
    try:
        with transaction.atomic():
            touched.extend(_delegate_all(items, by, made, note))
            for item in items:
                if item.kind == ItemKind.DELEGATE:
                    continue
                try:
                    entry = _apply_item(item, by, made, note)
                except (ValidationError, IntegrityError, KeyError) as error:
                    messages = getattr(error, "messages", None) or [str(error)]
                    raise ApprovalRefused([Conflict(item, list(messages))]) from None
                if entry is not None:
                    touched.append(entry)
            ProposalItem.objects.bulk_update(items, ["result_entry", "result_condition"])
            for line in decision.condition_lines:
                if not touched:
                    raise ApprovalRefused(
                        [Conflict(items[0], ["Conditions of the decision need an entry."])]
                    )
                for entry in touched:
                    map_services.condition_create(
                        map_entry=entry,
                        category=ConditionCategory.OTHER,
                        requirement=line,
                        owner_body=proposal.body,
                        due_date=entry.review_by,
                    )
            return map_services.map_version_publish(
                system=proposal.system,
                label=next_label(proposal),
                approved_by=decision.deciding_body,
                meeting_date=decision.meeting_date,
                minute_reference=decision.minute_reference,
                published_by=by,
                note=(
                    f"Published by the approval of proposal {proposal.reference} "
                    f"“{proposal.title}”: {decision.get_outcome_display().lower()} by "
                    f"{decision.citation}."
                ),
            )
    except ValidationError as error:
        raise ApprovalRefused([Conflict(items[-1], list(error.messages))]) from None
