"""Time the approval of a delegation proposal of 50 items on the 10x system: every item
applied to the map and a new map version published, in one transaction.

    .venv/bin/python bench/bench_proposals.py            # a throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_proposals.py --keep-db

Prints the approval time (best of --runs, each on a fresh proposal) and its queries.
Target: under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Run as a script: the repository root is not on the path until this line.
from bench.common import setup_django


def draft(place: Any, system: Any, user: Any, items: int) -> Any:
    """A proposal by ``place``: a fifth of the items change its entries, the rest
    delegate functions it does not hold; taken to the board's recommendation."""
    from django.utils import timezone

    from delegation.models import EntryStatus, Function, ItemKind, Level, MapEntry
    from delegation.proposals import services, transitions

    today = timezone.localdate()
    held = MapEntry.objects.filter(receiving_body=place, status=EntryStatus.IN_FORCE)
    changes = list(held[: items // 5])
    free = Function.objects.filter(system=system).exclude(pk__in=held.values("function_id"))[
        : items - len(changes)
    ]
    proposal = services.proposal_create(body=place, title="Benchmark", drafted_by=user)
    for entry in changes:
        services.item_create(
            proposal=proposal, by=user, kind=ItemKind.CHANGE, entry=entry,
            delegated_budget=entry.delegated_budget + 1000,
        )  # fmt: skip
    for function in free:
        services.item_create(
            proposal=proposal, by=user, kind=ItemKind.DELEGATE, function=function,
            level=Level.PLACE, governance_form="committee", effective_from=today,
            delegated_budget=Decimal("250000"),
        )  # fmt: skip
    transitions.proposal_submit(proposal=proposal, by=user)
    transitions.proposal_open_review(proposal=proposal, by=user, review_closes_on=today)
    transitions.proposal_recommend(proposal=proposal, by=user, recommends="approved")
    return proposal


def time_approval(proposal: Any, board: Any, user: Any) -> tuple[float, int]:
    """Seconds and queries of the board's approval of ``proposal``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from delegation.proposals import transitions

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        decision = transitions.proposal_decide(
            proposal=proposal, by=user, outcome="approved", deciding_body=board,
            meeting_date=today - dt.timedelta(days=1), minute_reference="B.1",
        )  # fmt: skip
        elapsed = time.perf_counter() - start
    print(
        f"  {proposal.items.count()} items → {decision.map_version.label}: "
        f"{elapsed * 1000:.0f} ms, {len(queries)} queries"
    )
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django(keep_db=args.keep_db, demo=False)
    from django.contrib.auth import get_user_model

    from bench.make_big_system import make_big_system
    from delegation.models import Function, MapEntry
    from governance.models import Body, BodyKind

    user, _ = get_user_model().objects.get_or_create(username="bench.lead")
    system = make_big_system(scale=args.scale, slug=f"prop{args.scale}x{int(time.time())}")
    board = Body.objects.get(system=system, kind=BodyKind.ICB_BOARD)
    places = list(Body.objects.filter(system=system, kind=BodyKind.PLACE_PARTNERSHIP)[: args.runs])
    print(
        f"System x{args.scale}: {Function.objects.filter(system=system).count()} functions, "
        f"{MapEntry.objects.filter(function__system=system).count()} entries"
    )
    timings = [
        time_approval(draft(place, system, user, args.items), board, user) for place in places
    ]
    best = min(timings)
    verdict = "under" if best[0] < 1 else "OVER"
    print(f"Approval of {args.items} items, best of {len(timings)}: {best[0] * 1000:.0f} ms "
          f"({best[1]} queries) — {verdict} the 1 s target")  # fmt: skip


if __name__ == "__main__":
    main()
