"""Whole numbers typed by people: ids in query strings, form fields and spreadsheet cells."""

from __future__ import annotations

import re

# ASCII digits only: ``str.isdigit`` also accepts "²" and other digits that ``int``
# refuses, which turned typed-in junk into server errors. Eighteen digits keep the
# number inside PostgreSQL's bigint.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")

# Ids are positive and fit PostgreSQL's bigint (SQLite's integer): a larger number is
# not an id, and reaching the database with it is a server error ("int too large").
ID_MAX = 2**63 - 1


def as_id(text: object) -> int | None:
    """The whole number ``text`` spells, or None when it spells none."""
    if isinstance(text, str) and _WHOLE_NUMBER.fullmatch(text):
        return int(text)
    return None
