"""Comparing two states of a map, as plain rows. Pure: no database, no Django models.

A row is a dict as stored in ``MapVersion.rows`` (see ``snapshot.entry_row``), keyed by
``key`` (function code and receiving body slug, or "reserved").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The fields a reader cares about, in the order a diff lists them.
COMPARED_FIELDS: tuple[str, ...] = (
    "function_name",
    "level",
    "receiving_body_name",
    "governance_form",
    "decision_right",
    "delegated_budget",
    "financial_limit",
    "effective_from",
    "review_by",
    "status",
    "notes",
    "conditions",
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    key: str
    old: dict[str, Any]
    new: dict[str, Any]
    changes: tuple[FieldChange, ...]


@dataclass
class MapDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _conditions_view(row: dict[str, Any]) -> list[tuple]:
    return sorted(
        (
            c.get("category", ""),
            c.get("requirement", ""),
            c.get("owner_body", ""),
            c.get("due_date"),
            c.get("status", ""),
        )
        for c in row.get("conditions", [])
    )


def _value(row: dict[str, Any], name: str) -> Any:
    if name == "conditions":
        return _conditions_view(row)
    return row.get(name)


def diff_rows(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]) -> MapDiff:
    """What changed from ``old_rows`` to ``new_rows``: rows added, removed and changed."""
    old_by_key = {row["key"]: row for row in old_rows}
    new_by_key = {row["key"]: row for row in new_rows}
    result = MapDiff()
    for key, row in new_by_key.items():
        if key not in old_by_key:
            result.added.append(row)
    for key, row in old_by_key.items():
        if key not in new_by_key:
            result.removed.append(row)
            continue
        new = new_by_key[key]
        changes = tuple(
            FieldChange(name, row.get(name), new.get(name))
            for name in COMPARED_FIELDS
            if _value(row, name) != _value(new, name)
        )
        if changes:
            result.changed.append(RowChange(key=key, old=row, new=new, changes=changes))
        else:
            result.unchanged += 1
    order = {key: i for i, key in enumerate(sorted(old_by_key.keys() | new_by_key.keys()))}
    result.added.sort(key=lambda r: order[r["key"]])
    result.removed.sort(key=lambda r: order[r["key"]])
    result.changed.sort(key=lambda c: order[c.key])
    return result
