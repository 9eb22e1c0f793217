"""A milestone import is checked first (nothing changes), then run; a run refuses a
file whose rows no longer do what the check showed, and a user who may no longer add
milestones to the programme."""

from __future__ import annotations

import csv
import io

import pytest

from governance import jobs
from milestones import imports
from milestones.models import Milestone
from milestones.spreadsheets import COLUMNS

NEW_ROW = {
    "title": "From the sheet",
    "owner_body": "tht",
    "status": "underway",
    "due_quarter": "Q1 2030/31",
}


def _csv(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _check(programme, user, *rows):
    return imports.check(programme=programme, user=user, filename="m.csv", content=_csv(*rows))


def test_check_changes_nothing_then_run_imports(tht_programme, persona):
    job = _check(tht_programme, persona("tht.office"), NEW_ROW)
    assert job.importable
    assert not Milestone.objects.filter(title="From the sheet").exists()
    imports.start(job)
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.result["created"] == 1
    assert Milestone.objects.filter(title="From the sheet", programme=tht_programme).count() == 1


def test_a_row_error_makes_the_job_not_importable(tht_programme, persona):
    job = _check(tht_programme, persona("tht.office"), {**NEW_ROW, "due_quarter": "Q5 2030/31"})
    assert not job.importable


def test_a_run_after_the_milestones_changed_imports_nothing(tht_programme, persona, tht_milestone):
    office = persona("tht.office")
    row = {
        "id": tht_milestone.pk,
        "progress": "55",
        "status": "underway",
        "version": tht_milestone.version,
    }
    job = _check(tht_programme, office, row)
    imports.start(job)
    Milestone.objects.filter(pk=tht_milestone.pk).update(
        title="Renamed meanwhile", version=tht_milestone.version + 1
    )
    with pytest.raises(jobs.JobFailed, match="changed after this file was checked"):
        imports.import_work(job)


def test_a_user_who_may_no_longer_add_imports_nothing(tht_programme, persona):
    job = _check(tht_programme, persona("tht.office"), NEW_ROW)
    job.created_by = persona("viewer")
    with pytest.raises(jobs.JobFailed, match="no longer import"):
        imports.import_work(job)
    assert not Milestone.objects.filter(title="From the sheet").exists()
