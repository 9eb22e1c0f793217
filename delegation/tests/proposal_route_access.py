"""The delegation proposals' rows of the route-coverage table (see tests/routes.py),
added to this app's ``ROUTES`` by ``route_access.py``.

The demo has THT-2026-03 in review, THT-2026-01 decided and a Newham draft; a row that
needs another state builds its own proposal (each test is rolled back).
"""

from typing import Any

from tests.routes import Route, everyone

from . import helpers as h

API = 401  # an anonymous API call
# Every persona of the system may read; another system's lead finds nothing.
VERSIONS = everyone(200, sel_governance=404)


def _nel() -> dict:
    return {"system": "nel"}


def _proposal(reference: str) -> dict:
    from delegation.models import Proposal

    return {"pk": Proposal.objects.get(system__slug="nel", reference=reference).pk}


def _review() -> dict:
    return _proposal("THT-2026-03")


def _decided() -> dict:
    return _proposal("THT-2026-01")


def _tht_draft() -> dict:
    from delegation.tests import proposal_helpers as p

    return {"pk": p.with_items().pk}


def _tht_draft_item() -> dict:
    from delegation.tests import proposal_helpers as p

    return {"pk": p.with_items().items.order_by("order").first().pk}


def _review_item() -> dict:
    from delegation.models import ProposalItem

    return {"pk": ProposalItem.objects.filter(proposal__reference="THT-2026-03").first().pk}


def _review_comment() -> dict:
    from delegation.models import ProposalComment

    return {"pk": ProposalComment.objects.filter(proposal__reference="THT-2026-03").first().pk}


def _board_comment() -> dict:
    from delegation.models import Proposal
    from delegation.proposals import services
    from delegation.tests import proposal_helpers as p

    proposal = Proposal.objects.get(reference="THT-2026-03")
    return {
        "pk": services.comment_add(proposal=proposal, author=p.user("tht.board"), text="Mine").pk
    }


def _in(state: str):
    def build() -> dict:
        from delegation.tests import proposal_helpers as p

        return {"pk": {"submitted": p.submitted, "recommended": p.recommended}[state]().pk}

    return build


def _deferred() -> dict:
    from delegation.tests import proposal_helpers as p

    proposal = p.recommended()
    p.decide(proposal, "deferred")
    return {"pk": proposal.pk}


def _transition(name: str, build) -> Any:
    return lambda: {**build(), "action": name}


def _draft_version() -> dict:
    from delegation.models import Proposal

    draft = Proposal.objects.filter(body__slug="tht", state="draft").latest("pk")
    return {"title": "Renamed in the route table", "version": draft.version}


def _decide_data() -> dict:
    return {
        "outcome": "approved",
        "deciding_body": h.body_of_kind("icb_board").pk,
        "meeting_date": "2026-01-15",
        "minute_reference": "7.2",
    }


_HIDDEN = {"viewer": 404, "sel_governance": 404, "newham_office": 404}
# Read by the office, the board and the lead once submitted; 404 for the rest.
REVIEW_PAGE = everyone(200, **_HIDDEN)
REVIEW_API = everyone(200, anonymous=API, **_HIDDEN)
# A THT draft: its office alone.
THT_DRAFT = everyone(404, tht_office=200)
LEAD_ONLY = everyone(403, icb_governance=200, **_HIDDEN)
OFFICE_ONLY = everyone(403, tht_office=200, **_HIDDEN)
BOARD_ONLY = everyone(403, tht_board=200, **_HIDDEN)


def _api(expect: dict, ok: int) -> dict:
    return {k: (ok if v == 200 else v) for k, v in {**expect, None: API}.items()}


ROUTES = [
    Route("delegation:proposal_list", kwargs=_nel, expect=VERSIONS),
    Route(
        "delegation:proposal_list_body",
        kwargs=lambda: {"system": "nel", "body": "tht"},
        expect=VERSIONS,
    ),
    Route(
        "delegation:proposal_create",
        kwargs=_nel,
        expect=everyone(403, tht_office=200, newham_office=200, sel_governance=404),
    ),
    Route("delegation:proposal_detail", kwargs=_review, expect=REVIEW_PAGE),
    Route(
        "delegation:proposal_detail",
        kwargs=_decided,
        label="decided",
        expect=everyone(200, sel_governance=404),
    ),
    Route(
        "delegation:proposal_detail",
        kwargs=lambda: _proposal("NEWHAM-2026-01"),
        label="another office's draft",
        expect=everyone(404, newham_office=200),
    ),
    Route("delegation:proposal_edit", kwargs=_tht_draft, expect=THT_DRAFT),
    Route("delegation:proposal_item_create", kwargs=_tht_draft, expect=THT_DRAFT),
    Route("delegation:proposal_item_edit", kwargs=_tht_draft_item, expect=THT_DRAFT),
    Route("delegation:proposal_item_delete", kwargs=_tht_draft_item, expect=THT_DRAFT),
    Route(
        "delegation:proposal_comment",
        kwargs=_review,
        method="POST",
        data={"text": "A comment from the route table."},
        expect=everyone(302, **_HIDDEN),
    ),
    Route(
        "delegation:proposal_comment_withdraw",
        kwargs=_board_comment,
        method="POST",
        data={},
        expect=everyone(403, tht_board=302, **_HIDDEN),
    ),
    Route("delegation:proposal_position", kwargs=_review, expect=BOARD_ONLY),
    Route(
        "delegation:proposal_reopen",
        kwargs=_deferred,
        method="POST",
        data={},
        expect=everyone(403, tht_office=302, sel_governance=404),
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("submit", _tht_draft),
        label="submit",
        expect=THT_DRAFT,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("open_review", _in("submitted")),
        label="open review",
        expect=LEAD_ONLY,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("recommend", _review),
        label="recommend",
        expect=LEAD_ONLY,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("decide", _in("recommended")),
        label="decide",
        expect=LEAD_ONLY,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("decide", _in("recommended")),
        method="POST",
        data=_decide_data,
        label="decide: approve",
        expect=everyone(403, icb_governance=302, **_HIDDEN),
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("withdraw", _review),
        label="withdraw",
        expect=OFFICE_ONLY,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("refresh", _review),
        label="refresh",
        expect=LEAD_ONLY,
    ),
    Route(
        "delegation:proposal_transition",
        kwargs=_transition("approve-everything", _review),
        label="no such action",
        expect=everyone(404),
    ),
    # --- API ---
    Route("proposal-list", expect=everyone(200, anonymous=API)),
    Route(
        "proposal-list",
        method="POST",
        json=True,
        data=lambda: {"body": h.body("tht").pk, "title": "From the route table"},
        label="create",
        expect=everyone(400, tht_office=201, anonymous=API),
    ),
    Route("proposal-detail", kwargs=_review, expect=REVIEW_API),
    Route(
        "proposal-detail",
        kwargs=_tht_draft,
        method="PATCH",
        json=True,
        data=_draft_version,
        label="edit",
        expect={**everyone(404, tht_office=200), None: API},
    ),
    Route("proposal-items", kwargs=_review, expect=REVIEW_API),
    Route(
        "proposal-items",
        kwargs=_tht_draft,
        method="POST",
        json=True,
        data=lambda: {"kind": "revoke", "entry": h.in_force("KF-09", "tht").pk},
        label="add",
        expect={**everyone(404, tht_office=201), None: API},
    ),
    Route("proposal-comments", kwargs=_review, expect=REVIEW_API),
    Route(
        "proposal-comments",
        kwargs=_review,
        method="POST",
        json=True,
        data={"text": "From the route table."},
        label="add",
        expect=everyone(201, anonymous=API, **_HIDDEN),
    ),
    Route("proposal-positions", kwargs=_review, expect=REVIEW_API),
    Route(
        "proposal-positions",
        kwargs=_review,
        method="POST",
        json=True,
        data={"position": "support"},
        label="record",
        expect=_api(BOARD_ONLY, 201),
    ),
    Route("proposal-log", kwargs=_review, expect=REVIEW_API),
    Route(
        "proposal-submit",
        kwargs=_tht_draft,
        method="POST",
        json=True,
        data={},
        expect={**everyone(404, tht_office=200), None: API},
    ),
    Route(
        "proposal-open-review",
        kwargs=_in("submitted"),
        method="POST",
        json=True,
        data={"review_closes_on": "2099-01-01"},
        expect=_api(LEAD_ONLY, 200),
    ),
    Route(
        "proposal-recommend",
        kwargs=_review,
        method="POST",
        json=True,
        data={"recommends": "approved"},
        expect=_api(LEAD_ONLY, 200),
    ),
    Route(
        "proposal-decide",
        kwargs=_in("recommended"),
        method="POST",
        json=True,
        data=_decide_data,
        expect=_api(LEAD_ONLY, 200),
    ),
    Route(
        "proposal-withdraw",
        kwargs=_review,
        method="POST",
        json=True,
        data={},
        expect=_api(OFFICE_ONLY, 200),
    ),
    Route(
        "proposal-refresh",
        kwargs=_review,
        method="POST",
        json=True,
        data={},
        expect=_api(LEAD_ONLY, 200),
    ),
    Route("proposal-item-detail", kwargs=_review_item, expect=REVIEW_API),
    Route(
        "proposal-item-detail",
        kwargs=_tht_draft_item,
        method="PATCH",
        json=True,
        data={"rationale": "From the route table.", "version": 1},
        label="edit",
        expect={**everyone(404, tht_office=200), None: API},
    ),
    Route(
        "proposal-item-detail",
        kwargs=_tht_draft_item,
        method="DELETE",
        label="remove",
        expect={**everyone(404, tht_office=204), None: API},
    ),
    Route("proposal-comment-detail", kwargs=_review_comment, expect=REVIEW_API),
    Route(
        "proposal-comment-withdraw",
        kwargs=_board_comment,
        method="POST",
        json=True,
        data={},
        expect=_api(BOARD_ONLY, 200),
    ),
    # The proposal on the live matrix: its readers who also read the live map (a viewer
    # reads a decided proposal, never the live map, so 404 like a missing one).
    Route("delegation:proposal_matrix", kwargs=_review, expect=REVIEW_PAGE),
    Route(
        "delegation:proposal_matrix",
        kwargs=_decided,
        label="decided",
        expect=everyone(200, viewer=404, sel_governance=404),
    ),
    Route(
        "delegation:proposal_matrix",
        kwargs=lambda: _proposal("NEWHAM-2026-01"),
        label="another office's draft",
        expect=everyone(404, newham_office=200),
    ),
    Route(
        "delegation:proposal_matrix",
        kwargs=_review,
        method="POST",
        data={},
        label="read only",
        # Refused by method before the proposal is looked up: says nothing about it.
        expect=everyone(405),
    ),
]
