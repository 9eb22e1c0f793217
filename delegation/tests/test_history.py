"""The map's records keep their history: every door, every object, readable, scoped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from delegation import import_rows, services
from delegation.models import Condition, EntryStatus, MapEntry
from ics_portal.history.door import Door
from tests.forms import form_fields

from . import helpers as h

pytestmark = pytest.mark.django_db


def _records(entry: MapEntry) -> list:
    return list(entry.history.order_by("history_id"))


def _import(rows: list[dict[str, str]], user) -> dict[str, int]:
    import io

    table = import_rows.read_table(io.BytesIO(h.map_csv(*rows)), "map.csv")
    plan = import_rows.plan_import(h.nel(), table)
    assert plan.ok, [(r.row, r.errors) for r in plan.refused]
    return services.map_import_apply(plan=plan, user=user)


def test_a_map_entry_changed_through_page_api_and_import_names_each_door(
    client_as, api_as, persona
):
    entry = h.in_force("F-04", "tht")
    seen = entry.history.count()
    lead = persona("icb.governance")

    # The page: "Correct this entry", every field as the form shows it, notes changed.
    page = client_as("icb.governance")
    url = f"/map-entries/{entry.pk}/edit/"
    data = form_fields(page.get(url).content.decode())
    data["notes"] = "Corrected on the page"
    response = page.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    # The API.
    response = api_as("icb.governance").patch(
        f"/api/v1/map-entries/{entry.pk}/", {"notes": "Corrected through the API"}, format="json"
    )
    assert response.status_code == 200, response.content

    # An import: a changed row supersedes the entry in force.
    entry.refresh_from_db()
    _import(
        [
            {
                "reference": "F-04/tht",
                "delegated to body": "tht",
                "delegated budget": "12345",
                "governance form": entry.governance_form,
                "effective from": str(entry.effective_from),
                "review by": str(entry.review_by or ""),
                "notes": "Corrected by import",
                "status": "In force",
            }
        ],
        lead,
    )

    changes = _records(entry)[seen:]
    assert [(r.history_door, r.history_user_id) for r in changes] == [
        (Door.PAGE, lead.pk),
        (Door.API, lead.pk),
        # The import supersedes: the old entry is closed, then linked to its successor.
        (Door.IMPORT, lead.pk),
        (Door.IMPORT, lead.pk),
    ]
    assert [r.notes for r in changes[:2]] == ["Corrected on the page", "Corrected through the API"]
    assert changes[-1].status == EntryStatus.SUPERSEDED
    successor = MapEntry.objects.get(pk=changes[-1].superseded_by_id)
    created = successor.history.get()
    assert (created.history_type, created.history_door) == ("+", Door.IMPORT)


def test_new_entries_from_an_import_have_one_creation_record_each(persona):
    lead = persona("icb.governance")
    _import(
        [
            {
                "reference": "KF-07/tht",
                "delegated to body": "tht",
                "effective from": "2025-04-01",
                "status": "Proposed",
            },
            {
                "reference": "KF-06/tht",
                "delegated to body": "tht",
                "effective from": "2025-04-01",
                "status": "Proposed",
            },
        ],
        lead,
    )
    made = MapEntry.objects.filter(
        function__code__in=["KF-07", "KF-06"], receiving_body__slug="tht", status="proposed"
    )
    assert made.count() == 2
    for entry in made:
        record = entry.history.get()
        assert (record.history_type, record.history_door, record.history_user_id) == (
            "+",
            Door.IMPORT,
            lead.pk,
        )


def test_superseding_records_each_condition_moved_to_the_new_entry(persona):
    entry = h.in_force("F-01", "tht")
    moved = list(entry.conditions.values_list("pk", flat=True))
    assert moved
    new = services.map_entry_supersede(entry=entry, notes="Superseded for the history")
    for condition in Condition.objects.filter(pk__in=moved):
        latest = condition.history.latest("history_id")
        assert latest.map_entry_id == new.pk
        assert condition.history.filter(map_entry_id=entry.pk).exists()


def test_entry_history_page_reads_labels_not_codes(client_as, api_as):
    entry = h.in_force("F-04", "tht")
    response = api_as("icb.governance").patch(
        f"/api/v1/map-entries/{entry.pk}/", {"decision_right": "recommends"}, format="json"
    )
    assert response.status_code == 200
    page = client_as("icb.governance").get(f"/map-entries/{entry.pk}/history/")
    html = page.content.decode()
    assert "Decision right" in html
    assert "Recommends" in html and "Decides" in html
    assert ">recommends<" not in html
    assert "through the API" in html


def test_condition_history_shows_its_assessments(client_as, persona):
    condition = h.tht_condition()
    services.condition_assess(
        condition=condition,
        status="met",
        assessed_by=persona("tht.office"),
        kind="self",
        note="",
    )
    html = client_as("icb.governance").get(f"/conditions/{condition.pk}/history/").content.decode()
    assert "Condition assessment" in html and "Met" in html


def test_entry_history_api_is_scoped_like_the_entry(api_as):
    entry = h.in_force("F-04", "tht")
    url = f"/api/v1/map-entries/{entry.pk}/history/"
    assert api_as("viewer").get(url).status_code == 404
    assert api_as("sel.governance").get(url).status_code == 404
    api_as("icb.governance").patch(
        f"/api/v1/map-entries/{entry.pk}/", {"notes": "Seen in the API"}, format="json"
    )
    body = api_as("tht.office").get(url).json()
    newest = body["results"][0]
    assert newest["door"] == "api" and newest["door_label"] == "API"
    assert newest["who"]
    (notes,) = newest["changes"]
    assert (notes["field"], notes["label"], notes["after"]) == ("notes", "Notes", "Seen in the API")


def _history_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_entry_history_page_costs_the_same_queries_for_10_or_100_changes(client_as):
    entry = h.in_force("F-04", "tht")
    url = f"/map-entries/{entry.pk}/history/"
    client = client_as("icb.governance")
    for n in range(10):
        services.map_entry_update(entry=entry, notes=f"Change {n}")
    ten, html = _history_queries(client, url)
    assert "Change 9" in html
    for n in range(10, 100):
        services.map_entry_update(entry=entry, notes=f"Change {n}")
    hundred, html = _history_queries(client, url)
    assert "Change 99" in html
    assert ten == hundred
