"""Milestones keep a history beside their update log: every field, every door."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ics_portal.history.door import Door
from milestones import services
from milestones.models import Milestone, MilestoneUpdate
from milestones.spreadsheets import COLUMNS, import_milestones, read_rows
from tests.forms import form_fields

pytestmark = pytest.mark.django_db


def _newest(milestone: Milestone):
    return milestone.history.latest("history_id")


def test_the_edit_form_leaves_a_history_record_of_the_description(client_as, tht_milestone):
    # The update log records status, progress, due date and lead; the history has the rest.
    client = client_as("tht.office")
    url = reverse("milestones:edit", args=[tht_milestone.pk])
    # Every field as the form shows it, the description changed.
    data = form_fields(client.get(url).text)
    data["description"] = "Written on the edit form"
    log_before = MilestoneUpdate.objects.filter(milestone=tht_milestone).count()
    assert client.post(url, data).status_code == 302
    record = _newest(tht_milestone)
    assert record.description == "Written on the edit form"
    assert record.history_door == Door.PAGE
    assert record.history_user.username == "tht.office"
    # The update log is as users know it: nothing logged for a description.
    assert MilestoneUpdate.objects.filter(milestone=tht_milestone).count() == log_before
    html = client.get(reverse("milestones:history", args=[tht_milestone.pk])).text
    assert "Description" in html and "Written on the edit form" in html


def test_bulk_update_leaves_a_record_per_milestone_naming_the_door(persona, make):
    office = persona("tht.office")
    first, second = make("Bulk one"), make("Bulk two")
    services.milestone_bulk_update(
        milestones=[first, second], by=office, status="underway", note="Together"
    )
    for milestone in (first, second):
        record = _newest(milestone)
        assert (record.status, record.history_door, record.history_user_id) == (
            "underway",
            Door.BULK,
            office.pk,
        )


def test_an_import_names_its_door_and_its_person(tht_programme, persona, tht_milestone):
    office = persona("tht.office")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow({"id": tht_milestone.pk, "progress": "41", "status": "underway"})
    result = import_milestones(
        programme=tht_programme,
        by=office,
        rows=read_rows("m.csv", out.getvalue().encode()),
        dry_run=False,
    )
    assert result.applied, result.errors
    record = _newest(tht_milestone)
    assert (record.progress, record.history_door, record.history_user_id) == (
        41,
        Door.IMPORT,
        office.pk,
    )


def test_a_rolled_up_parent_progress_is_recorded(persona, make):
    parent = make("Parent")
    child = make("Child", parent=parent)
    services.milestone_update(milestone=child, by=persona("tht.office"), version=None, progress=50)
    parent.refresh_from_db()
    assert _newest(parent).progress == parent.progress == 50


def test_milestone_history_api_and_page_scoped_like_the_milestone(api_as, client_as, tht_milestone):
    url = f"/api/v1/milestones/{tht_milestone.pk}/history/"
    assert api_as("sel.governance").get(url).status_code == 404
    assert (
        client_as("sel.governance")
        .get(reverse("milestones:history", args=[tht_milestone.pk]))
        .status_code
        == 404
    )
    assert api_as("tht.board").get(url).status_code == 200


def test_changing_dependencies_leaves_one_record_naming_them(persona, make, client_as):
    office = persona("tht.office")
    first, second = make("First step"), make("Second step")
    later = make("Later step", dependencies=[first])
    assert later.history.count() == 1  # created with its dependency, in one record
    seen = later.history.count()
    services.milestone_update(
        milestone=later, by=office, version=None, dependencies=[first, second]
    )
    assert later.history.count() == seen + 1
    html = client_as("tht.office").get(reverse("milestones:history", args=[later.pk])).text
    assert "Dependencies" in html
    assert "First step; Second step" in html
