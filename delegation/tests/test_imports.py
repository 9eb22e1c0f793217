"""A map import is checked first (nothing changes), then run; a run refuses a file
whose plan no longer matches the map, and a user who may no longer edit it."""

from __future__ import annotations

import pytest
from django.http import Http404

from delegation import imports
from delegation.models import EntryStatus, MapEntry
from delegation.tests import helpers as h
from governance import jobs

pytestmark = pytest.mark.django_db

NEW_ROW = {
    "reference": "KF-07/tht",
    "delegated to body": "tht",
    "form": "Committee of the ICB",
    "decision right": "Decides",
    "budget": "1000",
    "effective from": "2025-04-01",
    "status": "In force",
}


def _new_entries():
    return MapEntry.objects.filter(function__code="KF-07", receiving_body__slug="tht")


def test_check_changes_nothing_then_run_imports(persona):
    lead = persona("icb.governance")
    before = _new_entries().count()
    job = imports.check(system=h.nel(), user=lead, filename="m.csv", content=h.map_csv(NEW_ROW))
    assert job.importable
    assert job.plan["counts"]["create"] == 1 and job.plan["counts"]["refused"] == 0
    assert imports.refused_rows(job) == []
    assert _new_entries().count() == before
    imports.start(job)
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert _new_entries().filter(status=EntryStatus.IN_FORCE).count() == before + 1


def test_a_refused_row_is_reported_and_the_job_is_not_importable(persona):
    row = {**NEW_ROW, "delegated to body": "no-such-body"}
    job = imports.check(
        system=h.nel(), user=persona("icb.governance"), filename="m.csv", content=h.map_csv(row)
    )
    assert not job.importable
    [refused] = imports.refused_rows(job)
    assert refused["errors"]


def test_a_run_after_the_map_changed_imports_nothing(persona):
    lead = persona("icb.governance")
    job = imports.check(system=h.nel(), user=lead, filename="m.csv", content=h.map_csv(NEW_ROW))
    imports.start(job)
    # The same row imported meanwhile: the checked plan no longer holds.
    other = imports.check(system=h.nel(), user=lead, filename="m.csv", content=h.map_csv(NEW_ROW))
    imports.start(other)
    imports.run(other.pk)
    with pytest.raises(jobs.JobFailed, match="map changed"):
        imports.import_work(job)


def test_a_user_who_may_no_longer_edit_imports_nothing(persona):
    job = imports.check(
        system=h.nel(),
        user=persona("icb.governance"),
        filename="m.csv",
        content=h.map_csv(NEW_ROW),
    )
    job.created_by = persona("viewer")
    with pytest.raises(jobs.JobFailed, match="no longer change this map"):
        imports.import_work(job)


def test_a_job_is_found_only_by_its_own_user(persona):
    lead = persona("icb.governance")
    job = imports.check(system=h.nel(), user=lead, filename="m.csv", content=h.map_csv(NEW_ROW))
    assert imports.job_get(job.token, user=lead, system=h.nel()) == job
    with pytest.raises(Http404):
        imports.job_get(job.token, user=persona("tht.office"), system=h.nel())
