"""The route-coverage table: expected access to every URL of the project, per persona.

Each app lists its rows in ``<app>/tests/route_access.py`` as ``ROUTES``. The test in
``tests/test_route_coverage.py`` fails when a URL pattern has no row, and requests
every row as every persona (and anonymously) to check the status code.

A row names the URL (``namespace:name``), how to fill its arguments from the demo
data, the method, and the status each persona gets. Use the helpers below so a row
reads like the rule it checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "icb.governance",
    "tht.office",
    "tht.board",
    "newham.office",
    "sel.governance",
    "viewer",
)
ANONYMOUS = None
LOGIN_REDIRECT = 302


@dataclass(frozen=True)
class Route:
    name: str
    # Called inside the test (database available) to build the URL's arguments.
    kwargs: Callable[[], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)
    method: str = "GET"
    # persona username (or ANONYMOUS) -> expected HTTP status
    expect: dict[str | None, int] = field(default_factory=dict)
    # form or JSON body for writes; a callable is called inside the test
    data: Callable[[], dict[str, Any]] | dict[str, Any] | None = None
    json: bool = False
    # a short id for the test report when one name has several rows
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"


def everyone(status: int, *, anonymous: int = LOGIN_REDIRECT, **overrides: int) -> dict:
    """The same status for every persona; ``overrides`` by username with dots as '_'."""
    expect: dict[str | None, int] = dict.fromkeys(PERSONAS, status)
    for key, value in overrides.items():
        expect[key.replace("_", ".")] = value
    expect[ANONYMOUS] = anonymous
    return expect
