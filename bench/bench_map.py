"""Time the decision map: the matrix page at 1x (NEL demo) and 10x, and a 2,000-row import.

    .venv/bin/python bench/bench_map.py            # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_map.py --keep-db

Without --keep-db it builds a fresh database in a temporary directory, so it never
touches your own data. Prints server time (best of five) and query count per page.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Run as a script: the repository root is not on the path until this line.
from bench.common import big_system, setup_django


def measure(client: Any, url: str) -> tuple[float, int]:
    """Best server time of five GETs (after one to warm up) and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    best, queries = float("inf"), 0
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        best, queries = min(best, elapsed), len(captured.captured_queries)
    return best, queries


def time_pages(client: Any, big: Any, scale: int) -> None:
    """The map pages of the demo and of the synthetic system."""
    from django.urls import reverse

    from delegation.models import MapEntry

    pages = {
        "matrix": lambda slug: reverse("delegation:matrix", args=[slug]),
        "entry_list": lambda slug: reverse("delegation:entry_list", args=[slug]),
        # Every entry on one page, so the 10x page really holds ten times the rows.
        "API map-entries": lambda slug: f"/api/v1/map-entries/?system={slug}&page_size=500",
    }
    print(f"{'page':<40}{'entries':>9}{'ms':>10}{'queries':>9}")
    for label, system in (("NEL demo (1x)", "nel"), (f"synthetic ({scale}x)", big.slug)):
        entries = MapEntry.objects.filter(function__system__slug=system).count()
        for name, url in pages.items():
            ms, queries = measure(client, url(system))
            page = f"{name} {label}"
            print(f"{page:<40}{entries:>9}{ms * 1000:>10.1f}{queries:>9}")


def import_workbook(*, rows: int, scale: int) -> bytes:
    """An XLSX of ``rows`` new delegations of the synthetic catalogue to its places."""
    from openpyxl import Workbook

    from delegation import spreadsheets

    header = list(spreadsheets.COLUMNS)
    workbook = Workbook()
    workbook.active.append(header)
    functions = 26 * scale
    for i in range(rows):
        code, place = f"B-{i % functions + 1}", f"place-{(i // functions) + 3}"
        row = dict.fromkeys(header, "")
        row.update(
            {
                "reference": f"{code}/{place}",
                "delegated to body": place,
                "form": "Committee of the ICB",
                "decision right": "Decides",
                "budget": str(1000 + i),
                "effective from": "2025-04-01",
                "status": "In force",
            }
        )
        workbook.active.append([row[c] for c in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def time_import(big: Any, lead: Any, data: bytes, rows: int) -> None:
    """The path the import page takes: check (read and dry run), then the import task."""
    from delegation import imports

    start = time.perf_counter()
    job = imports.check(system=big, user=lead, filename="bench.xlsx", content=data)
    checked = time.perf_counter()
    if not job.importable:
        print("import refused:", imports.refused_rows(job)[:5])
        return
    imports.start(job)
    imports.run(job.pk)
    job.refresh_from_db()
    done = time.perf_counter()
    print(
        f"XLSX import of {rows} rows ({len(data) / 1024:.0f} KB): check (read and dry run) "
        f"{checked - start:.2f} s, import {done - checked:.2f} s, total {done - start:.2f} s; "
        f"{job.state}: {job.result or job.error}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    setup_django(keep_db=args.keep_db)
    from django.contrib.auth import get_user_model
    from django.test import Client

    lead = get_user_model().objects.get(username="icb.governance")
    big = big_system(scale=args.scale, lead=lead)
    # Every page built afresh (as a hard reload asks): they time building the page.
    client = Client(headers={"Cache-Control": "no-cache"})
    client.force_login(lead)
    time_pages(client, big, args.scale)
    time_import(big, lead, import_workbook(rows=args.rows, scale=args.scale), args.rows)


if __name__ == "__main__":
    main()
