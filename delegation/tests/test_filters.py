"""The map API's filters narrow what the persona may see; a value that is not one
answers 400 in the API's error shape, naming the parameter."""

from __future__ import annotations

import pytest

from delegation import selectors
from delegation.filters import ConditionFilter, MapEntryFilter
from delegation.models import Condition, MapEntry
from delegation.tests import helpers as h

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["next"] is None, "raise page_size: the test must see every row"
    return {row["id"] for row in data["results"]}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/map-entries/", {"level": "everywhere"}, "level"),
        ("/api/v1/map-entries/", {"status": "maybe"}, "status"),
        ("/api/v1/map-entries/", {"function": "F-01"}, "function"),
        ("/api/v1/map-entries/", {"body_kind": "castle"}, "body_kind"),
        ("/api/v1/conditions/", {"category": "whim"}, "category"),
        ("/api/v1/conditions/", {"overdue": "sometimes"}, "overdue"),
        ("/api/v1/conditions/", {"map_entry": "one"}, "map_entry"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(path, params, field, api_as):
    response = api_as("icb.governance").get(path, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert list(error["fields"]) == [field]


def test_entries_filter_by_system_body_and_code_within_what_is_visible(api_as):
    lead = api_as("icb.governance")
    entry = h.in_force("F-01", "tht")
    found = _ids(
        lead.get("/api/v1/map-entries/", {"function_code": "f-01", "receiving_body": "tht"})
    )
    assert entry.pk in found
    assert all(MapEntry.objects.get(pk=pk).receiving_body.slug == "tht" for pk in found)
    # Another system's slug narrows to nothing, exactly like an unknown one.
    sel_lead = api_as("sel.governance")
    assert _ids(sel_lead.get("/api/v1/map-entries/", {"system": "nel"})) == set()
    assert _ids(sel_lead.get("/api/v1/map-entries/", {"system": "nowhere"})) == set()


def test_conditions_filter_by_owner_and_overdue():
    # The API's queryset carries each condition's latest status, which "overdue" reads.
    conditions = selectors.with_latest_status(Condition.objects.all())
    tht = ConditionFilter({"owner_body": "tht"}, queryset=conditions).qs
    assert h.tht_condition() in tht and h.newham_condition() not in tht
    overdue = set(ConditionFilter({"overdue": "true"}, queryset=conditions).qs)
    not_overdue = set(ConditionFilter({"overdue": "false"}, queryset=conditions).qs)
    assert not overdue & not_overdue
    assert overdue | not_overdue == set(conditions)


def test_the_entry_filter_set_refuses_an_unknown_level():
    filtered = MapEntryFilter({"level": "everywhere"}, queryset=MapEntry.objects.all())
    assert not filtered.is_valid()
    assert list(filtered.errors) == ["level"]
