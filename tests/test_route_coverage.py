"""Every URL of the project has a row of expected access per persona, and holds to it."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.routes import ANONYMOUS, PERSONAS, Route

APPS = ("governance", "delegation", "milestones", "papers", "ics_portal")


def _table() -> list[Route]:
    rows: list[Route] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.route_access")
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROUTES)
    return rows


TABLE = _table()


def _patterns(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name
            full = f"{namespace}:{name}" if namespace and name else name
            yield full, prefix + str(entry.pattern)


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in TABLE}
    missing = []
    for name, pattern in _patterns(get_resolver()):
        # The Django admin builds a page per model; its gate is the admin site's one
        # has_permission, which the rows for admin:index check for every persona.
        # Its catch-all patterns (``admin/<app>/<model>/<path:object_id>/``) are unnamed.
        if (name and name.startswith("admin:")) or pattern.startswith("admin/"):
            continue
        if name is None:
            missing.append(f"unnamed pattern {pattern!r}: give it a name and a row")
        elif name not in covered:
            missing.append(f"{name} ({pattern})")
    assert "admin:index" in covered
    assert not missing, "Routes without a row in the route-coverage table:\n" + "\n".join(
        sorted(set(missing))
    )


def test_every_row_names_every_persona():
    for row in TABLE:
        assert set(row.expect) == {*PERSONAS, ANONYMOUS}, row.id


def _cases():
    for row in TABLE:
        for who in (*PERSONAS, ANONYMOUS):
            yield pytest.param(row, who, id=f"{row.id} as {who or 'anonymous'}")


@pytest.mark.parametrize(("row", "who"), list(_cases()))
def test_route_answers_each_persona_as_the_table_says(row: Route, who, client_as, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
    url = reverse(row.name, kwargs=kwargs)
    client = client_as(who)
    data = row.data() if callable(row.data) else row.data
    send = getattr(client, row.method.lower())
    if row.json:
        response = send(url, data=data or {}, content_type="application/json")
    elif data is not None:
        response = send(url, data=data)
    else:
        response = send(url)
    assert response.status_code == row.expect[who], (
        f"{row.method} {url} as {who or 'anonymous'}: "
        f"got {response.status_code}, table says {row.expect[who]}"
    )


def test_the_table_runs_against_the_configured_database():
    # Guard against a table that silently runs nothing.
    assert TABLE
    assert settings.ROOT_URLCONF == "ics_portal.urls"
