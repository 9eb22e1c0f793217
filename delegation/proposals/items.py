"""What each kind of proposal item may carry, the rules it must pass, and how it reads
against the live map (before → after).

An item passes the same rules as a map entry: the result it would write is built as an
unsaved ``MapEntry`` and checked by the entry's own ``rule_errors``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from ..models import Condition, EntryStatus, ItemKind, MapEntry, ProposalItem

ENTRY_CHANGE_FIELDS = (
    "level",
    "governance_form",
    "decision_right",
    "delegated_budget",
    "financial_limit",
    "effective_from",
    "review_by",
)
CONDITION_FIELDS = ("category", "requirement", "evidence_expected", "due_date")

# The fields each kind uses; forms and serializers show exactly these.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ItemKind.DELEGATE: ("function", *ENTRY_CHANGE_FIELDS),
    ItemKind.CHANGE: ("entry", *ENTRY_CHANGE_FIELDS),
    ItemKind.REVOKE: ("entry",),
    ItemKind.ADD_CONDITION: ("entry", "function", *CONDITION_FIELDS),
    ItemKind.CHANGE_CONDITION: ("condition", *CONDITION_FIELDS),
    ItemKind.REMOVE_CONDITION: ("condition",),
}
ALL_FIELDS = frozenset(f for fields in KIND_FIELDS.values() for f in fields) | {"rationale"}
ENTRY_KINDS = frozenset({ItemKind.CHANGE, ItemKind.REVOKE, ItemKind.ADD_CONDITION})
CONDITION_KINDS = frozenset({ItemKind.CHANGE_CONDITION, ItemKind.REMOVE_CONDITION})


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def entry_snapshot(entry: MapEntry) -> dict[str, Any]:
    return {
        "status": entry.status,
        "level": entry.level,
        "governance_form": entry.governance_form,
        "decision_right": entry.decision_right,
        "delegated_budget": _money(entry.delegated_budget),
        "financial_limit": _money(entry.financial_limit),
        "effective_from": entry.effective_from.isoformat() if entry.effective_from else None,
        "review_by": entry.review_by.isoformat() if entry.review_by else None,
    }


def condition_snapshot(condition: Condition) -> dict[str, Any]:
    return {
        "category": condition.category,
        "requirement": condition.requirement,
        "evidence_expected": condition.evidence_expected,
        "due_date": condition.due_date.isoformat() if condition.due_date else None,
        "removed": condition.removed_at is not None,
        "entry_status": condition.map_entry.status,
    }


def snapshot(item: ProposalItem) -> tuple[dict[str, Any] | None, Any]:
    """The entry or condition the item is based on, as it stands now."""
    if item.kind in CONDITION_KINDS and item.condition_id:
        return condition_snapshot(item.condition), item.condition.map_entry.updated_at
    if item.kind in ENTRY_KINDS and item.entry_id:
        return entry_snapshot(item.entry), item.entry.updated_at
    return None, None


def resulting_entry(item: ProposalItem) -> MapEntry | None:
    """The entry a delegate or change item would put in force (unsaved)."""
    if item.kind == ItemKind.DELEGATE:
        if item.function_id is None:
            return None
        return MapEntry(
            function=item.function,
            level=item.level,
            receiving_body=item.proposal.body,
            governance_form=item.governance_form,
            decision_right=item.decision_right or "decides",
            delegated_budget=item.delegated_budget,
            financial_limit=item.financial_limit,
            effective_from=item.effective_from,
            review_by=item.review_by,
            status=EntryStatus.IN_FORCE,
        )
    if item.kind == ItemKind.CHANGE and item.entry_id:
        old = item.entry
        new = MapEntry(
            function=old.function,
            receiving_body=old.receiving_body,
            status=EntryStatus.IN_FORCE,
            notes=old.notes,
        )
        for name in ENTRY_CHANGE_FIELDS:
            value = getattr(item, name)
            setattr(new, name, getattr(old, name) if value in (None, "") else value)
        return new
    return None


def changed_fields(item: ProposalItem) -> list[str]:
    return [name for name in ENTRY_CHANGE_FIELDS if getattr(item, name) not in (None, "")]


def item_errors(item: ProposalItem) -> dict[str, list[str]]:
    """The item's own rules (not the live-map conflicts, which ``approval`` checks)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    proposal = item.proposal
    kind = item.kind
    if kind not in ItemKind.values:
        add("kind", "Choose what the item does to the map.")
        return errors
    if kind in ENTRY_KINDS and not (kind == ItemKind.ADD_CONDITION and item.function_id):
        entry = item.entry if item.entry_id else None
        if entry is None:
            add("entry", "Choose the map entry this item changes.")
        elif entry.function.system_id != proposal.system_id or (
            entry.receiving_body_id != proposal.body_id
        ):
            add("entry", f"Choose one of {proposal.body}'s own entries.")
        elif entry.status != EntryStatus.IN_FORCE:
            add("entry", f"That entry is {entry.get_status_display().lower()}, not in force.")
    if kind in CONDITION_KINDS:
        condition = item.condition if item.condition_id else None
        if condition is None:
            add("condition", "Choose the condition this item changes.")
        elif condition.map_entry.receiving_body_id != proposal.body_id:
            add("condition", f"Choose a condition on one of {proposal.body}'s entries.")
        elif condition.removed_at is not None:
            add("condition", "That condition has already been removed.")
    if kind == ItemKind.DELEGATE:
        if item.function_id is None:
            add("function", "Choose the function to delegate.")
        elif item.function.system_id != proposal.system_id:
            add("function", "Choose a function of this system.")
        if not item.level:
            add("level", "Say where the decision will sit.")
        if item.effective_from is None:
            add("effective_from", "Say when the delegation takes effect.")
    if kind == ItemKind.CHANGE and not changed_fields(item):
        add("level", "Change at least one of the entry's values.")
    if kind in (ItemKind.DELEGATE, ItemKind.CHANGE) and not errors:
        result = resulting_entry(item)
        if result is not None:
            for field, messages in result.rule_errors().items():
                for message in messages:
                    add(field if field in ENTRY_CHANGE_FIELDS else "level", message)
    if kind in (ItemKind.ADD_CONDITION,):
        if not item.category:
            add("category", "Choose the kind of condition.")
        if not item.requirement.strip():
            add("requirement", "Say what the body must do.")
    if kind == ItemKind.CHANGE_CONDITION and not any(
        getattr(item, f) not in (None, "") for f in CONDITION_FIELDS
    ):
        add("requirement", "Change at least one part of the condition.")
    return errors


def clean_item(item: ProposalItem) -> None:
    """Drop values the kind does not use, then raise the item's rule errors."""
    used = set(KIND_FIELDS.get(item.kind, ()))
    for name in ALL_FIELDS - used - {"rationale"}:
        field = ProposalItem._meta.get_field(name)
        setattr(item, name if not field.is_relation else f"{name}_id", None)
        if not field.is_relation and not field.null:
            setattr(item, name, "")
    item.full_clean(exclude=["proposal", "function", "entry", "condition"])
    errors = item_errors(item)
    if errors:
        raise ValidationError(errors)


def proposal_item_errors(items: list[ProposalItem]) -> list[str]:
    """Rules across the items of one proposal: no two items on the same thing."""
    problems: list[str] = []
    seen: dict[tuple[str, int], ProposalItem] = {}
    for item in items:
        keys = []
        if item.kind == ItemKind.DELEGATE and item.function_id:
            keys.append(("function", item.function_id))
        if item.kind in (ItemKind.CHANGE, ItemKind.REVOKE) and item.entry_id:
            keys.append(("entry", item.entry_id))
            keys.append(("function", item.entry.function_id))
        if item.kind in CONDITION_KINDS and item.condition_id:
            keys.append(("condition", item.condition_id))
        for key in keys:
            if key in seen and seen[key] is not item:
                problems.append(
                    f"Items {seen[key].order} and {item.order} both change the same "
                    f"{key[0]}; make them one item."
                )
            seen.setdefault(key, item)
        delegate = seen.get(("function", item.function_id or 0))
        if item.kind == ItemKind.ADD_CONDITION and not item.entry_id and item.function_id:  # noqa: SIM102
            if delegate is None or delegate.kind != ItemKind.DELEGATE:
                problems.append(
                    f"Item {item.order} adds a condition to a delegation of "
                    f"{item.function.code}: put the delegate item before it."
                )
    return problems
