"""Server time and SQL query count of the milestones table and API list at 1x and 10x.

1x is the demo as loaded (the Tower Hamlets Together programme); Nx is the programme
of a synthetic system (bench/make_big_system.py) with N times as many, with parents,
dependencies, leads and log rows like the real ones. The query count must not grow
with the data (milestones/tests/test_query_counts.py asserts it); the time is for reading.

    .venv/bin/python bench/bench_milestones.py            # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_milestones.py --keep-db
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Run as a script: the repository root is not on the path until this line.
from bench.common import big_system, setup_django


def add_milestones(*, count: int, programme: Any, body: Any, lead: Any | None = None) -> int:
    """Add ``count`` milestones to ``programme`` (bulk: test data only)."""
    from milestones.models import Milestone, MilestoneUpdate, Status

    statuses = list(Status.values)
    base = dt.date(2021, 4, 1)
    first = programme.milestones.count()
    made = Milestone.objects.bulk_create(
        [
            Milestone(
                programme=programme,
                owner_body=body,
                title=f"Bench milestone {first + i}",
                due_date=base + dt.timedelta(days=23 * i % 900),
                status=statuses[i % len(statuses)],
                progress=(i * 7) % 101,
                lead_user=lead if i % 3 == 0 else None,
                lead_name="" if i % 3 == 0 else f"Named lead {i % 5}",
            )
            for i in range(count)
        ]
    )
    through = Milestone.dependencies.through
    through.objects.bulk_create(
        [
            through(from_milestone_id=made[i].pk, to_milestone_id=made[i - 1].pk)
            for i in range(1, len(made), 4)
        ]
    )
    for i in range(2, len(made), 5):
        Milestone.objects.filter(pk=made[i].pk).update(parent_id=made[i - 2].pk)
    MilestoneUpdate.objects.bulk_create(
        [
            MilestoneUpdate(
                milestone=m, field="status", old_value="Not started", new_value="x", source="system"
            )
            for m in made
        ]
    )
    return len(made)


def measure(client: Any, url: str) -> tuple[float, int, int]:
    """(milliseconds, SQL queries, status) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, len(queries), response.status_code


def time_programme(client: Any, label: str, programme: Any) -> None:
    """The table, the timeline and the API list of one programme."""
    from django.urls import reverse

    total = programme.milestones.count()
    pages = (
        ("table", reverse("milestones:programme", args=[programme.pk])),
        ("timeline", reverse("milestones:timeline", args=[programme.pk])),
        ("api list", f"/api/v1/milestones/?programme={programme.pk}&page_size=500"),
    )
    for name, url in pages:
        measure(client, url)  # warm up
        ms, queries, status = measure(client, url)
        print(
            f"{label:>4} {total:>5} milestones  {name:<9} {status}  {ms:7.1f} ms  "
            f"{queries:3d} queries"
        )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    setup_django(keep_db=args.keep_db)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from milestones.models import Programme

    lead = get_user_model().objects.get(username="icb.governance")
    big = big_system(scale=args.scale, lead=lead)
    # 1x: the demo's Tower Hamlets Together programme; Nx: the synthetic system's, which
    # holds N times as many milestones (the demo itself is left as it is).
    programmes = {
        "1x": Programme.objects.get(body__system__slug="nel", body__slug="tht"),
        f"{args.scale}x": Programme.objects.filter(body__system=big).first(),
    }
    # Every page built afresh (as a hard reload asks): they time building the page.
    client = Client(headers={"Cache-Control": "no-cache"})
    client.force_login(lead)
    for label, programme in programmes.items():
        time_programme(client, label, programme)


if __name__ == "__main__":
    main()
