"""Checks on what people type that every form, serializer and import shares.

- Dates: a scheme of delegation, a review or a milestone falls within a window a
  person means (a year typed as 0001 or 9999 is a slip). Dates far outside it also
  break quarter and calendar arithmetic further on.
- Names: Unicode bidirectional controls (U+202A to U+202E, U+2066 to U+2069) make text show
  in another order than it is stored ("Trojan Source"): a body's name on a board paper
  could read differently from what was approved. Plain right-to-left text needs none
  of them, so names refuse them rather than strip them silently.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

EARLIEST_DATE = dt.date(1948, 7, 5)  # the NHS's first day: nothing it governs is older
LATEST_DATE = dt.date(2199, 12, 31)

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_sane_date(value: dt.date | None) -> None:
    if value is None:
        return
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Give a date between %(first)s and %(last)s.",
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.strftime("%-d %B %Y"), "last": LATEST_DATE.year},
        )


def validate_no_bidi_controls(value: str | None) -> None:
    if value and _BIDI_CONTROLS.search(value):
        raise ValidationError(
            "Remove the invisible text-direction characters (U+202A to U+202E, "
            "U+2066 to U+2069): they make a name display differently from what is stored.",
            code="bidi_control",
        )
