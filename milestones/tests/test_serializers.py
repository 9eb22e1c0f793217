"""Milestone serializers: what a row says; a patch turns a quarter into its last day,
refuses a date and a quarter together, and names only leads the caller may see; a bulk
update needs a change and a version for every id."""

from __future__ import annotations

from rest_framework.test import APIRequestFactory

from ics_portal.quarters import parse_quarter
from milestones.serializers import (
    BulkUpdateSerializer,
    MilestonePatchSerializer,
    MilestoneSerializer,
    ProgrammeSerializer,
)


def _context(user) -> dict:
    request = APIRequestFactory().get("/api/v1/")
    request.user = user
    return {"request": request}


def test_a_milestone_row_is_read_only_and_says_its_owner_and_lead(tht_milestone):
    serializer = MilestoneSerializer(tht_milestone)
    assert all(f.read_only for f in serializer.fields.values())
    data = serializer.data
    assert data["owner_body_name"] == tht_milestone.owner_body.name
    assert data["lead"] == tht_milestone.lead_display
    assert data["version"] == tht_milestone.version


def test_a_programme_names_its_system(tht_programme):
    assert ProgrammeSerializer(tht_programme).data["system"] == "nel"


def test_a_patch_turns_a_quarter_into_its_last_day(persona):
    patch = MilestonePatchSerializer(
        data={"due_quarter": "Q3 2030/31", "note": "moved", "version": 2},
        context=_context(persona("tht.office")),
    )
    assert patch.is_valid(), patch.errors
    assert patch.changes() == {
        "due_date": parse_quarter("Q3 2030/31").last_day,
        "due_by_quarter": True,
    }


def test_a_patch_refuses_a_date_and_a_quarter_and_a_bad_quarter(persona):
    context = _context(persona("tht.office"))
    both = MilestonePatchSerializer(
        data={"due_date": "2030-06-30", "due_quarter": "Q1 2030/31"}, context=context
    )
    assert not both.is_valid() and list(both.errors) == ["due_quarter"]
    bad = MilestonePatchSerializer(data={"due_quarter": "Q5 2030/31"}, context=context)
    assert not bad.is_valid() and list(bad.errors) == ["due_quarter"]


def test_a_patch_names_only_leads_the_caller_may_see(persona):
    office = persona("tht.office")
    refused = MilestonePatchSerializer(
        data={"lead_user": office.pk}, context=_context(persona("sel.governance"))
    )
    assert not refused.is_valid() and list(refused.errors) == ["lead_user"]
    allowed = MilestonePatchSerializer(
        data={"lead_user": office.pk}, context=_context(persona("icb.governance"))
    )
    assert allowed.is_valid(), allowed.errors


def test_a_bulk_update_needs_a_change_and_every_version():
    nothing = BulkUpdateSerializer(data={"ids": [1], "versions": {"1": 1}})
    assert not nothing.is_valid()
    missing = BulkUpdateSerializer(data={"ids": [1, 2], "status": "underway", "versions": {"1": 3}})
    assert not missing.is_valid() and "versions" in missing.errors
    ok = BulkUpdateSerializer(data={"ids": [1], "progress": 50, "versions": {"1": 3}})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data["versions"] == {1: 3}
