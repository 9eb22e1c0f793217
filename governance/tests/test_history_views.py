"""A body's History page, and the governance lead's changes in the system with its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Body, Membership, Organisation
from ics_portal.history.door import Door, history_context

pytestmark = pytest.mark.django_db

CHANGES = reverse("governance:system_changes", args=["nel"])
CSV = reverse("governance:system_changes_csv", args=["nel"])


@pytest.fixture
def tht() -> Body:
    return Body.objects.get(system__slug="nel", slug="tht")


def _rename(body: Body, name: str, by, door: str = Door.PAGE) -> None:
    with history_context(door, user=by):
        services.body_update(body=body, chair_name=name)


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_body_history_lists_the_body_and_its_memberships(client_as, tht, persona):
    _rename(tht, "A new chair", persona("icb.governance"))
    seat = Membership.objects.filter(body=tht).first()
    services.membership_end(membership=seat, end_date=timezone.localdate())
    html = client_as("tht.board").get(reverse("governance:body_history", args=["nel", "tht"])).text
    assert "Chair name" in html and "A new chair" in html
    assert "Membership" in html and "End date" in html


def test_the_lead_sees_changes_with_person_kind_and_window(client_as, tht, persona):
    lead, office = persona("icb.governance"), persona("tht.office")
    _rename(tht, "Chair by the lead", lead)
    _rename(tht, "Chair by the office", office, door=Door.API)
    client = client_as("icb.governance")

    everything = client.get(CHANGES).text
    assert "Chair by the lead" in everything and "Chair by the office" in everything

    by_office = client.get(CHANGES, {"person": office.pk}).text
    assert "Chair by the office" in by_office
    # The lead's change (through a page) is not the office's: only as the value before.
    assert "through the API" in by_office and "through a web page" not in by_office

    kinds = client.get(CHANGES, {"kind": "governance.membership"}).text
    assert "Chair by the lead" not in kinds

    long_ago = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    earlier = client.get(CHANGES, {"start": long_ago, "end": long_ago}).text
    assert "Chair by the lead" not in earlier


def test_a_backwards_window_is_explained_not_failed(client_as):
    response = client_as("icb.governance").get(
        CHANGES, {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "cannot be before its start" in response.text
    assert client_as("icb.governance").get(CSV, {"start": "nonsense"}).status_code == 400


def test_other_systems_changes_stay_out(client_as, persona):
    lambeth = Body.objects.get(system__slug="sel", slug="lambeth-together")
    _rename(lambeth, "SEL chair", persona("sel.governance"))
    assert "SEL chair" not in client_as("icb.governance").get(CHANGES).text
    assert (
        "SEL chair"
        in client_as("sel.governance").get(reverse("governance:system_changes", args=["sel"])).text
    )


def test_csv_has_a_row_per_field_and_never_a_live_formula(client_as, persona):
    barts = Organisation.objects.get(name="Barts Health NHS Trust")
    with history_context(Door.ADMIN, user=persona("icb.governance")):
        barts.short_name = "=HYPERLINK(1)"
        barts.save()
    rows = _csv(client_as("icb.governance").get(CSV))
    row = next(r for r in rows if r["Field"] == "Short name" and r["Record"] == barts.name)
    assert row["After"] == "'=HYPERLINK(1)"
    assert row["Door"] == "Admin" and row["Kind"] == "Organisation"
    assert row["Action"] == "Changed"


def test_the_changes_page_costs_the_same_queries_for_10_or_100_changes(client_as, tht, persona):
    lead = persona("icb.governance")
    client = client_as("icb.governance")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGES).status_code == 200
        return len(queries)

    for n in range(10):
        _rename(tht, f"Chair {n}", lead)
    ten = count()
    for n in range(10, 100):
        _rename(tht, f"Chair {n}", lead)
    assert count() == ten
