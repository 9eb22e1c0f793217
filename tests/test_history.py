"""The history machinery (ics_portal/history): doors, registration, readable changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from delegation.models import MapEntry
from governance.models import Body, Membership, Organisation
from ics_portal.history.changes import describe, object_records
from ics_portal.history.door import (
    Door,
    current_door,
    current_user,
    door_of_path,
    history_context,
)
from ics_portal.history.pages import safe_cell
from ics_portal.history.records import REGISTRY

# Rows that are themselves records or plumbing, never edited: they need no history.
UNTRACKED = {
    "milestones.milestoneupdate",  # the update log: written once, never changed
    "milestones.digestsent",
    # A job row is the record of one import run (who, when, attempts, outcome); the
    # records it writes carry their own history through the import door.
    "governance.job",
    # The change log the 409 answers are read from: written once, never changed.
    "governance.recordchange",
    # A counter moved on by every write (ics_portal.revision): plumbing, not a record.
    "governance.datarevision",
    # A proposal's own records, each written once and never edited: its transition log,
    # comments (withdrawn, never changed), positions (a change is a new row), the
    # board's recommendation, the ICB's decision, what changed under it, notices sent.
    "delegation.proposalchange",
    "delegation.proposaltransition",
    "delegation.proposalcomment",
    "delegation.proposalposition",
    "delegation.recommendation",
    "delegation.decision",
    "delegation.noticesent",
    "governance.systemuserobjectpermission",  # derived from role assignments
    "governance.systemgroupobjectpermission",
    "governance.bodyuserobjectpermission",
    "governance.bodygroupobjectpermission",
    "milestones.milestoneuserobjectpermission",  # derived from the milestone's lead
    "milestones.milestonegroupobjectpermission",
    "papers.paperevent",  # the log itself: written once, never changed
    "papers.paperversion",  # a built PDF: never changed
    "papers.paperbuild",  # the record of one build run, like governance.job
}


def _project_models():
    for config in apps.get_app_configs():
        if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in config.path:
            for model in config.get_models():
                if not model.__name__.startswith("Historical"):
                    yield model


def test_every_project_model_has_a_history_or_a_reason_not_to():
    missing = [
        m._meta.label_lower
        for m in _project_models()
        if m._meta.label_lower not in REGISTRY and m._meta.label_lower not in UNTRACKED
    ]
    assert not missing, (
        "Give these models a history (history = tracked(system=...)) or list them in "
        f"UNTRACKED with the reason: {missing}"
    )


def test_every_tracked_model_finds_its_system(db):
    nel = Body.objects.get(system__slug="nel", slug="tht").system
    for tracked in REGISTRY.values():
        for path in tracked.system_paths:
            # The lookup runs as SQL: a wrong path fails here, not on the lead's page.
            tracked.history.objects.filter(**{path: nel.pk}).exists()


@pytest.mark.parametrize(
    ("path", "door"),
    [("/api/v1/map-entries/1/", Door.API), ("/admin/x/", Door.ADMIN), ("/maps/nel/", Door.PAGE)],
)
def test_door_of_path(path, door):
    assert door_of_path(path) == door


def test_history_context_names_door_and_person_and_restores_them():
    person = object()
    assert current_door() == Door.SYSTEM and current_user() is None
    with pytest.raises(RuntimeError), history_context(Door.IMPORT, user=person):
        assert (current_door(), current_user()) == (Door.IMPORT, person)
        with history_context(Door.BULK):
            assert (current_door(), current_user()) == (Door.BULK, person)
        raise RuntimeError
    assert current_door() == Door.SYSTEM and current_user() is None


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+44", "'+44"), ("-3", "'-3"), ("@SUM", "'@SUM"), ("Plain", "Plain")],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.django_db
def test_changes_read_labels_names_and_dates(persona):
    entry = MapEntry.objects.filter(status="in_force", receiving_body__slug="tht").first()
    other = Body.objects.get(system__slug="nel", slug="newham")
    entry.governance_form, entry.review_by = "joint_committee", dt.date(2030, 7, 1)
    entry.save()
    tracked, rows = object_records(entry)
    (newest, *_) = describe([(tracked, list(rows))])
    shown = {f.label: (f.before, f.after) for f in newest.fields}
    assert shown["Governance form"][1] == "Joint committee"
    assert shown["Review by"][1] == "1 Jul 2030"
    assert newest.object_label == str(entry)
    assert newest.who == "" and newest.door_label == "System"

    seat = Membership.objects.filter(body__slug="tht").first()
    seat.body = other
    seat.save()
    tracked, rows = object_records(seat)
    (moved, *_) = describe([(tracked, list(rows))])
    assert [(f.label, f.after) for f in moved.fields] == [("Body", other.name)]


@pytest.mark.django_db
def test_a_save_that_changes_nothing_shown_is_left_out():
    barts = Organisation.objects.get(name="Barts Health NHS Trust")
    tracked, rows = object_records(barts)
    before = len(describe([(tracked, list(rows))]))
    barts.save()
    tracked, rows = object_records(barts)
    assert len(describe([(tracked, list(rows))])) == before
    assert len(describe([(tracked, list(rows))], keep_empty=True)) == before + 1


@pytest.mark.django_db
def test_a_creation_lists_the_values_it_was_given():
    nel = Body.objects.get(system__slug="nel", slug="tht").system
    made = Organisation.objects.create(system=nel, name="New Trust", kind="nhs_trust")
    tracked, rows = object_records(made)
    (created,) = describe([(tracked, list(rows))])
    assert created.action == "Created"
    assert ("Kind", "—", "NHS trust") in [(f.label, f.before, f.after) for f in created.fields]
    assert "Short name" not in [f.label for f in created.fields]
