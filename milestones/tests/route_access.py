"""This app's rows of the route-coverage table (see tests/routes.py)."""

from tests.routes import Route, everyone


def _tht_programme() -> int:
    from milestones.models import Programme

    return Programme.objects.get(body__system__slug="nel", body__slug="tht").pk


def _milestone(prefix: str):
    from milestones.models import Milestone

    return Milestone.objects.get(owner_body__slug="tht", title__startswith=prefix)


def _explore():
    # A THT milestone tht.board does not lead.
    return _milestone("Explore options")


def _led_by_board():
    return _milestone("Agree proposals for form")


def _programme() -> dict:
    return {"pk": _tht_programme()}


def _import_job() -> dict:
    """A file checked by tht.office, ready to import: the job is staged afresh per row."""
    from django.contrib.auth import get_user_model

    from milestones import imports
    from milestones.models import Programme

    content = b"title,owner_body,status,due_date\nStaged,tht,not_started,2026-03-31\n"
    job = imports.check(
        programme=Programme.objects.get(pk=_tht_programme()),
        user=get_user_model().objects.get(username="tht.office"),
        filename="m.csv",
        content=content,
    )
    assert job.importable, job.plan
    return {"pk": job.params["programme"], "token": job.token}


def _m() -> dict:
    return {"pk": _explore().pk}


NEL_READS = everyone(200, sel_governance=404)
OFFICE_ONLY = everyone(200, tht_board=403, newham_office=403, viewer=403, sel_governance=404)
UPLOADER_ONLY = everyone(404, tht_office=200, tht_board=403, newham_office=403, viewer=403)
API_READS = everyone(200, sel_governance=404, anonymous=401)

ROUTES: list[Route] = [
    # --- pages ---
    Route("milestones:programmes", expect=everyone(200)),
    Route("milestones:programme", kwargs=_programme, expect=NEL_READS),
    Route("milestones:timeline", kwargs=_programme, expect=NEL_READS),
    Route("milestones:add", kwargs=_programme, expect=OFFICE_ONLY),
    Route(
        "milestones:export",
        kwargs=lambda: {"pk": _tht_programme(), "fmt": "csv"},
        expect=NEL_READS,
        label="csv",
    ),
    Route(
        "milestones:export",
        kwargs=lambda: {"pk": _tht_programme(), "fmt": "xlsx"},
        expect=NEL_READS,
        label="xlsx",
    ),
    Route("milestones:import", kwargs=_programme, expect=OFFICE_ONLY),
    # An import job is its uploader's: the governance lead may import too, but not
    # tht.office's file.
    Route("milestones:import_job", kwargs=_import_job, expect=UPLOADER_ONLY),
    Route(
        "milestones:import_job",
        kwargs=_import_job,
        method="POST",
        label="start",
        expect=everyone(404, tht_office=302, tht_board=403, newham_office=403, viewer=403),
    ),
    Route("milestones:import_progress", kwargs=_import_job, expect=UPLOADER_ONLY),
    Route("milestones:detail", kwargs=_m, expect=NEL_READS),
    Route("milestones:edit", kwargs=_m, expect=OFFICE_ONLY),
    # History is read by whoever reads the milestone or programme.
    Route("milestones:history", kwargs=_m, expect=NEL_READS),
    Route("milestones:programme_history", kwargs=_programme, expect=NEL_READS),
    Route("milestones:body", kwargs={"system": "nel", "body": "tht"}, expect=NEL_READS),
    Route(
        "milestones:inline_update",
        kwargs=_m,
        method="POST",
        data=lambda: {"status": "underway", "progress": 21, "version": _explore().version},
        # Saved: back to the page (302). Not theirs to update: 403; another system's: 404.
        expect=everyone(302, tht_board=403, newham_office=403, viewer=403, sel_governance=404),
    ),
    Route(
        "milestones:inline_update",
        kwargs=lambda: {"pk": _led_by_board().pk},
        method="POST",
        data=lambda: {"status": "underway", "progress": 60, "version": _led_by_board().version},
        expect=everyone(302, newham_office=403, viewer=403, sel_governance=404),
        label="lead",
    ),
    Route(
        "milestones:bulk_update",
        method="POST",
        data=lambda: {"ids": [_explore().pk], "progress": 22},
        # Post/redirect/get for everyone: success or the refusal is a message on the page.
        expect=everyone(302),
    ),
    # --- API ---
    Route("programme-list", expect=everyone(200, anonymous=401)),
    Route("programme-detail", kwargs=_programme, expect=API_READS),
    Route("milestone-list", expect=everyone(200, anonymous=401)),
    Route("milestone-detail", kwargs=_m, expect=API_READS),
    Route(
        "milestone-detail",
        kwargs=_m,
        method="PATCH",
        json=True,
        data=lambda: {"version": _explore().version, "progress": 23},
        expect=everyone(
            200, tht_board=403, newham_office=403, viewer=403, sel_governance=404, anonymous=401
        ),
        label="update",
    ),
    Route(
        "milestone-bulk-update",
        method="POST",
        json=True,
        data=lambda: {
            "ids": [_explore().pk],
            "progress": 24,
            "versions": {str(_explore().pk): _explore().version},
        },
        # All or nothing: a milestone you may not update (or cannot see) refuses the lot;
        # someone who may update no milestone at all is refused before the body is read.
        expect=everyone(
            200, tht_board=400, newham_office=403, viewer=403, sel_governance=400, anonymous=401
        ),
    ),
    Route("milestone-updates", kwargs=_m, expect=API_READS),
    Route("milestone-history", kwargs=_m, expect=API_READS),
    Route("programme-history", kwargs=_programme, expect=API_READS),
]
