"""Build a synthetic system ``scale`` times the size of the NEL demo map, for benchmarks
and for the tests that prove the map pages cost the same queries at any size.

At scale 1: about 26 functions, 12 bodies, 60 entries and 20 conditions; at scale 10,
ten times that. Rows are bulk-created: this is test data, not a path users take.

    .venv/bin/python bench/make_big_system.py 10      # into the configured database
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from decimal import Decimal
from typing import Any

GROUPS = (
    "Reserved to the ICB board",
    "ICB functions that may be delegated to place",
    "Joining up and co-ordinating services",
    "Supporting quality and sustainability",
)
# Every benchmark entry takes effect on this day.
START = dt.date(2024, 4, 1)


def make_big_system(*, scale: int, slug: str = "", lead: Any | None = None):
    """Create the system and its map; make ``lead`` its governance lead if given."""
    from django.db import transaction

    from governance import services as landscape
    from governance.models import BodyKind, Role

    slug = slug or f"big{scale}"
    with transaction.atomic():
        # Named after the slug, so several systems of one scale can live side by side.
        system = landscape.system_create(
            name=f"Benchmark system {slug} (x{scale})", short_name=slug.upper()[:20], slug=slug
        )
        board = landscape.body_create(system=system, name="ICB board", kind=BodyKind.ICB_BOARD)
        bodies = _add_bodies(system=system, board=board, scale=scale)
        entries = _add_entries(_add_functions(system=system, scale=scale), bodies)
        conditions = _add_conditions(entries, scale=scale)
        if lead is not None:
            landscape.role_grant(user=lead, role=Role.GOVERNANCE_LEAD, system=system)
            _assess_half(conditions, lead=lead)
        _add_programme(scale=scale, body=bodies[BodyKind.PLACE_PARTNERSHIP][0], lead=lead)
    return system


def _add_bodies(*, system: Any, board: Any, scale: int) -> dict[str, list[Any]]:
    """8 places, 2 provider collaboratives and 1 ICB committee per scale, by kind."""
    from governance.models import Body, BodyKind, GovernanceForm

    def bodies(kind: str, name: str, slug: str, count: int, form: str = "") -> list[Body]:
        return [
            Body(
                system=system,
                name=f"{name} {i}",
                slug=f"{slug}-{i}",
                kind=kind,
                parent=board,
                current_form=form,
            )
            for i in range(count)
        ]

    made = Body.objects.bulk_create(
        bodies(BodyKind.PLACE_PARTNERSHIP, "Place", "place", 8 * scale, GovernanceForm.COMMITTEE)
        + bodies(
            BodyKind.PROVIDER_COLLABORATIVE,
            "Collaborative",
            "collab",
            2 * scale,
            GovernanceForm.JOINT_COMMITTEE,
        )
        + bodies(BodyKind.COMMITTEE, "ICB committee", "committee", scale)
    )
    by_kind: dict[str, list[Any]] = {}
    for body in made:
        by_kind.setdefault(body.kind, []).append(body)
    return by_kind


def _add_functions(*, system: Any, scale: int) -> list[Any]:
    from delegation.models import Function

    return Function.objects.bulk_create(
        [
            Function(
                system=system,
                code=f"B-{i + 1}",
                name=f"Benchmark function {i + 1}",
                group=GROUPS[i % len(GROUPS)],
                display_order=i,
            )
            for i in range(26 * scale)
        ]
    )


def _add_entries(functions: list[Any], bodies: dict[str, list[Any]]) -> list[Any]:
    """Per group: reserved; two places; committee and collaborative; two places."""
    from delegation.models import EntryStatus, Level, MapEntry
    from governance.models import BodyKind, GovernanceForm

    places = bodies[BodyKind.PLACE_PARTNERSHIP]
    collaboratives = bodies[BodyKind.PROVIDER_COLLABORATIVE]
    committees = bodies[BodyKind.COMMITTEE]
    entries: list[MapEntry] = []

    def entry(function: Any, level: str, **fields: Any) -> None:
        entries.append(
            MapEntry(
                function=function,
                level=level,
                effective_from=START,
                status=EntryStatus.IN_FORCE,
                **fields,
            )
        )

    for i, function in enumerate(functions):
        group = i % len(GROUPS)
        if group == 0:
            entry(function, Level.RESERVED)
        elif group == 3:
            entry(function, Level.ICB_COMMITTEE, receiving_body=committees[i % len(committees)])
            entry(
                function,
                Level.COLLABORATIVE,
                receiving_body=collaboratives[i % len(collaboratives)],
                governance_form=GovernanceForm.JOINT_COMMITTEE,
            )
        else:
            for j in range(2):
                entry(
                    function,
                    Level.PLACE,
                    receiving_body=places[(i + j * 3) % len(places)],
                    governance_form=GovernanceForm.COMMITTEE,
                    delegated_budget=Decimal(1_000_000 * (1 + i % 7)),
                )
    return MapEntry.objects.bulk_create(entries)


def _add_conditions(entries: list[Any], *, scale: int) -> list[Any]:
    """20 conditions per scale on the delegated entries, due over the next 40 months."""
    from delegation.models import Condition, ConditionCategory

    delegated = [e for e in entries if e.receiving_body_id is not None]
    return Condition.objects.bulk_create(
        [
            Condition(
                map_entry=e,
                category=ConditionCategory.values[k % 7],
                requirement=f"Benchmark condition {k}",
                owner_body_id=e.receiving_body_id,
                due_date=START + dt.timedelta(days=30 * (k % 40)),
            )
            for k, e in enumerate(delegated[: 20 * scale])
        ]
    )


def _assess_half(conditions: list[Any], *, lead: Any) -> None:
    from delegation.models import AssessmentStatus, ConditionAssessment

    ConditionAssessment.objects.bulk_create(
        [
            ConditionAssessment(condition=c, status=AssessmentStatus.MET, assessed_by=lead)
            for c in conditions[::2]
        ]
    )


def _add_programme(*, scale: int, body: Any, lead: Any | None) -> None:
    """A programme of the first place with ``scale`` times the demo's seven milestones."""
    from bench.bench_milestones import add_milestones
    from milestones.models import Programme

    programme = Programme.objects.create(name=f"{body.name} transformation", body=body)
    add_milestones(count=7 * scale, programme=programme, body=body, lead=lead)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Make synthetic systems for benchmarks.")
    parser.add_argument("scale", type=int, nargs="?", default=10)
    parser.add_argument("--count", type=int, default=1, help="how many systems of this scale")
    parser.add_argument("--lead", default="", help="username to make their governance lead")
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from governance.models import IntegratedCareSystem

    lead = get_user_model().objects.get(username=args.lead) if args.lead else None
    made = 0
    n = 0
    while made < args.count:
        n += 1
        slug = f"big{args.scale}" if n == 1 else f"big{args.scale}-{n}"
        if IntegratedCareSystem.objects.filter(slug=slug).exists():
            continue
        created = make_big_system(scale=args.scale, slug=slug, lead=lead)
        print(f"Created {created} ({created.slug}).")
        made += 1


if __name__ == "__main__":
    main()
