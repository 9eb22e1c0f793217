"""Time how long a hostile upload costs before it is refused: the 290 KB workbook that
unpacks to 98 MB, as the milestone import and the map import read it.

    .venv/bin/python bench/bench_upload_bomb.py

Prints seconds per refusal (best of three); the goal is well under one second.
"""

from __future__ import annotations

import io
import os
import sys
import time


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")
    import django

    django.setup()
    from delegation import import_rows
    from ics_portal import uploads
    from milestones import spreadsheets
    from tests.bombs import xlsx_bomb

    milestone_bomb = xlsx_bomb(["title", "owner_body", "status"], ["Bomb", "tht", "underway"])
    map_bomb = xlsx_bomb(list(import_rows.COLUMNS), ["x"] * len(import_rows.COLUMNS))
    cases = {
        "milestones": lambda: spreadsheets.read_rows("bomb.xlsx", milestone_bomb),
        "map": lambda: import_rows.read_table(io.BytesIO(map_bomb), "bomb.xlsx"),
    }
    for name, read in cases.items():
        best, message = float("inf"), ""
        for _ in range(3):
            start = time.perf_counter()
            try:
                read()
            except uploads.FileRefused as refused:
                message = str(refused)
            best = min(best, time.perf_counter() - start)
        size = len(milestone_bomb if name == "milestones" else map_bomb) / 1024
        print(f"{name}: {size:.0f} KB workbook refused in {best:.3f} s: {message}")


if __name__ == "__main__":
    main()
