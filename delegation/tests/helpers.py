"""Shared lookups for the map's tests (the demo is loaded once per session)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from delegation.models import Condition, EntryStatus, Function, MapEntry, MapVersion
from governance.models import Body, IntegratedCareSystem


def nel() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(slug="nel")


def sel() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(slug="sel")


def body(slug: str, system: str = "nel") -> Body:
    return Body.objects.get(system__slug=system, slug=slug)


def function(code: str, system: str = "nel") -> Function:
    return Function.objects.get(system__slug=system, code=code)


def in_force(code: str, body_slug: str | None, system: str = "nel") -> MapEntry:
    return (
        MapEntry.objects.get(
            function__system__slug=system,
            function__code=code,
            receiving_body__slug=body_slug,
            status=EntryStatus.IN_FORCE,
        )
        if body_slug
        else MapEntry.objects.get(
            function__system__slug=system,
            function__code=code,
            receiving_body__isnull=True,
            status=EntryStatus.IN_FORCE,
        )
    )


def tht_condition() -> Condition:
    return Condition.objects.filter(owner_body__slug="tht", owner_body__system__slug="nel").first()


def newham_condition() -> Condition:
    return Condition.objects.filter(owner_body__slug="newham").first()


def sel_condition() -> Condition:
    return Condition.objects.filter(map_entry__function__system__slug="sel").first()


def v1() -> MapVersion:
    return MapVersion.objects.get(system__slug="nel", label="v1.0")


def sel_entry() -> MapEntry:
    return MapEntry.objects.filter(function__system__slug="sel").first()


def other_place() -> Body:
    """A NEL place partnership that is not THT."""
    return (
        Body.objects.filter(system__slug="nel", kind="place_partnership")
        .exclude(slug="tht")
        .order_by("name")
        .first()
    )


def body_of_kind(kind: str, system: str = "nel") -> Body:
    return Body.objects.filter(system__slug=system, kind=kind).order_by("name").first()


def map_csv(*rows: dict[str, str]) -> bytes:
    """A map spreadsheet as CSV: the SoRD columns, then one line per row, blank where a
    row names no value for a column."""
    import csv
    import io

    from delegation import spreadsheets

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spreadsheets.COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in spreadsheets.COLUMNS])
    return buffer.getvalue().encode()


def staged_import() -> str:
    """A file checked by the governance lead, ready to import: its job's token."""
    from django.contrib.auth import get_user_model

    from delegation import imports

    content = map_csv(
        {
            "reference": "KF-07/tht",
            "delegated to body": "tht",
            "effective from": "2025-04-01",
            "status": "Proposed",
        }
    )
    job = imports.check(
        system=nel(),
        user=get_user_model().objects.get(username="icb.governance"),
        filename="map.csv",
        content=content,
    )
    assert job.importable, job.plan
    return job.token


def queries_of(client, url: str, **extra) -> int:
    """The SQL statements a GET of ``url`` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return len(queries)
