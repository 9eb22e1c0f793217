"""A proposal drawn on the decision matrix: the cells its items add, change or revoke.

Reviewers read the proposal page item by item; here they see the same changes where
they land on the map, beside what else the function's row holds. The table is the
live matrix (``delegation.selectors.matrix``, cells drawn by ``delegation.matrix``'s
own cell builders, so the two pages cannot drift apart) with a marked box in each
cell an item touches. Every mark says in words what happens ("Would add", "Revoked"),
so colour is never the only signal.

By default only the rows the proposal touches are drawn; ``whole`` draws every row.
Not cached: the proposal's own rows are few, and the whole map is drawn from the
same fixed number of queries as the matrix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ics_portal.links import url_pattern

from .. import selectors as map_selectors
from ..matrix import EMPTY_CELL, _entry_html, _heading
from ..models import ItemKind, Level, MapEntry, Proposal, ProposalItem
from . import approval
from .selectors import describe
from .workflow import APPROVING, State

# The kinds of mark, each with its legend text; the CSS class is ``map-proposed--<kind>``.
ADDED, CHANGED, REVOKED, CONDITION = "added", "changed", "revoked", "condition"
LEGEND = (
    (ADDED, "Added", "a new delegation the proposal puts in force"),
    (CHANGED, "Changed", "an entry in force whose values the proposal changes"),
    (REVOKED, "Revoked", "an entry in force the proposal ends"),
    (
        CONDITION,
        "Condition",
        "a condition the proposal adds to, changes on or removes from the entry",
    ),
)
MARK_OF: dict[str, str] = {
    ItemKind.DELEGATE: ADDED,
    ItemKind.CHANGE: CHANGED,
    ItemKind.REVOKE: REVOKED,
    ItemKind.ADD_CONDITION: CONDITION,
    ItemKind.CHANGE_CONDITION: CONDITION,
    ItemKind.REMOVE_CONDITION: CONDITION,
}
# What a mark says, by kind of item, while open / once approved / once not made.
VERBS = {
    ItemKind.DELEGATE: ("Would add", "Added", "Proposed to add"),
    ItemKind.CHANGE: ("Would change", "Changed", "Proposed to change"),
    ItemKind.REVOKE: ("Would revoke", "Revoked", "Proposed to revoke"),
    ItemKind.ADD_CONDITION: ("Would add a condition", "Condition added", "Proposed condition"),
    ItemKind.CHANGE_CONDITION: (
        "Would change a condition",
        "Condition changed",
        "Proposed condition change",
    ),
    ItemKind.REMOVE_CONDITION: (
        "Would remove a condition",
        "Condition removed",
        "Proposed condition removal",
    ),
}
SHOWN_FOR_NEW = ("Where the decision sits", "Decision right", "Form", "Delegated budget")


@dataclass
class Mark:
    item: ProposalItem
    kind: str
    label: str
    lines: list[str] = field(default_factory=list)


def _cell_of(item: ProposalItem, proposal: Proposal) -> tuple[int, int | None] | None:
    if item.kind in (ItemKind.CHANGE, ItemKind.REVOKE) or (
        item.kind == ItemKind.ADD_CONDITION and item.entry_id
    ):
        entry = item.entry
        return (entry.function_id, entry.receiving_body_id) if entry else None
    if item.kind in (ItemKind.CHANGE_CONDITION, ItemKind.REMOVE_CONDITION):
        entry = item.condition.map_entry if item.condition_id else None
        return (entry.function_id, entry.receiving_body_id) if entry else None
    return (item.function_id, proposal.body_id) if item.function_id else None


def _tense(proposal: Proposal) -> int:
    if proposal.state == State.DECIDED:
        return 1 if proposal.outcome in APPROVING else 2
    return 2 if proposal.state == State.WITHDRAWN else 0


def _lines(item: ProposalItem, view: dict[str, Any]) -> list[str]:
    if view.get("condition"):
        text = item.requirement or (item.condition.requirement if item.condition_id else "")
        return [text if len(text) <= 90 else text[:89] + "…"] if text else []
    rows = view.get("rows", [])
    if item.kind == ItemKind.DELEGATE:
        return [f"{r['label']}: {r['after']}" for r in rows if r["label"] in SHOWN_FOR_NEW]
    if item.kind == ItemKind.REVOKE:
        return [f"{r['label']}: {r['before']}" for r in rows if r["label"] in SHOWN_FOR_NEW[:2]]
    return [f"{r['label']}: {r['before']} → {r['after']}" for r in rows if r["changed"]]


def marks_for(
    proposal: Proposal, items: list[ProposalItem], live: dict[tuple[int, int | None], MapEntry]
) -> dict[tuple[int, int | None], list[Mark]]:
    """Each cell an item lands in, with what it says there."""
    tense = _tense(proposal)
    frozen = proposal.state == State.DECIDED
    marks: dict[tuple[int, int | None], list[Mark]] = defaultdict(list)
    for item in items:
        cell = _cell_of(item, proposal)
        if cell is None:
            continue
        view = describe(item, live, frozen)
        label = VERBS[item.kind][tense]
        if tense == 2 and proposal.outcome:
            label += f" ({proposal.get_outcome_display().lower()})"
        elif tense == 2:
            label += " (withdrawn)"
        marks[cell].append(Mark(item, MARK_OF[item.kind], label, _lines(item, view)))
    return marks


def _mark_html(mark: Mark, item_url: str) -> str:
    lines = "".join(f"<small>{escape(line)}</small>" for line in mark.lines)
    return (
        f'<div class="map-proposed map-proposed--{mark.kind}">'
        f'<a href="{item_url}#item-{mark.item.pk}"><strong class="map-proposed__tag">'
        f"{escape(mark.label)}</strong> item {mark.item.order}</a>{lines}</div>"
    )


def _cell(
    entries: list[MapEntry], marks: list[Mark], urls: dict[str, str], names: dict[str, str]
) -> str:
    if not entries and not marks:
        return EMPTY_CELL
    shown = "".join(_entry_html(e, urls["entry"], names) for e in entries)
    boxes = "".join(_mark_html(m, urls["proposal"]) for m in marks)
    opening = '<td class="map-touched">' if marks else "<td>"
    return f"{opening}{shown}{boxes}</td>"


def _live(data: dict[str, Any]) -> dict[tuple[int, int | None], MapEntry]:
    live: dict[tuple[int, int | None], MapEntry] = {}
    for group in data["groups"]:
        for row in group["rows"]:
            f = row["function"].pk
            for entry in row["reserved"]:
                live.setdefault((f, None), entry)
            for body, entries in zip(data["bodies"], row["cells"], strict=True):
                for entry in entries:
                    live.setdefault((f, body.pk), entry)
    return live


def _body_first(data: dict[str, Any], proposal: Proposal) -> None:
    """The proposing body's column comes first, where the reader looks, and is there even
    before anything is delegated to it."""
    at = next((i for i, b in enumerate(data["bodies"]) if b.pk == proposal.body_id), None)
    bodies = data["bodies"]
    data["bodies"] = [proposal.body, *(b for i, b in enumerate(bodies) if i != at)]
    for group in data["groups"]:
        for row in group["rows"]:
            cells = row["cells"]
            mine = cells[at] if at is not None else []
            row["cells"] = [mine, *(c for i, c in enumerate(cells) if i != at)]


def _row(
    row: dict[str, Any],
    data: dict[str, Any],
    marks: dict[Any, list[Mark]],
    urls: dict[str, str],
    names: dict[Any, str],
    touched: set[int],
    whole: bool,
) -> str:
    """One function's row: its cells, each with the proposal's marks on it."""
    function = row["function"]
    cells = [
        _cell(row["reserved"], marks.get((function.pk, None), []), urls, names),
        *(
            _cell(entries, marks.get((function.pk, body.pk), []), urls, names)
            for body, entries in zip(data["bodies"], row["cells"], strict=True)
        ),
    ]
    return format_html(
        '<tr{}><th scope="row" class="map-fn"><span class="nhsuk-u-font-weight-bold">'
        "{}</span> {}{}</th>{}</tr>",
        mark_safe(' class="map-touched-row"') if function.pk in touched else "",
        function.code,
        function.name,
        mark_safe(' <strong class="map-proposed__row">(changed by the proposal)</strong>')
        if whole and function.pk in touched
        else "",
        mark_safe("".join(cells)),
    )


def proposal_matrix(user: Any, proposal: Proposal, *, whole: bool = False) -> dict[str, Any]:
    """The matrix with the proposal's marks, and what the page says about them."""
    system = proposal.system
    data = map_selectors.matrix(user, system)
    _body_first(data, proposal)
    items = approval.load_items(proposal)
    for item in items:
        item.proposal = proposal
    marks = marks_for(proposal, items, _live(data))
    touched = {f for f, _b in marks}
    urls = {
        "entry": url_pattern("delegation:entry_detail"),
        "proposal": reverse("delegation:proposal_detail", args=[proposal.pk]),
    }
    names = dict(Level.choices)
    body_url = url_pattern("delegation:body_delegations", system.slug)
    groups = []
    shown_functions = 0
    for group in data["groups"]:
        rows = [
            _row(row, data, marks, urls, names, touched, whole)
            for row in group["rows"]
            if whole or row["function"].pk in touched
        ]
        shown_functions += len(rows)
        if rows:
            groups.append({"name": group["name"], "rows": mark_safe("\n".join(rows))})
    data["function_count"] = shown_functions
    table: SafeString = mark_safe(
        render_to_string(
            "delegation/_matrix_table.html",
            {
                "system": system,
                "matrix": data,
                "headings": mark_safe("".join(_heading(b, body_url) for b in data["bodies"])),
                "groups": groups,
                "columns": len(data["bodies"]) + 2,
            },
        )
    )
    placed = sum(len(m) for m in marks.values())
    return {
        "table": table,
        "item_count": len(items),
        "placed": placed,
        "unplaced": [i for i in items if _cell_of(i, proposal) is None],
        "touched_count": len(touched),
        "legend": LEGEND,
        "whole": whole,
    }
