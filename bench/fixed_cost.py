"""The fixed cost of an authenticated request: a short API list, served in process.

    .venv/bin/python bench/fixed_cost.py                 # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/fixed_cost.py --keep-db

Issue 13's target is 15 ms for a 7-row API list. At that size the rows cost little, so
what is measured is what every request pays: the session or token, the one permission
scope, middleware, the serializer set-up. Prints the median and the 90th percentile of
``--requests`` calls after a warm-up, and the SQL queries each call makes, for a few
short lists: served from the page cache (a client polling a list) and built afresh. Figures are for comparing runs on one machine; no test asserts them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Run as a script: the repository root is not on the path until the line above.
from bench.common import setup_django


def setup(keep_db: bool) -> None:
    # Debug mode keeps every query and template in memory; production does not.
    os.environ.setdefault("DEBUG", "0")
    # 1,200 calls a minute as one person is the API's rate limit, met here at once: this
    # measures the lists, not the limit. The window is a second so DRF's list of
    # timestamps stays as short as production's (see load.py).
    os.environ.setdefault("API_THROTTLE_USER", "1000000/second")
    setup_django(keep_db=keep_db)
    if keep_db:
        from django.core.management import call_command

        from governance.models import IntegratedCareSystem

        call_command("migrate", verbosity=0)
        if not IntegratedCareSystem.objects.filter(slug="nel").exists():
            call_command("load_demo", verbosity=0)


def lists() -> list[tuple[str, str]]:
    """(label, path) of short API lists of the demo."""
    from milestones.models import Programme

    tht = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    return [
        ("API milestones of THT, 7 rows", f"/api/v1/milestones/?programme={tht.pk}&page_size=7"),
        ("API systems", "/api/v1/systems/"),
        ("API bodies of NEL", "/api/v1/bodies/?system=nel"),
        ("healthz/live (no auth, no database)", "/healthz/live"),
    ]


def measure(path: str, requests: int, token: str, fresh: bool) -> tuple[float, float, int, int]:
    """``fresh``: every call asks for the list built afresh (Cache-Control: no-cache),
    so the page cache answers none of them; otherwise the calls after the first are
    served from it, as a client polling a list is."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}
    if fresh:
        headers["Cache-Control"] = "no-cache"
    client = Client(headers=headers)
    for _ in range(10):  # warm caches, templates and the connection
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    p90 = timings[int(len(timings) * 0.9)]
    return statistics.median(timings), p90, len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    setup(args.keep_db)
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    lead = get_user_model().objects.get(username="icb.governance")
    token, _ = Token.objects.get_or_create(user=lead)
    print(f"{args.requests} requests each as icb.governance (token), in process\n")
    print(f"{'':<55}{'-- kept --':^27}{'-- built afresh --':^27}")
    print(f"{'list':<48}{'status':>7}" + f"{'p50 ms':>9}{'p90 ms':>9}{'queries':>9}" * 2)
    for label, path in lists():
        columns = ""
        for fresh in (False, True):
            p50, p90, queries, status = measure(path, args.requests, token.key, fresh)
            columns += f"{p50:>9.1f}{p90:>9.1f}{queries:>9}"
        print(f"{label:<48}{status:>7}{columns}", flush=True)
    print("\nTarget (issue 13): a 7-row API list at most 15 ms.")


if __name__ == "__main__":
    main()
