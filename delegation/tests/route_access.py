"""This app's rows of the route-coverage table (see tests/routes.py).

The live map (matrix, entries, functions, conditions) is read by the governance lead,
programme offices and board members of the system; a viewer gets 403 for the system's
live pages and 404 for its objects; another system's lead gets 404 for everything.
"""

from tests.routes import Route, everyone

from . import helpers as h
from .proposal_route_access import ROUTES as PROPOSAL_ROUTES

API = 401  # an anonymous API call


def _nel() -> dict:
    return {"system": "nel"}


def _tht_entry() -> dict:
    return {"pk": h.in_force("F-01", "tht").pk}


def _entry_version() -> int:
    return h.in_force("F-01", "tht").version


def _tht_condition() -> dict:
    return {"pk": h.tht_condition().pk}


def _function() -> dict:
    return {"pk": h.function("F-01").pk}


def _v1() -> dict:
    return {"pk": h.v1().pk}


def _import_job() -> dict:
    return {"system": "nel", "token": h.staged_import()}


# Pages of a system's live map, and its objects.
LIVE_PAGE = everyone(200, viewer=403, sel_governance=404)
LIVE_OBJECT = everyone(200, viewer=404, sel_governance=404)
# The governance lead's forms.
LEAD_PAGE = everyone(403, icb_governance=200, sel_governance=404)
LEAD_OBJECT = everyone(403, icb_governance=200, viewer=404, sel_governance=404)
# Published versions: everyone with a role in the system.
VERSIONS = everyone(200, sel_governance=404)

ROUTES: list[Route] = [
    Route("delegation:matrix", kwargs=_nel, expect=LIVE_PAGE),
    Route("delegation:entry_list", kwargs=_nel, expect=LIVE_PAGE),
    Route("delegation:function_list", kwargs=_nel, expect=LIVE_PAGE),
    Route("delegation:condition_dashboard", kwargs=_nel, expect=LIVE_PAGE),
    Route(
        "delegation:body_delegations",
        kwargs=lambda: {"system": "nel", "body": "tht"},
        expect=LIVE_PAGE,
    ),
    Route("delegation:entry_create", kwargs=_nel, expect=LEAD_PAGE),
    Route("delegation:function_create", kwargs=_nel, expect=LEAD_PAGE),
    Route("delegation:version_publish", kwargs=_nel, expect=LEAD_PAGE),
    Route("delegation:version_list", kwargs=_nel, expect=VERSIONS),
    Route("delegation:version_diff", kwargs=_nel, expect=VERSIONS),
    Route("delegation:version_detail", kwargs=_v1, expect=VERSIONS),
    Route("delegation:entry_detail", kwargs=_tht_entry, expect=LIVE_OBJECT),
    Route("delegation:entry_edit", kwargs=_tht_entry, expect=LEAD_OBJECT),
    Route("delegation:entry_supersede", kwargs=_tht_entry, expect=LEAD_OBJECT),
    Route("delegation:entry_revoke", kwargs=_tht_entry, expect=LEAD_OBJECT),
    Route("delegation:condition_create", kwargs=_tht_entry, expect=LEAD_OBJECT),
    Route("delegation:function_edit", kwargs=_function, expect=LEAD_OBJECT),
    Route("delegation:condition_detail", kwargs=_tht_condition, expect=LIVE_OBJECT),
    Route("delegation:condition_edit", kwargs=_tht_condition, expect=LEAD_OBJECT),
    Route(
        "delegation:condition_assess",
        kwargs=_tht_condition,
        expect=everyone(403, icb_governance=200, tht_office=200, viewer=404, sel_governance=404),
    ),
    # Only the ICB assures: the owner body's office self-assesses but may not assure.
    Route(
        "delegation:condition_assure",
        kwargs=_tht_condition,
        expect=everyone(403, icb_governance=200, viewer=404, sel_governance=404),
    ),
    Route(
        "delegation:map_export", kwargs=lambda: {"system": "nel", "fmt": "xlsx"}, expect=LIVE_PAGE
    ),
    Route(
        "delegation:version_export",
        kwargs=lambda: {"pk": h.v1().pk, "fmt": "csv"},
        expect=VERSIONS,
    ),
    # A record's history is read by whoever reads the record.
    Route("delegation:entry_history", kwargs=_tht_entry, expect=LIVE_OBJECT),
    Route("delegation:condition_history", kwargs=_tht_condition, expect=LIVE_OBJECT),
    Route("delegation:function_history", kwargs=_function, expect=LIVE_OBJECT),
    Route("delegation:version_history", kwargs=_v1, expect=VERSIONS),
    Route("delegation:map_import", kwargs=_nel, expect=LEAD_PAGE),
    # An import job is its uploader's (the lead's): the job is staged afresh per row.
    Route("delegation:map_import_job", kwargs=_import_job, expect=LEAD_PAGE),
    Route(
        "delegation:map_import_job",
        kwargs=_import_job,
        method="POST",
        label="start",
        expect=everyone(403, icb_governance=302, sel_governance=404),
    ),
    Route("delegation:map_import_progress", kwargs=_import_job, expect=LEAD_PAGE),
    # --- API ---
    Route("function-list", expect=everyone(200, anonymous=API)),
    Route(
        "function-detail",
        kwargs=_function,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route("map-entry-list", expect=everyone(200, anonymous=API)),
    Route(
        "map-entry-detail",
        kwargs=_tht_entry,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "map-entry-supersede",
        kwargs=_tht_entry,
        method="POST",
        json=True,
        # The version the caller loaded: a write without one is refused (400).
        data=lambda: {"notes": "Superseded in the route table", "version": _entry_version()},
        expect=everyone(403, icb_governance=201, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "map-entry-revoke",
        kwargs=_tht_entry,
        method="POST",
        json=True,
        data=lambda: {"version": _entry_version()},
        expect=everyone(403, icb_governance=200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route("condition-list", expect=everyone(200, anonymous=API)),
    Route(
        "condition-detail",
        kwargs=_tht_condition,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "condition-assessments",
        kwargs=_tht_condition,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "condition-assessments",
        kwargs=_tht_condition,
        method="POST",
        json=True,
        data={"status": "met"},
        label="record",
        expect=everyone(
            403, icb_governance=201, tht_office=201, viewer=404, sel_governance=404, anonymous=API
        ),
    ),
    Route(
        "function-history",
        kwargs=_function,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "map-entry-history",
        kwargs=_tht_entry,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "condition-history",
        kwargs=_tht_condition,
        expect=everyone(200, viewer=404, sel_governance=404, anonymous=API),
    ),
    Route(
        "map-version-history", kwargs=_v1, expect=everyone(200, sel_governance=404, anonymous=API)
    ),
    Route("map-version-list", expect=everyone(200, anonymous=API)),
    Route(
        "map-version-detail", kwargs=_v1, expect=everyone(200, sel_governance=404, anonymous=API)
    ),
    Route(
        "map-version-diff",
        kwargs=_v1,
        # The route table sends no query string: "against" is missing, a clear 400.
        label="without against",
        expect=everyone(400, sel_governance=404, anonymous=API),
    ),
]

# The delegation proposals' rows live in their own module (this one would pass 500 lines).
ROUTES += PROPOSAL_ROUTES
