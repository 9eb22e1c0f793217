"""The milestones API's filters narrow what the persona may see; a value that is not
one (a quarter, a status, a boolean) answers 400 in the API's error shape."""

from __future__ import annotations

import datetime as dt

import pytest

from ics_portal.quarters import parse_quarter
from milestones.filters import MilestoneFilter, ProgrammeFilter
from milestones.models import Milestone, Programme


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["next"] is None, "raise page_size: the test must see every row"
    return {row["id"] for row in data["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quarter": "Q5 2022/23"}, "quarter"),
        ({"status": "done-ish"}, "status"),
        ({"overdue": "sometimes"}, "overdue"),
        ({"programme": "tht"}, "programme"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(params, field, api_as):
    response = api_as("icb.governance").get("/api/v1/milestones/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert list(error["fields"]) == [field]


def test_quarter_and_status_narrow_the_list(api_as, make):
    quarter = parse_quarter("Q2 2030/31")
    inside = make("Inside", due_date=quarter.first_day + dt.timedelta(days=3))
    outside = make("Outside", due_date=quarter.last_day + dt.timedelta(days=1))
    found = _ids(
        api_as("icb.governance").get(
            "/api/v1/milestones/", {"quarter": "Q2 2030/31", "page_size": 500}
        )
    )
    assert inside.pk in found and outside.pk not in found
    statuses = {"status": ["complete"], "page_size": 500}
    complete = _ids(api_as("icb.governance").get("/api/v1/milestones/", statuses))
    assert set(Milestone.objects.filter(pk__in=complete).values_list("status", flat=True)) <= {
        "complete"
    }


def test_another_systems_milestones_stay_out_whatever_the_filter(api_as, tht_programme):
    found = _ids(
        api_as("sel.governance").get(
            "/api/v1/milestones/", {"programme": tht_programme.pk, "page_size": 500}
        )
    )
    assert found == set()


def test_lead_and_overdue_filter_on_the_filter_set(make, persona):
    office = persona("tht.office")
    past = make("Past", due_date=dt.date.today() - dt.timedelta(days=3), lead_user=office)
    queryset = Milestone.objects.filter(pk=past.pk)
    assert list(MilestoneFilter({"lead": "tht.office"}, queryset=queryset).qs) == [past]
    assert list(MilestoneFilter({"lead": str(office.pk)}, queryset=queryset).qs) == [past]
    assert list(MilestoneFilter({"overdue": "true"}, queryset=queryset).qs) == [past]
    assert list(MilestoneFilter({"overdue": "false"}, queryset=queryset).qs) == []


def test_programmes_filter_by_system(tht_programme):
    nel = ProgrammeFilter({"system": "nel"}, queryset=Programme.objects.all()).qs
    sel = ProgrammeFilter({"system": "sel"}, queryset=Programme.objects.all()).qs
    assert tht_programme in nel and tht_programme not in sel
