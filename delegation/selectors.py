"""Reads of the map, always scoped to what the user may see (404 for the rest)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from governance import permissions as governance_permissions
from governance.models import Body, BodyKind, IntegratedCareSystem
from ics_portal.types import RequestUser

from . import permissions
from .models import (
    AssessmentKind,
    AssessmentStatus,
    Condition,
    ConditionAssessment,
    EntryStatus,
    Function,
    MapEntry,
    MapVersion,
    entry_key,
)

MATRIX_KINDS = (
    BodyKind.LOCAL_SYSTEM,
    BodyKind.PLACE_PARTNERSHIP,
    BodyKind.PROVIDER_COLLABORATIVE,
)


COLUMN_ORDER = (
    BodyKind.PLACE_PARTNERSHIP,
    BodyKind.PROVIDER_COLLABORATIVE,
    BodyKind.COMMITTEE,
    BodyKind.LOCAL_SYSTEM,
)


def with_latest_status(conditions: QuerySet[Condition]) -> QuerySet[Condition]:
    """Annotate, in the same query, ``latest_status`` (and when) from the newest ICB
    assurance — the status dashboards count — and ``self_status`` (and when) from the
    owner body's newest self-assessment, shown beside it."""

    def latest(kind: str) -> QuerySet[ConditionAssessment]:
        return ConditionAssessment.objects.filter(condition=OuterRef("pk"), kind=kind).order_by(
            "-assessed_at", "-pk"
        )

    assured, own = latest(AssessmentKind.ASSURED), latest(AssessmentKind.SELF)
    not_assessed = Value(AssessmentStatus.NOT_ASSESSED)
    return conditions.annotate(
        latest_status=Coalesce(Subquery(assured.values("status")[:1]), not_assessed),
        latest_assessed_at=Subquery(assured.values("assessed_at")[:1]),
        self_status=Coalesce(Subquery(own.values("status")[:1]), not_assessed),
        self_assessed_at=Subquery(own.values("assessed_at")[:1]),
    )


def _get(queryset: QuerySet, message: str, **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(message) from None


# --- functions ----------------------------------------------------------------------


def functions_in(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[Function]:
    return (
        permissions.visible_functions(user).filter(system=system).order_by("display_order", "code")
    )


def function_get(user: RequestUser, pk: int) -> Function:
    return _get(
        permissions.visible_functions(user).select_related("system"), "No such function.", pk=pk
    )


def function_groups(system: IntegratedCareSystem) -> list[str]:
    return list(
        Function.objects.filter(system=system)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


# --- entries ------------------------------------------------------------------------


def entries_queryset(user: RequestUser) -> QuerySet[MapEntry]:
    return permissions.visible_map_entries(user).select_related(
        "function", "function__system", "receiving_body"
    )


def entries_in(
    user: RequestUser,
    system: IntegratedCareSystem,
    *,
    group: str = "",
    body_kind: str = "",
    status: str = "",
) -> QuerySet[MapEntry]:
    entries = entries_queryset(user).filter(function__system=system)
    if group:
        entries = entries.filter(function__group=group)
    if body_kind:
        entries = entries.filter(receiving_body__kind=body_kind)
    if status:
        entries = entries.filter(status=status)
    return entries.order_by("function__display_order", "function__code", "receiving_body__name")


def entry_get(user: RequestUser, pk: int) -> MapEntry:
    # With the proposal item that made it, if any: the page links back to the decision.
    rows = entries_queryset(user).select_related("made_by_item__proposal__decision__deciding_body")
    return _get(rows, "No such map entry.", pk=pk)


def entry_history(entry: MapEntry) -> list[MapEntry]:
    """The supersession chain this entry belongs to, oldest first."""
    chain = [entry]
    seen = {entry.pk}
    node = entry
    while True:
        previous = (
            MapEntry.objects.filter(superseded_by=node).select_related("receiving_body").first()
        )
        if previous is None or previous.pk in seen:
            break
        chain.insert(0, previous)
        seen.add(previous.pk)
        node = previous
    node = entry
    while node.superseded_by_id is not None and node.superseded_by_id not in seen:
        node = MapEntry.objects.select_related("receiving_body").get(pk=node.superseded_by_id)
        chain.append(node)
        seen.add(node.pk)
    return chain


def conditions_of(entry: MapEntry) -> QuerySet[Condition]:
    return with_latest_status(entry.conditions.select_related("owner_body")).order_by(
        "due_date", "pk"
    )


# --- the matrix ---------------------------------------------------------------------


def matrix(
    user: RequestUser,
    system: IntegratedCareSystem,
    *,
    group: str = "",
    body_kind: str = "",
    status: str = EntryStatus.IN_FORCE,
) -> dict[str, Any]:
    """Functions (grouped) down, bodies across, entries in the cells.

    A fixed number of queries whatever the size of the system: functions, bodies and
    entries are each read once and laid out in Python.
    """
    functions = list(
        functions_in(user, system).filter(group=group) if group else functions_in(user, system)
    )
    entries = entries_in(user, system, group=group, status=status)
    # Columns: the bodies that usually receive functions, plus any other body that
    # holds an entry shown (a subgroup given a function, say).
    bodies = (
        governance_permissions.bodies_visible_to(user)
        .filter(system=system)
        .filter(
            Q(kind__in=MATRIX_KINDS)
            | Q(kind=BodyKind.COMMITTEE, parent__kind=BodyKind.ICB_BOARD)
            | Q(pk__in=entries.filter(receiving_body__isnull=False).values("receiving_body"))
        )
    )
    if body_kind:
        bodies = bodies.filter(kind=body_kind)
    # Places first, where most delegation lands; then collaboratives, committees, the rest.
    order = {kind: i for i, kind in enumerate(COLUMN_ORDER)}
    bodies = sorted(bodies, key=lambda b: (order.get(b.kind, len(order)), b.name))
    cells: dict[tuple[int, int | None], list[MapEntry]] = {}
    body_ids = {b.pk for b in bodies}
    for entry in entries:
        if entry.receiving_body_id is not None and entry.receiving_body_id not in body_ids:
            continue
        cells.setdefault((entry.function_id, entry.receiving_body_id), []).append(entry)
    rows = []
    for function in functions:
        rows.append(
            {
                "function": function,
                "reserved": cells.get((function.pk, None), []),
                "cells": [cells.get((function.pk, b.pk), []) for b in bodies],
            }
        )
    # One band per group, in the order its first function comes: a catalogue whose
    # display order interleaves groups still shows each group once.
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = row["function"].group or "Other functions"
        groups.setdefault(name, {"name": name, "rows": []})["rows"].append(row)
    return {"bodies": bodies, "groups": list(groups.values()), "function_count": len(functions)}


# --- a body's delegations -----------------------------------------------------------


def body_delegations(user: RequestUser, body: Body) -> dict[str, Any]:
    """What is delegated to ``body`` now, with its budget and conditions; and, apart,
    what is proposed for it and not yet in force (counted in no total)."""
    open_entries = list(
        entries_queryset(user)
        .filter(receiving_body=body, status__in=[EntryStatus.IN_FORCE, EntryStatus.PROPOSED])
        .order_by("function__display_order", "function__code", "pk")
    )
    entries = [e for e in open_entries if e.status == EntryStatus.IN_FORCE]
    proposed = [e for e in open_entries if e.status == EntryStatus.PROPOSED]
    total = sum((e.delegated_budget or Decimal("0") for e in entries), Decimal("0"))
    today = timezone.localdate()
    conditions = list(
        with_latest_status(
            permissions.visible_conditions(user).filter(
                map_entry__in=[e.pk for e in entries], removed_at__isnull=True
            )
        ).select_related("map_entry__function", "map_entry__receiving_body", "owner_body")
    )
    for condition in conditions:
        condition.overdue = condition.is_overdue(condition.latest_status, today)
    conditions.sort(key=lambda c: (not c.overdue, c.due_date or dt.date.max, c.pk))
    return {
        "entries": entries,
        "proposed": proposed,
        "total_budget": total,
        "conditions": conditions,
    }


# --- conditions ---------------------------------------------------------------------


def conditions_in(
    user: RequestUser,
    system: IntegratedCareSystem,
    *,
    category: str = "",
    status: str = "",
    owner: str = "",
) -> QuerySet[Condition]:
    # A revoked delegation's conditions no longer bind anyone (superseded entries hand
    # theirs on to their successor), so they leave the dashboard; the entry keeps them.
    conditions = (
        with_latest_status(
            permissions.visible_conditions(user)
            .filter(map_entry__function__system=system)
            .exclude(map_entry__status__in=[EntryStatus.SUPERSEDED, EntryStatus.REVOKED])
            .filter(removed_at__isnull=True)
        )
        .annotate(
            overdue=Case(
                When(overdue_filter(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("map_entry__function", "map_entry__receiving_body", "owner_body")
    )
    if category:
        conditions = conditions.filter(category=category)
    if status:
        conditions = conditions.filter(latest_status=status)
    if owner:
        conditions = conditions.filter(owner_body__slug=owner)
    return conditions.order_by("due_date", "pk")


def condition_get(user: RequestUser, pk: int) -> Condition:
    return _get(
        with_latest_status(permissions.visible_conditions(user)).select_related(
            "map_entry__function__system", "map_entry__receiving_body", "owner_body"
        ),
        "No such condition.",
        pk=pk,
    )


def condition_dashboard(conditions: Iterable[Condition]) -> dict[str, Any]:
    """Counts by status, self-assessed status and category, and the overdue ones, of
    conditions from ``conditions_in`` (annotated ``overdue``). Counted in Python from the
    rows the page lists anyway: one query for the whole dashboard, not one per count."""
    rows = list(conditions)
    return {
        "by_status": Counter(c.latest_status for c in rows),
        "by_self_status": Counter(c.self_status for c in rows),
        "by_category": Counter(c.category for c in rows),
        "overdue": [c for c in rows if c.overdue],
        "rows": rows,
    }


def assessments_of(condition: Condition) -> QuerySet[ConditionAssessment]:
    return condition.assessments.select_related("assessed_by").order_by("-assessed_at", "-pk")


# --- versions -----------------------------------------------------------------------


def versions_in(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[MapVersion]:
    return (
        permissions.visible_map_versions(user)
        .filter(system=system)
        .select_related("approved_by", "published_by")
        .defer("rows")
        .order_by("-published_at", "-pk")
    )


def version_get(user: RequestUser, pk: int) -> MapVersion:
    return _get(
        permissions.visible_map_versions(user).select_related("system", "approved_by"),
        "No such map version.",
        pk=pk,
    )


# --- rows: the map as plain data, for versions, diffs and spreadsheets --------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def entry_row(entry: MapEntry, conditions: list[Condition]) -> dict[str, Any]:
    function = entry.function
    body = entry.receiving_body
    return {
        "key": entry_key(function.code, body.slug if body else None),
        "function_code": function.code,
        "function_name": function.name,
        "group": function.group,
        "statutory_basis": function.statutory_basis,
        "display_order": function.display_order,
        "level": entry.level,
        "receiving_body": body.slug if body else None,
        "receiving_body_name": body.name if body else None,
        "receiving_body_kind": body.kind if body else None,
        "governance_form": entry.governance_form,
        "decision_right": entry.decision_right,
        "delegated_budget": _money(entry.delegated_budget),
        "financial_limit": _money(entry.financial_limit),
        "effective_from": entry.effective_from.isoformat(),
        "review_by": entry.review_by.isoformat() if entry.review_by else None,
        "status": entry.status,
        "notes": entry.notes,
        "conditions": [
            {
                "category": c.category,
                "requirement": c.requirement,
                "evidence_expected": c.evidence_expected,
                "owner_body": c.owner_body.slug,
                "due_date": c.due_date.isoformat() if c.due_date else None,
                "status": c.latest_status,
            }
            for c in conditions
        ],
    }


def live_rows(system: IntegratedCareSystem) -> list[dict[str, Any]]:
    """The entries in force now, with their conditions, as version rows. Four queries."""
    conditions = with_latest_status(
        Condition.objects.filter(removed_at__isnull=True).select_related("owner_body")
    ).order_by("due_date", "pk")
    entries = (
        MapEntry.objects.filter(function__system=system, status=EntryStatus.IN_FORCE)
        .select_related("function", "receiving_body")
        .prefetch_related(Prefetch("conditions", queryset=conditions))
        .order_by("function__display_order", "function__code", "receiving_body__name")
    )
    return [entry_row(e, list(e.conditions.all())) for e in entries]


def total_budget(entries: QuerySet[MapEntry]) -> Decimal:
    return entries.aggregate(total=Coalesce(Sum("delegated_budget"), Decimal("0")))["total"]


def overdue_filter(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(latest_status=AssessmentStatus.MET)
