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


def make_big_system(*, scale: int, slug: str = "", lead: Any | None = None):
    """Create the system and its map; make ``lead`` its governance lead if given."""
    from django.db import transaction

    from delegation.models import (
        AssessmentStatus,
        Condition,
        ConditionAssessment,
        ConditionCategory,
        EntryStatus,
        Function,
        Level,
        MapEntry,
    )
    from governance import services as landscape
    from governance.models import Body, BodyKind, GovernanceForm, Role

    slug = slug or f"big{scale}"
    with transaction.atomic():
        # Named after the slug, so several systems of one scale can live side by side.
        system = landscape.system_create(
            name=f"Benchmark system {slug} (x{scale})", short_name=slug.upper()[:20], slug=slug
        )
        board = landscape.body_create(system=system, name="ICB board", kind=BodyKind.ICB_BOARD)
        bodies = Body.objects.bulk_create(
            [
                Body(
                    system=system,
                    name=f"Place {i}",
                    slug=f"place-{i}",
                    kind=BodyKind.PLACE_PARTNERSHIP,
                    parent=board,
                    current_form=GovernanceForm.COMMITTEE,
                )
                for i in range(8 * scale)
            ]
            + [
                Body(
                    system=system,
                    name=f"Collaborative {i}",
                    slug=f"collab-{i}",
                    kind=BodyKind.PROVIDER_COLLABORATIVE,
                    parent=board,
                    current_form=GovernanceForm.JOINT_COMMITTEE,
                )
                for i in range(2 * scale)
            ]
            + [
                Body(
                    system=system,
                    name=f"ICB committee {i}",
                    slug=f"committee-{i}",
                    kind=BodyKind.COMMITTEE,
                    parent=board,
                )
                for i in range(scale)
            ]
        )
        places = [b for b in bodies if b.kind == BodyKind.PLACE_PARTNERSHIP]
        collaboratives = [b for b in bodies if b.kind == BodyKind.PROVIDER_COLLABORATIVE]
        committees = [b for b in bodies if b.kind == BodyKind.COMMITTEE]
        functions = Function.objects.bulk_create(
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
        start = dt.date(2024, 4, 1)
        entries: list[MapEntry] = []
        for i, function in enumerate(functions):
            group = i % len(GROUPS)
            if group == 0:
                entries.append(
                    MapEntry(
                        function=function,
                        level=Level.RESERVED,
                        effective_from=start,
                        status=EntryStatus.IN_FORCE,
                    )
                )
            elif group == 3:
                entries.append(
                    MapEntry(
                        function=function,
                        level=Level.ICB_COMMITTEE,
                        receiving_body=committees[i % len(committees)],
                        effective_from=start,
                        status=EntryStatus.IN_FORCE,
                    )
                )
                entries.append(
                    MapEntry(
                        function=function,
                        level=Level.COLLABORATIVE,
                        receiving_body=collaboratives[i % len(collaboratives)],
                        governance_form=GovernanceForm.JOINT_COMMITTEE,
                        effective_from=start,
                        status=EntryStatus.IN_FORCE,
                    )
                )
            else:
                for j in range(2):
                    place = places[(i + j * 3) % len(places)]
                    entries.append(
                        MapEntry(
                            function=function,
                            level=Level.PLACE,
                            receiving_body=place,
                            governance_form=GovernanceForm.COMMITTEE,
                            delegated_budget=Decimal(1_000_000 * (1 + i % 7)),
                            effective_from=start,
                            status=EntryStatus.IN_FORCE,
                        )
                    )
        entries = MapEntry.objects.bulk_create(entries)
        delegated = [e for e in entries if e.receiving_body_id is not None]
        conditions = Condition.objects.bulk_create(
            [
                Condition(
                    map_entry=e,
                    category=ConditionCategory.values[k % 7],
                    requirement=f"Benchmark condition {k}",
                    owner_body_id=e.receiving_body_id,
                    due_date=start + dt.timedelta(days=30 * (k % 40)),
                )
                for k, e in enumerate(delegated[: 20 * scale])
            ]
        )
        if lead is not None:
            landscape.role_grant(user=lead, role=Role.GOVERNANCE_LEAD, system=system)
            ConditionAssessment.objects.bulk_create(
                [
                    ConditionAssessment(condition=c, status=AssessmentStatus.MET, assessed_by=lead)
                    for c in conditions[::2]
                ]
            )
        _add_programme(scale=scale, body=places[0], lead=lead)
    return system


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
