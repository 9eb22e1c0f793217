"""The decision map matrix as HTML: cells built in Python, the table cached.

At ten times the demo the matrix has about 29,000 cells, most of them empty. Rendered
by the template engine with an include and a ``{% url %}`` per entry it took most of a
second; here each cell is one string (an empty cell is the constant ``<td></td>``),
URLs are reversed once per page, and the finished table is kept in the cache under
(system, map revision, the viewer's scope, the filters). The revision
(``IntegratedCareSystem.map_changed_at``) moves on with any write to the map
(``delegation.revisions``), so the next request after a change renders afresh.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from governance import permissions as landscape
from governance.models import Body, IntegratedCareSystem
from ics_portal.links import url_pattern
from ics_portal.types import RequestUser

from . import selectors
from .models import DecisionRight, EntryStatus, Level, MapEntry

CACHE_SECONDS = 6 * 60 * 60
EMPTY_CELL = "<td></td>"

# Each level's colour (an NHS.UK tag modifier) and short name; the level is always
# written out too, so colour is never the only signal.
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
# The decision right as the cell says it: "Tower Hamlets Together decides".
RIGHT_TEXT = {
    DecisionRight.DECIDES: "decides",
    DecisionRight.RECOMMENDS: "recommends",
    DecisionRight.CONSULTED: "is consulted",
    DecisionRight.INFORMED: "is informed",
}


def _entry_html(entry: MapEntry, entry_url: str, level_names: dict[str, str]) -> str:
    right = RIGHT_TEXT.get(entry.decision_right, entry.get_decision_right_display().lower())
    details = [f'<strong class="map-right">{escape(right.capitalize())}</strong>']
    if entry.governance_form:
        details.append(escape(entry.get_governance_form_display()))
    if entry.status != EntryStatus.IN_FORCE:
        details.append(escape(entry.get_status_display()))
    body = entry.receiving_body
    hidden = f"{entry.function.code} {level_names[entry.level]}" + (
        f": {body.name} {right}" if body else f": {right}"
    )
    return (
        f'<a class="map-cell" href="{entry_url.format(entry.pk)}">'
        f'<strong class="nhsuk-tag {LEVEL_TAGS[entry.level]}">{LEVEL_SHORT[entry.level]}</strong>'
        f"<small>{' · '.join(details)}</small>"
        f'<span class="nhsuk-u-visually-hidden">{escape(hidden)}</span></a>'
    )


def _cell(entries: list[MapEntry], entry_url: str, level_names: dict[str, str]) -> str:
    if not entries:
        return EMPTY_CELL
    return "<td>" + "".join(_entry_html(e, entry_url, level_names) for e in entries) + "</td>"


def _heading(body: Body, body_url: str) -> SafeString:
    short = body.short_name if body.short_name and body.short_name != body.name else ""
    abbr = format_html('<abbr title="{}">{}</abbr> · ', body.name, short) if short else ""
    return format_html(
        '<th scope="col"><a href="{}">{}</a><br><small>{}{}</small></th>',
        body_url.format(body.slug),
        body.name,
        abbr,
        body.get_kind_display(),
    )


def _rows(data: dict[str, Any], system: IntegratedCareSystem) -> list[dict[str, Any]]:
    entry_url = url_pattern("delegation:entry_detail")
    level_names = dict(Level.choices)
    groups = []
    for group in data["groups"]:
        rows = []
        for row in group["rows"]:
            function = row["function"]
            cells = "".join(_cell(c, entry_url, level_names) for c in row["cells"])
            rows.append(
                format_html(
                    '<tr><th scope="row" class="map-fn"><span class="nhsuk-u-font-weight-bold">'
                    "{}</span> {}</th>{}{}</tr>",
                    function.code,
                    function.name,
                    mark_safe(_cell(row["reserved"], entry_url, level_names)),
                    mark_safe(cells),
                )
            )
        groups.append({"name": group["name"], "rows": mark_safe("\n".join(rows))})
    return groups


def render_matrix(user: RequestUser, system: IntegratedCareSystem, filters: dict[str, str]) -> str:
    data = selectors.matrix(user, system, **filters)
    body_url = url_pattern("delegation:body_delegations", system.slug)
    return render_to_string(
        "delegation/_matrix_table.html",
        {
            "system": system,
            "matrix": data,
            "headings": mark_safe("".join(_heading(b, body_url) for b in data["bodies"])),
            "groups": _rows(data, system),
            "columns": len(data["bodies"]) + 2,
        },
    )


def cache_key(user: RequestUser, system: IntegratedCareSystem, filters: dict[str, str]) -> str:
    """(system, map revision, the viewer's scope in it, the filters)."""
    scope = repr(landscape.scope_in(user, system.pk))
    wanted = "&".join(f"{k}={filters.get(k) or ''}" for k in sorted(filters))
    digest = hashlib.sha256(f"{scope}|{wanted}".encode()).hexdigest()[:32]
    return f"matrix:v1:{system.pk}:{system.map_changed_at.timestamp():.6f}:{digest}"


def matrix_html(
    user: RequestUser, system: IntegratedCareSystem, filters: dict[str, str]
) -> SafeString:
    key = cache_key(user, system, filters)
    html = cache.get(key)
    if html is None:
        html = render_matrix(user, system, filters)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)


def matrix_page_parts(
    user: RequestUser, system: IntegratedCareSystem, filters: dict[str, str]
) -> tuple[Any, ...]:
    """What the whole matrix page shows besides the table: the menu of systems, the
    lead's links and the name in the header."""
    return (
        cache_key(user, system, filters),
        user.get_username(),
        sorted(landscape.system_ids(user)),
        landscape.is_governance_lead(user, system),
    )
