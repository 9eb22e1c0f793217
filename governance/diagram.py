"""The landscape of a system drawn as a server-rendered SVG, and the same structure as a
tree for the accessible list beside it.

Server-side so the board papers (PDF) can reuse the drawing and the page works without
JavaScript. The layout is a layered tree: the system on top, then the ICB and ICP, the
local systems and provider collaboratives under the ICB, places under their local
system, and each place's column holding the HWBB it is accountable to (dashed line)
and its PCNs. Committees and subgroups are counted on their parent's box, not drawn:
a system has dozens and the list carries them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Body, BodyKind, IntegratedCareSystem

# The order siblings are listed in, so the list reads like the diagram.
KIND_ORDER = {kind: i for i, kind in enumerate(BodyKind.values)}

# Fill and text colours per kind, from the NHS identity palette; each pair passes
# WCAG AA contrast. The kind is also printed in every box, so colour is never the only cue.
KIND_STYLE: dict[str, tuple[str, str]] = {
    BodyKind.ICB_BOARD: ("#005eb8", "#ffffff"),
    BodyKind.ICP: ("#003087", "#ffffff"),
    BodyKind.LOCAL_SYSTEM: ("#41b6e6", "#212b32"),
    BodyKind.PLACE_PARTNERSHIP: ("#007f3b", "#ffffff"),
    BodyKind.PROVIDER_COLLABORATIVE: ("#330072", "#ffffff"),
    BodyKind.PCN: ("#e8edee", "#212b32"),
    BodyKind.HWBB: ("#ffb81c", "#212b32"),
    BodyKind.COMMITTEE: ("#ffffff", "#212b32"),
}
SYSTEM_STYLE = ("#231f20", "#ffffff")

# Short kind labels that fit a box; the list beside the diagram spells them out.
KIND_LABEL: dict[str, str] = {
    BodyKind.ICB_BOARD: "ICB board",
    BodyKind.ICP: "ICP",
    BodyKind.LOCAL_SYSTEM: "Local system",
    BodyKind.PLACE_PARTNERSHIP: "Place partnership",
    BodyKind.PROVIDER_COLLABORATIVE: "Collaborative",
    BodyKind.PCN: "PCN",
    BodyKind.HWBB: "HWBB",
    BodyKind.COMMITTEE: "Subgroup",
}

# Kinds that get a column of their own under the ICB.
COLUMN_KINDS = (BodyKind.LOCAL_SYSTEM, BodyKind.PROVIDER_COLLABORATIVE)

BOX_W = 160
BOX_H = 74
SMALL_H = 36  # two lines: PCN names run to ~40 characters
COL_GAP = 12
ROW_GAP = 40
MARGIN = 16
CHARS_PER_LINE = 21


@dataclass
class TreeNode:
    """A body with its visible children, for the nested list."""

    body: Body
    children: list[TreeNode] = field(default_factory=list)
    # Only when the user may see it: a hidden body is never named.
    accountable_to: Body | None = None


def _sort_key(body: Body) -> tuple[int, str]:
    return (KIND_ORDER.get(body.kind, 99), body.name)


def body_tree(bodies: list[Body]) -> list[TreeNode]:
    """Nest the bodies by parent. A body whose parent the user may not see becomes a
    root, so nothing visible is dropped and nothing hidden is named."""
    by_id = {body.pk: body for body in bodies}
    nodes = {
        body.pk: TreeNode(body, accountable_to=by_id.get(body.accountable_to_id))
        for body in sorted(bodies, key=_sort_key)
    }
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.body.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float
    title: str
    kind_label: str
    style: tuple[str, str]
    note: str = ""


def _lines(text: str, width: int = CHARS_PER_LINE, limit: int = 2) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _label(body: Body) -> str:
    # The full name when it fits the box; initials like "APA" mean little to a reader.
    if len(body.name) <= 2 * CHARS_PER_LINE or not body.short_name:
        return body.name
    return body.short_name


class _Layout:
    def __init__(
        self,
        system: IntegratedCareSystem,
        bodies: list[Body],
        also_accountable: dict[int, list[Body]] | None = None,
    ):
        self.system = system
        # A place's further HWBBs (e.g. City and Hackney's two boroughs' boards).
        self.also_accountable = also_accountable or {}
        self.bodies = sorted(bodies, key=_sort_key)
        self.by_id = {b.pk: b for b in self.bodies}
        self.children: dict[int | None, list[Body]] = {}
        for body in self.bodies:
            parent = body.parent_id if body.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(body)
        self.boxes: dict[int | str, _Box] = {}
        self.lines: list[tuple[float, float, float, float, bool]] = []

    def kids(self, body: Body, *kinds: str) -> list[Body]:
        return [b for b in self.children.get(body.pk, []) if b.kind in kinds]

    def subgroup_note(self, body: Body) -> str:
        count = len(self.kids(body, BodyKind.COMMITTEE))
        return f"{count} subgroup{'s' if count != 1 else ''}" if count else ""

    def box(self, key: int | str, x: float, y: float, body: Body, h: float = BOX_H) -> _Box:
        box = _Box(
            x,
            y,
            BOX_W,
            h,
            _label(body),
            KIND_LABEL[body.kind],
            KIND_STYLE[body.kind],
            self.subgroup_note(body) if h == BOX_H else "",
        )
        self.boxes[key] = box
        return box

    def side_line(self, place: _Box, lower: _Box) -> None:
        """A second accountability line, run down the gap beside the column so it is
        not read as passing through the HWBB drawn first."""
        gap_x = place.x + place.w + COL_GAP / 2
        mid_y = place.y + place.h / 2
        low_y = lower.y + lower.h / 2
        self.lines.append((place.x + place.w, mid_y, gap_x, mid_y, True))
        self.lines.append((gap_x, mid_y, gap_x, low_y, True))
        self.lines.append((gap_x, low_y, lower.x + lower.w, low_y, True))

    def connect(self, upper: _Box, lower: _Box, dashed: bool = False) -> None:
        self.lines.append(
            (upper.x + upper.w / 2, upper.y + upper.h, lower.x + lower.w / 2, lower.y, dashed)
        )

    def columns(self, roots: list[Body], icbs: list[Body]) -> list[tuple[Body | None, Body]]:
        """(local system or None, leaf) for each place (under a local system or straight
        under the ICB), each provider collaborative, and each local system that has no
        visible place."""
        columns: list[tuple[Body | None, Body]] = []
        for icb in icbs:
            for child in self.kids(icb, *COLUMN_KINDS, BodyKind.PLACE_PARTNERSHIP):
                if child.kind == BodyKind.LOCAL_SYSTEM:
                    places = self.kids(child, BodyKind.PLACE_PARTNERSHIP)
                    columns += [(child, p) for p in places] or [(child, child)]
                else:
                    columns.append((None, child))
        # Bodies that hang nowhere in the ICB's tree still appear (e.g. a place whose
        # local system the user may not see).
        placed = {leaf.pk for _, leaf in columns} | {ls.pk for ls, _ in columns if ls}
        for body in roots:
            if body.kind in (BodyKind.PLACE_PARTNERSHIP, *COLUMN_KINDS) and body.pk not in placed:
                columns.append((None, body))
        return columns

    def top_rows(self, top: list[Body], total_w: float, row_y: list[float]) -> None:
        """Row 0: the system; row 1: ICB(s) and ICP(s), centred."""
        system_box = _Box(
            total_w / 2 - BOX_W / 2,
            row_y[0],
            BOX_W,
            BOX_H,
            self.system.short_name or self.system.name,
            "ICS",
            SYSTEM_STYLE,
        )
        self.boxes["system"] = system_box
        top_w = len(top) * (BOX_W + COL_GAP) - COL_GAP
        for i, body in enumerate(top):
            box = self.box(body.pk, total_w / 2 - top_w / 2 + i * (BOX_W + COL_GAP), row_y[1], body)
            self.connect(system_box, box)

    def hang(self, body: Body, x: float, y: float) -> None:
        """A box for ``body`` (once), joined to its parent's box if that is drawn."""
        if body.pk in self.boxes:
            return
        self.box(body.pk, x, y, body)
        if body.parent_id in self.boxes:
            self.connect(self.boxes[body.parent_id], self.boxes[body.pk])

    def pcns(self, place: Body, x: float, y: float, top: float) -> float:
        """The place's PCNs stacked from ``y``, bracketed to it; the y below them."""
        pcns = self.kids(place, BodyKind.PCN)
        for n, pcn in enumerate(pcns):
            pcn_box = self.box(pcn.pk, x + 12, y + n * (SMALL_H + 4), pcn, SMALL_H)
            pcn_box.w = BOX_W - 12
            pcn_box.kind_label = ""
            # A bracket down the column's left edge ties the PCNs to their place.
            middle = pcn_box.y + SMALL_H / 2
            self.lines.append((x + 4, top, x + 4, middle, False))
            self.lines.append((x + 4, middle, x + 12, middle, False))
        return y + len(pcns) * (SMALL_H + 4)

    def place_column(
        self, local: Body | None, place: Body, x: float, row_y: list[float], hwbbs: dict
    ) -> float:
        """Row 3: a place, then its HWBB and PCNs below it; the y below the column."""
        box = self.box(place.pk, x, row_y[3], place)
        above = self.boxes.get(local.pk if local else place.parent_id)
        if above is not None:
            self.connect(above, box)
        y = row_y[3] + BOX_H + ROW_GAP
        hwbb = hwbbs.get(place.accountable_to_id)
        if hwbb is not None:
            hwbb_box = self.box(hwbb.pk, x, y, hwbb)
            self.connect(box, hwbb_box, dashed=True)
            y += BOX_H + ROW_GAP / 2
        for other in self.also_accountable.get(place.pk, []):
            if other.pk not in self.boxes:
                self.side_line(box, self.box(other.pk, x, y, other))
                y += BOX_H + ROW_GAP / 2
        return self.pcns(place, x, y, row_y[3] + BOX_H)

    def build(self) -> tuple[float, float]:
        roots = self.children.get(None, [])
        icbs = [b for b in roots if b.kind == BodyKind.ICB_BOARD]
        icps = [b for b in roots if b.kind == BodyKind.ICP]
        hwbbs = {b.pk: b for b in self.bodies if b.kind == BodyKind.HWBB}
        columns = self.columns(roots, icbs)
        width = max(len(columns), len(icbs) + len(icps), 1) * (BOX_W + COL_GAP) - COL_GAP

        row_y = [MARGIN + i * (BOX_H + ROW_GAP) for i in range(5)]
        col_x = [MARGIN + i * (BOX_W + COL_GAP) for i in range(len(columns))]
        self.top_rows(icbs + icps, width + 2 * MARGIN, row_y)

        # Row 2: local systems centred over their places; collaboratives in their column.
        bottom = row_y[3] + BOX_H
        for i, (local, leaf) in enumerate(columns):
            if local is not None:
                span = [j for j, (ls, _) in enumerate(columns) if ls is local]
                self.hang(local, (col_x[span[0]] + col_x[span[-1]]) / 2, row_y[2])
            if leaf.kind != BodyKind.PLACE_PARTNERSHIP:
                self.hang(leaf, col_x[i], row_y[2])
                continue
            bottom = max(bottom, self.place_column(local, leaf, col_x[i], row_y, hwbbs))

        # HWBBs no place is accountable to still belong in the picture.
        loose = [h for h in hwbbs.values() if h.pk not in self.boxes]
        for n, hwbb in enumerate(loose):
            self.box(hwbb.pk, MARGIN + n * (BOX_W + COL_GAP), bottom + ROW_GAP, hwbb)
            width = max(width, (n + 1) * (BOX_W + COL_GAP) - COL_GAP)
        if loose:
            bottom += ROW_GAP + BOX_H
        return width + 2 * MARGIN, bottom + MARGIN + 28


def _legend(y: float) -> str:
    parts = []
    x = MARGIN
    samples = [
        ("solid line", "part of", False),
        ("dashed line", "accountable to", True),
    ]
    for _name, label, dashed in samples:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 32}" y2="{y}" stroke="#425563" '
            f'stroke-width="2"{dash}/>'
            f'<text x="{x + 40}" y="{y + 5}" class="lsd-note" fill="#212b32">{escape(label)}</text>'
        )
        x += 160
    return "".join(parts)


def landscape_svg(
    system: IntegratedCareSystem,
    bodies: list[Body],
    also_accountable: dict[int, list[Body]] | None = None,
) -> SafeString:
    layout = _Layout(system, bodies, also_accountable)
    width, height = layout.build()
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="landscape-diagram" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="lsd-title lsd-desc">',
        f'<title id="lsd-title">{escape(system.name)}: governance landscape</title>',
        '<desc id="lsd-desc">The system, its integrated care board and partnership, local '
        "systems, place-based partnerships with the health and wellbeing boards they are "
        "accountable to and their primary care networks, and provider collaboratives. The "
        "same structure is listed in full beside the diagram.</desc>",
        # Its fonts are in static/portal.css: an inline <style> breaks the page's CSP.
    ]
    for x1, y1, x2, y2, dashed in layout.lines:
        if x1 != x2 and y1 != y2:
            # Elbow connectors keep a wide tree readable.
            mid = (y1 + y2) / 2
            path = f"M{x1:.0f} {y1:.0f}V{mid:.0f}H{x2:.0f}V{y2:.0f}"
        else:
            path = f"M{x1:.0f} {y1:.0f}L{x2:.0f} {y2:.0f}"
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(f'<path d="{path}" fill="none" stroke="#425563" stroke-width="2"{dash}/>')
    for box in layout.boxes.values():
        fill, ink = box.style
        out.append(
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            f'rx="4" fill="{fill}" stroke="#425563"/>'
        )
        if box.h == SMALL_H:
            for n, line in enumerate(_lines(box.title, CHARS_PER_LINE)):
                out.append(
                    f'<text x="{box.x + 8:.0f}" y="{box.y + 15 + n * 14:.0f}" class="lsd-note" '
                    f'fill="{ink}">{escape(line)}</text>'
                )
            continue
        out.append(
            f'<text x="{box.x + 8:.0f}" y="{box.y + 15:.0f}" class="lsd-kind" '
            f'fill="{ink}">{escape(box.kind_label.upper())}</text>'
        )
        # A third line where no note takes the box's foot: long HWBB names fit whole.
        for n, line in enumerate(_lines(box.title, limit=2 if box.note else 3)):
            out.append(
                f'<text x="{box.x + 8:.0f}" y="{box.y + 32 + n * 15:.0f}" class="lsd-name" '
                f'fill="{ink}">{escape(line)}</text>'
            )
        if box.note:
            out.append(
                f'<text x="{box.x + 8:.0f}" y="{box.y + box.h - 9:.0f}" class="lsd-note" '
                f'fill="{ink}">{escape(box.note)}</text>'
            )
    out.append(_legend(height - MARGIN - 8))
    out.append("</svg>")
    return mark_safe("".join(out))
