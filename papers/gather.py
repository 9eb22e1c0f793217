"""What a paper says at the moment it is built: its text and its data sections' rows.

``snapshot(paper)`` returns plain JSON. The PDF is rendered from the snapshot alone
(``rendering``), and the snapshot is kept with the version, so a version records
exactly the data it used, however the live data changes afterwards.

Data sections read the whole system's data, not one user's view of it: a paper is a
document of the writing body, and the published bodies the system shows everyone.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from delegation.diff import diff_rows
from delegation.models import (
    AssessmentStatus,
    Condition,
    EntryStatus,
    MapEntry,
    Proposal,
)
from delegation.proposals.workflow import State
from delegation.selectors import with_latest_status
from governance import diagram
from governance.models import Body
from governance.selectors import also_accountable
from milestones import timeline
from milestones.models import Milestone
from milestones.selectors import with_rag

from .glossary import acronyms_used
from .models import Paper, Section, SectionKind

SVG_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def money(value: Decimal | int | float | None) -> str:
    # An empty budget was never recorded: it is said so, never printed as £0.
    return "Not recorded" if value is None else f"£{Decimal(value):,.0f}"


def day(value: dt.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def _short(body: Body) -> str:
    return body.short_name or body.name.replace("Health and Wellbeing Board", "HWBB")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


# --- data sections -------------------------------------------------------------------


def decision_map(section: Section, today: dt.date) -> dict[str, Any]:
    body = section.body
    if body is None:
        return {"empty": "No body chosen for this section."}
    entries = (
        MapEntry.objects.filter(receiving_body=body, status=EntryStatus.IN_FORCE)
        .select_related("function")
        .order_by("function__display_order", "function__code")
    )
    rows = [
        [
            e.function.code,
            e.function.name,
            e.get_level_display(),
            e.get_governance_form_display() or "—",
            e.get_decision_right_display(),
            money(e.delegated_budget),
        ]
        for e in entries
    ]
    total = sum((e.delegated_budget or Decimal(0) for e in entries), Decimal(0))
    return {
        "caption": f"Functions and decisions delegated to {body.name}, in force on {day(today)}",
        "columns": [
            "Code",
            "Function",
            "Where the decision sits",
            "Form",
            "Decision right",
            "Budget",
        ],
        "numeric": [5],
        "rows": rows,
        "total": ["Total delegated budget", money(total)],
        "empty": "" if rows else f"No functions are delegated to {body.name}.",
    }


def conditions(section: Section, today: dt.date) -> dict[str, Any]:
    body = section.body
    if body is None:
        return {"empty": "No body chosen for this section."}
    found = with_latest_status(
        Condition.objects.filter(
            map_entry__receiving_body=body, map_entry__status=EntryStatus.IN_FORCE
        ).select_related("map_entry__function")
    )
    labels = dict(AssessmentStatus.choices)
    # Overdue first (by the ICB's assured status, the one dashboards count), then by date.
    items = sorted(
        found,
        key=lambda c: (
            not c.is_overdue(c.latest_status, today),
            c.due_date or dt.date.max,
            c.pk,
        ),
    )
    rows = [
        [
            c.map_entry.function.code,
            c.get_category_display(),
            c.requirement,
            day(c.due_date) or "—",
            labels.get(c.latest_status, c.latest_status),
            labels.get(c.self_status, c.self_status),
            "Overdue" if c.is_overdue(c.latest_status, today) else "",
        ]
        for c in items
    ]
    return {
        "caption": f"Conditions of the delegations to {body.name}, overdue first",
        "columns": [
            "Function",
            "Condition",
            "Requirement",
            "Due",
            "ICB assurance",
            "Self-assessment",
            "Overdue",
        ],
        "rows": rows,
        "empty": "" if rows else f"No conditions are attached to delegations to {body.name}.",
    }


def milestones(section: Section, today: dt.date) -> dict[str, Any]:
    programme = section.programme
    if programme is None:
        return {"empty": "No programme chosen for this section."}
    found = list(
        with_rag(Milestone.objects.filter(programme=programme))
        .select_related("lead_user")
        .order_by("due_date", "title")
    )
    rows = [
        [m.title, m.lead_display or "—", m.due_display, m.get_status_display(), m.rag_label]
        for m in found
    ]
    items = [
        timeline.Item(
            title=m.title, start=m.start_date, due=m.due_date, rag=m.rag, rag_label=m.rag_label
        )
        for m in found
    ]
    chart = timeline.layout(items, today=today) if items else None
    svg = (
        render_to_string("milestones/_timeline_svg.html", {"chart": chart, "programme": programme})
        if chart
        else ""
    )
    return {
        "caption": f"Milestones of {programme.name} on {day(today)}",
        "columns": ["Milestone", "Lead", "Due", "Status", "RAG"],
        "rag_column": 4,
        "rags": [m.rag for m in found],
        "rows": rows,
        "svg": svg,
        "alt": (
            f"Timeline of the {len(found)} milestones of {programme.name} by quarter, each bar "
            "coloured and labelled by its RAG rating; the table lists the same milestones."
        ),
        "empty": "" if rows else "The programme has no milestones yet.",
    }


# The landscape SVG styles its text with a <style> block of ``font`` shorthands, which
# WeasyPrint's SVG renderer does not read; the PDF gets the same as plain attributes.
LANDSCAPE_CLASSES = {
    'class="lsd-kind"': 'font-family="Paper Sans, Arial, sans-serif" font-size="11" font-weight="bold"',
    'class="lsd-name"': 'font-family="Paper Sans, Arial, sans-serif" font-size="13" font-weight="bold"',
    'class="lsd-note"': 'font-family="Paper Sans, Arial, sans-serif" font-size="12"',
}


def _printable_svg(svg: str) -> str:
    svg = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    for old, new in LANDSCAPE_CLASSES.items():
        svg = svg.replace(old, new)
    return svg


def landscape(section: Section, today: dt.date) -> dict[str, Any]:
    system = section.paper.system
    bodies = list(
        Body.objects.filter(system=system, is_published=True).select_related(
            "parent", "accountable_to"
        )
    )
    return {
        "caption": f"{system.name}: governance landscape on {day(today)}",
        "svg": _printable_svg(
            str(diagram.landscape_svg(system, bodies, also_accountable(bodies, today)))
        ),
        "alt": (
            f"Diagram of {system.name}: its integrated care board and partnership, local "
            "systems, place-based partnerships with the health and wellbeing boards they "
            "are accountable to, their primary care networks and provider collaboratives."
        ),
    }


def proposals(section: Section, today: dt.date) -> dict[str, Any]:
    """Every proposal of the system decided at a meeting on or after ``section.since``,
    whatever the outcome: a deferral or a rejection is as much on record as an approval."""
    since = section.since
    if since is None:
        return {"empty": "Choose the date from which decided proposals are listed."}
    decided = (
        Proposal.objects.filter(
            system_id=section.paper.system_id,
            state=State.DECIDED,
            decision__meeting_date__gte=since,
        )
        .select_related("body", "decision__deciding_body", "decision__map_version")
        .order_by("decision__meeting_date", "reference")
    )
    rows = []
    for proposal in decided:
        decision = proposal.decision
        version = decision.map_version
        rows.append(
            [
                proposal.reference,
                proposal.title,
                proposal.body.name,
                decision.get_outcome_display()
                + (f"; map version {version.label}" if version else ""),
                decision.deciding_body.name,
                day(decision.meeting_date),
                decision.minute_reference,
            ]
        )
    return {
        "caption": f"Delegation proposals decided since {day(since)}",
        "columns": [
            "Reference",
            "Proposal",
            "Proposing body",
            "Outcome",
            "Decided by",
            "Meeting",
            "Minute",
        ],
        "rows": rows,
        "empty": "" if rows else f"No delegation proposals have been decided since {day(since)}.",
    }


def map_diff(section: Section, today: dt.date) -> dict[str, Any]:
    old, new = section.from_version, section.to_version
    if old is None or new is None:
        return {"empty": "Choose the two map versions to compare."}
    diff = diff_rows(old.rows, new.rows)
    rows = [
        [
            "Added",
            r.get("function_code", r.get("key", "")),
            r.get("receiving_body_name") or "ICB board (reserved)",
        ]
        for r in diff.added
    ]
    rows += [
        [
            "Removed",
            r.get("function_code", r.get("key", "")),
            r.get("receiving_body_name") or "ICB board (reserved)",
        ]
        for r in diff.removed
    ]
    rows += [
        [
            "Changed",
            c.key,
            "; ".join(f"{f.field.replace('_', ' ')}: {f.old} → {f.new}" for f in c.changes),
        ]
        for c in diff.changed
    ]
    return {
        "caption": f"Changes to the decision map from {old.label} to {new.label}",
        "columns": ["Change", "Entry", "Detail"],
        "rows": rows,
        "empty": "" if rows else f"Nothing changed between {old.label} and {new.label}.",
    }


GATHERERS = {
    SectionKind.DECISION_MAP: decision_map,
    SectionKind.CONDITIONS: conditions,
    SectionKind.MILESTONES: milestones,
    SectionKind.LANDSCAPE: landscape,
    SectionKind.PROPOSALS: proposals,
    SectionKind.MAP_DIFF: map_diff,
}


# --- the paper -----------------------------------------------------------------------


def _cover(paper: Paper) -> dict[str, Any]:
    ticked = set(paper.priorities.values_list("pk", flat=True))
    return {
        "title": paper.title,
        "system": paper.system.name,
        "author_body": paper.author_body.name,
        "meeting_body": paper.meeting_body.name,
        "meeting_body_short": _short(paper.meeting_body),
        "meeting_date": paper.meeting_date.isoformat(),
        "meeting_date_display": day(paper.meeting_date),
        "report_of": paper.report_of,
        "officers": paper.officers or [],
        "classification": paper.get_classification_display(),
        "template": paper.get_template_display(),
        "purpose": _paragraphs(paper.purpose),
        "summary": _paragraphs(paper.summary),
        "priorities": [
            {"name": p.name, "ticked": p.pk in ticked}
            for p in paper.system.strategic_priorities.all()
        ],
        "considered": [{"meeting": c.meeting, "date": day(c.date)} for c in paper.considered.all()],
        "implications": [
            {"label": label, "text": text.strip() or "None."} for label, text in paper.implications
        ],
    }


def _texts(snap: dict[str, Any]) -> list[str]:
    """Every piece of text the built paper prints, for its glossary."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.extend(SVG_TEXT.findall(value) if value.lstrip().startswith("<svg") else [value])
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("alt", "rags", "kind"):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(snap)
    return out


def snapshot(paper: Paper, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    snap: dict[str, Any] = {
        "cover": _cover(paper),
        "recommendations": [
            {"number": r.number, "action": r.get_action_display(), "text": r.text}
            for r in paper.recommendations.all()
        ],
        "sections": [],
        "appendices": [],
    }
    main_n = appendix_n = 0
    for section in paper.sections.select_related(
        "body", "programme", "from_version", "to_version"
    ).order_by("is_appendix", "order", "pk"):
        if section.is_appendix:
            appendix_n += 1
            number = chr(ord("A") + appendix_n - 1)
        else:
            main_n += 1
            number = str(main_n)
        gather = GATHERERS.get(section.kind)
        snap["appendices" if section.is_appendix else "sections"].append(
            {
                "number": number,
                "heading": section.heading,
                "kind": section.kind,
                "paragraphs": _paragraphs(section.text),
                "data": gather(section, today) if gather else None,
            }
        )
    terms = dict(paper.system.glossary_terms.values_list("acronym", "meaning"))
    snap["glossary"] = [list(t) for t in acronyms_used(_texts(snap), terms)]
    snap["as_of"] = today.isoformat()
    snap["as_of_display"] = day(today)
    return snap
