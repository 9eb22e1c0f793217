"""Writes to the map: supersede, revoke, assess, publish — and refusals change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from delegation import selectors, services
from delegation.models import (
    AssessmentStatus,
    ConditionAssessment,
    ConditionCategory,
    EntryStatus,
    MapEntry,
    MapVersion,
)
from delegation.tests import helpers as h


def test_supersede_keeps_old_entry_and_links_it(db, persona):
    old = h.in_force("F-01", "tht")
    conditions = set(old.conditions.values_list("pk", flat=True))
    new = services.map_entry_supersede(entry=old, delegated_budget=Decimal("50000000"))
    old.refresh_from_db()
    assert old.status == EntryStatus.SUPERSEDED
    assert old.superseded_by == new
    assert old.delegated_budget != new.delegated_budget
    assert new.status == EntryStatus.IN_FORCE
    assert set(new.conditions.values_list("pk", flat=True)) == conditions
    assert selectors.entry_history(new)[0] == old


def test_supersede_refuses_an_entry_not_in_force(db):
    revoked = MapEntry.objects.filter(status=EntryStatus.REVOKED).first()
    with pytest.raises(ValidationError):
        services.map_entry_supersede(entry=revoked)


def test_supersede_is_atomic_when_new_entry_is_invalid(db):
    old = h.in_force("F-01", "tht")
    with pytest.raises(ValidationError):
        services.map_entry_supersede(entry=old, delegated_budget=Decimal("-5"))
    old.refresh_from_db()
    assert old.status == EntryStatus.IN_FORCE
    assert old.superseded_by is None


def test_revoke_and_closed_entries_never_change(db):
    entry = h.in_force("F-04", "tht")
    services.map_entry_revoke(entry=entry, note="Withdrawn")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVOKED
    with pytest.raises(ValidationError):
        services.map_entry_update(entry=entry, notes="changed")
    with pytest.raises(ValidationError):
        services.map_entry_revoke(entry=entry)


def test_update_refuses_unknown_fields_and_closing_status(db):
    entry = h.in_force("F-04", "tht")
    with pytest.raises(ValidationError):
        services.map_entry_update(entry=entry, function=h.function("F-05"))
    with pytest.raises(ValidationError):
        services.map_entry_update(entry=entry, status=EntryStatus.REVOKED)


def test_condition_owner_must_be_in_the_same_system(db):
    with pytest.raises(ValidationError) as error:
        services.condition_create(
            map_entry=h.in_force("F-01", "tht"),
            category=ConditionCategory.QUALITY,
            requirement="x",
            owner_body=h.body_of_kind("place_partnership", system="sel"),
        )
    assert "same system" in str(error.value)


def test_assessment_appends_and_latest_wins(db, persona):
    condition = h.tht_condition()
    before = ConditionAssessment.objects.filter(condition=condition).count()
    for status, note in ((AssessmentStatus.MET, ""), (AssessmentStatus.NOT_MET, "Missing")):
        services.condition_assess(
            condition=condition,
            kind="self",
            status=status,
            note=note,
            assessed_by=persona("tht.office"),
        )
    services.condition_assess(
        condition=condition,
        kind="assured",
        status=AssessmentStatus.PARTLY_MET,
        note="Outcomes framework not yet agreed",
        assessed_by=persona("icb.governance"),
    )
    assert ConditionAssessment.objects.filter(condition=condition).count() == before + 3
    read = selectors.condition_get(persona("tht.office"), condition.pk)
    # The status that counts is the ICB's; the body's own latest view stands beside it.
    assert (read.latest_status, read.self_status) == ("partly_met", "not_met")


def test_assessment_needs_a_note_when_not_met(db, persona):
    condition = h.tht_condition()
    before = condition.assessments.count()
    with pytest.raises(ValidationError):
        services.condition_assess(
            condition=condition,
            kind="self",
            status=AssessmentStatus.NOT_MET,
            assessed_by=persona("tht.office"),
        )
    with pytest.raises(ValidationError):
        services.condition_assess(
            condition=condition,
            kind="self",
            status=AssessmentStatus.NOT_ASSESSED,
            assessed_by=persona("tht.office"),
        )
    assert condition.assessments.count() == before


def test_a_revoked_delegations_conditions_take_no_new_assessment(db, persona):
    condition = h.tht_condition()
    services.map_entry_revoke(entry=condition.map_entry)
    condition.refresh_from_db()
    before = condition.assessments.count()
    with pytest.raises(ValidationError, match="was revoked"):
        services.condition_assess(
            condition=condition,
            kind="self",
            status=AssessmentStatus.MET,
            assessed_by=persona("tht.office"),
        )
    assert condition.assessments.count() == before


def test_unassessed_condition_reads_not_assessed(db, persona):
    condition = services.condition_create(
        map_entry=h.in_force("F-01", "tht"),
        category=ConditionCategory.OTHER,
        requirement="New",
        owner_body=h.body("tht"),
    )
    assert (
        selectors.condition_get(persona("icb.governance"), condition.pk).latest_status
        == "not_assessed"
    )


def test_publish_freezes_the_live_map(db, persona):
    version = services.map_version_publish(
        system=h.nel(),
        label="v2.0",
        approved_by=h.body_of_kind("icb_board"),
        meeting_date=dt.date(2026, 1, 1),
        published_by=persona("icb.governance"),
    )
    count = len(version.rows)
    assert (
        count
        == MapEntry.objects.filter(function__system=h.nel(), status=EntryStatus.IN_FORCE).count()
    )
    services.map_entry_revoke(entry=h.in_force("F-04", "tht"))
    version.refresh_from_db()
    assert len(version.rows) == count


def test_publish_refuses_a_duplicate_label(db, persona):
    before = MapVersion.objects.count()
    with pytest.raises(ValidationError) as error:
        services.map_version_publish(
            system=h.nel(),
            label="V1.0",
            approved_by=h.body_of_kind("icb_board"),
            meeting_date=dt.date(2026, 1, 1),
            published_by=persona("icb.governance"),
        )
    assert "already has a version" in str(error.value)
    assert MapVersion.objects.count() == before


def test_only_the_icb_board_its_committees_or_a_joint_committee_approve_a_version(db, persona):
    from delegation.forms import PublishForm
    from delegation.models import approving_bodies

    before = MapVersion.objects.count()
    pcn = h.body_of_kind("pcn")
    with pytest.raises(ValidationError, match="cannot approve the map"):
        services.map_version_publish(
            system=h.nel(),
            label="v9.9",
            approved_by=pcn,
            meeting_date=dt.date(2026, 1, 1),
            published_by=persona("icb.governance"),
        )
    assert MapVersion.objects.count() == before
    offered = set(PublishForm(system=h.nel()).fields["approved_by"].queryset)
    assert offered == set(approving_bodies(h.nel()))
    assert h.body_of_kind("icb_board") in offered
    assert all(b.kind != "committee" or b.parent.kind == "icb_board" for b in offered)
    assert all(
        b.kind in ("icb_board", "committee") or b.current_form == "joint_committee" for b in offered
    )
    assert pcn not in offered and h.body_of_kind("hwbb") not in offered


def test_demo_is_idempotent(db):
    import io

    from delegation import demo

    before = MapEntry.objects.count()
    demo.load(stdout=io.StringIO())
    assert MapEntry.objects.count() == before


def test_bulk_create_checks_each_entrys_rules(db):
    from delegation.models import Level

    bad = MapEntry(
        function=h.function("KF-07"),
        level=Level.PLACE,
        receiving_body=h.body_of_kind("provider_collaborative"),
        effective_from=dt.date(2025, 4, 1),
        delegated_budget=Decimal("-1"),
    )
    before = MapEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.map_entries_bulk_create(entries=[bad])
    assert "goes to a place-based partnership" in str(error.value)
    assert "cannot be negative" in str(error.value)
    assert MapEntry.objects.count() == before
