"""Index report: EXPLAIN ANALYZE of every list and matrix query on a 100x system.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ics_speed .venv/bin/python bench/explain.py
    make bench-indexes

Makes the synthetic system (``--scale``, 100 by default) if it is missing, opens each
list page and API list as its governance lead with the queries captured (the matrix
built afresh, not from the cache), then asks PostgreSQL for the plan of each SELECT and
flags every sequential scan that reads more than ``--rows`` rows of a table and keeps
under a tenth of them (an index would read less). Exits 1 when it flags one, so it can
guard a release; prints the plans with ``--verbose``. With ``--systems N`` it first
makes N systems of the scale, so that no one system is most of its tables.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("Plans", []):
        found += walk(child)
    return found


def ensure_systems(*, scale: int, systems: int, lead: Any) -> Any:
    """The ``big<scale>`` system, and ``systems - 1`` more of its scale, made if missing."""
    from bench.make_big_system import make_big_system
    from governance.models import IntegratedCareSystem

    slug = f"big{scale}"
    system = IntegratedCareSystem.objects.filter(slug=slug).first()
    if system is None:
        print(f"Making the {scale}x system ({slug}); this takes a while…", flush=True)
        system = make_big_system(scale=scale, slug=slug, lead=lead)
    for n in range(2, systems + 1):
        other = f"{slug}-{n}"
        if not IntegratedCareSystem.objects.filter(slug=other).exists():
            print(f"Making another {scale}x system ({other})…", flush=True)
            make_big_system(scale=scale, slug=other, lead=lead)
    return system


def list_urls(system: Any) -> list[str]:
    """Every list page and API list of the system."""
    from milestones.models import Programme

    slug = system.slug
    programme = Programme.objects.filter(body__system=system).first()
    urls = [
        f"/maps/{slug}/",
        f"/maps/{slug}/entries/",
        f"/maps/{slug}/conditions/",
        f"/maps/{slug}/bodies/place-0/",
        f"/maps/{slug}/functions/",
        f"/systems/{slug}/",
        f"/systems/{slug}/bodies/place-0/",
        f"/milestones/bodies/{slug}/place-0/",
        f"/api/v1/map-entries/?system={slug}",
        f"/api/v1/functions/?system={slug}",
        f"/api/v1/conditions/?system={slug}",
        f"/api/v1/bodies/?system={slug}",
        "/api/v1/memberships/",
        f"/api/v1/milestones/?programme={programme.pk}" if programme else "",
        f"/milestones/programmes/{programme.pk}/" if programme else "",
    ]
    return [url for url in urls if url]


def explain(sql: str, *, rows: int, verbose: bool) -> int:
    """Print the plan's verdict for one SELECT; how many scans it flags."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    root = plan[0]["Plan"]
    # A sequential scan is flagged when it reads many rows and keeps under a
    # tenth of them: then an index would have read less. One that keeps more
    # (a system that is a third of its table here) is the planner's right choice.
    scans = [
        n
        for n in walk(root)
        if n["Node Type"] == "Seq Scan"
        and n.get("Actual Rows", 0) + n.get("Rows Removed by Filter", 0) > rows
        and n.get("Rows Removed by Filter", 0) > 9 * n.get("Actual Rows", 0)
    ]
    mark = "SEQ SCAN" if scans else "ok"
    print(f"  [{mark:>8}] {plan[0].get('Execution Time', 0):7.1f} ms  {sql[:110]}")
    for node in scans:
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        print(
            f"             seq scan of {node['Relation Name']} reading {read} rows"
            f" (filter: {node.get('Filter', '-')[:100]})"
        )
    if verbose:
        print(json.dumps(root, indent=1)[:4000])
    return len(scans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rows", type=int, default=2000, help="flag seq scans over this")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--systems", type=int, default=1, help="systems of this scale")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the plans are PostgreSQL's.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from delegation import revisions
    from governance.models import IntegratedCareSystem

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not IntegratedCareSystem.objects.filter(slug="nel").exists():
        call_command("load_demo", verbosity=0)
    lead = get_user_model().objects.get(username="icb.governance")
    system = ensure_systems(scale=args.scale, systems=args.systems, lead=lead)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them
    # Every page built afresh (as a hard reload asks): a page served from the page cache runs no query to explain.
    client = Client(headers={"Cache-Control": "no-cache"})
    client.force_login(lead)
    flagged = 0
    seen: set[str] = set()
    for url in list_urls(system):
        revisions.map_changed(system.pk)  # the matrix built afresh, not served cached
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        print(f"\n{url}  ({status}, {len(selects)} SELECTs)")
        for sql in selects:
            if sql in seen or "django_session" in sql:
                continue
            seen.add(sql)
            flagged += explain(sql, rows=args.rows, verbose=args.verbose)
    print(f"\n{flagged} sequential scan(s) over {args.rows} rows.")
    sys.exit(1 if flagged else 0)


if __name__ == "__main__":
    main()
