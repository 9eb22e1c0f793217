"""Server time and SQL query count of the milestones table and API list at 1x and 10x.

1x is the demo as loaded (the Tower Hamlets Together programme); 10x adds milestones
to that programme until it holds ten times as many, with parents, dependencies, leads
and log rows like the real ones. The query count must not grow with the data
(milestones/tests/test_query_counts.py asserts it); the time is for reading.

    .venv/bin/python bench/bench_milestones.py          # uses a throwaway SQLite copy
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any


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


def main() -> None:
    import tempfile

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")
    # A throwaway database: the benchmark never touches the configured one.
    handle, path = tempfile.mkstemp(suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    from milestones.models import Programme

    programme = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    office = get_user_model().objects.get(username="tht.office")
    client = Client()
    client.force_login(office)
    page = reverse("milestones:programme", args=[programme.pk])
    api = f"/api/v1/milestones/?programme={programme.pk}&page_size=500"
    demo = programme.milestones.count()
    for scale in (1, 10):
        missing = demo * scale - programme.milestones.count()
        if missing > 0:
            add_milestones(count=missing, programme=programme, body=programme.body, lead=office)
        total = programme.milestones.count()
        for label, url in (("table", page), ("api list", api)):
            measure(client, url)  # warm up
            ms, queries, status = measure(client, url)
            print(
                f"{scale:>2}x {total:>4} milestones  {label:<9} {status}  {ms:7.1f} ms  "
                f"{queries:3d} queries"
            )
    os.unlink(path)


if __name__ == "__main__":
    main()
