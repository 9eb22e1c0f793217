"""This app's rows of the route-coverage table (see tests/routes.py).

The demo has two THT papers to the Tower Hamlets HWBB: a draft ("ICS update") and an
earlier one, published; each has one built version.
"""

from tests.routes import Route, everyone


def _draft():
    from papers.demo import TITLE
    from papers.models import Paper

    return Paper.objects.get(author_body__slug="tht", title=TITLE)


def _published():
    from papers.demo import EARLIER_TITLE
    from papers.models import Paper

    return Paper.objects.get(author_body__slug="tht", title=EARLIER_TITLE)


def _d() -> dict:
    return {"pk": _draft().pk}


def _section() -> dict:
    paper = _draft()
    return {"pk": paper.pk, "section": paper.sections.order_by("order").first().pk}


def _rec() -> dict:
    paper = _draft()
    return {"pk": paper.pk, "rec": paper.recommendations.first().pk}


def _build() -> dict:
    paper = _draft()
    return {"pk": paper.pk, "build": paper.builds.first().pk}


def _cover_form() -> dict:
    paper = _draft()
    return {
        "version": paper.version,
        "title": paper.title,
        "meeting_body": paper.meeting_body_id,
        "meeting_date": paper.meeting_date.isoformat(),
        "classification": paper.classification,
        "purpose": paper.purpose,
        "summary": "Changed by the route table.",
    }


def _new_paper() -> dict:
    from governance.models import Body

    return {
        "author_body": Body.objects.get(system__slug="nel", slug="tht").pk,
        "template": "hwbb_update",
        "meeting_body": Body.objects.get(system__slug="nel", slug="tower-hamlets-hwbb").pk,
        "meeting_date": "2027-03-11",
        "title": "Route table paper",
    }


def _public_on() -> dict:
    """Switches the NEL public page on (rolled back with the test) and names it."""
    from governance.models import IntegratedCareSystem
    from papers.models import PublicPage

    PublicPage.objects.update_or_create(
        system=IntegratedCareSystem.objects.get(slug="nel"), defaults={"enabled": True}
    )
    return {"system": "nel"}


def _public_paper_on() -> dict:
    _public_on()
    return {"system": "nel", "pk": _published().pk, "number": 1}


def _public_map_on() -> dict:
    from delegation.models import MapVersion

    _public_on()
    return {"system": "nel", "pk": MapVersion.objects.filter(system__slug="nel").first().pk}


# Drafts: the writing body's office and board, and the lead; nobody else sees them.
DRAFT_READS = everyone(200, newham_office=404, sel_governance=404, viewer=404)
# Writing a draft: the office and the lead; a board member sees it but may not.
DRAFT_WRITES_GET = everyone(200, tht_board=403, newham_office=404, sel_governance=404, viewer=404)
DRAFT_WRITES = everyone(302, tht_board=403, newham_office=404, sel_governance=404, viewer=404)
PUBLISHED_READS = everyone(200, sel_governance=404)
LEAD_ONLY = everyone(403, icb_governance=302, sel_governance=404)
NOBODY = everyone(404, anonymous=404)
PUBLIC = everyone(200, anonymous=200)
API_DRAFT = everyone(200, newham_office=404, sel_governance=404, viewer=404, anonymous=401)

ROUTES: list[Route] = [
    Route("papers:list", expect=everyone(200)),
    Route("papers:new", expect=everyone(200, tht_board=403, viewer=403)),
    Route(
        "papers:new",
        method="POST",
        data=_new_paper,
        # Created (302); a body they do not write for is refused in the form (200).
        expect=everyone(200, icb_governance=302, tht_office=302, tht_board=403, viewer=403),
        label="create",
    ),
    Route("papers:detail", kwargs=_d, expect=DRAFT_READS),
    Route(
        "papers:detail",
        kwargs=lambda: {"pk": _published().pk},
        expect=PUBLISHED_READS,
        label="published",
    ),
    Route("papers:preview", kwargs=_d, expect=DRAFT_READS),
    Route("papers:edit", kwargs=_d, expect=DRAFT_WRITES_GET),
    Route(
        "papers:edit", kwargs=_d, method="POST", data=_cover_form, expect=DRAFT_WRITES, label="save"
    ),
    Route(
        "papers:edit",
        kwargs=lambda: {"pk": _published().pk},
        # Only a draft is edited: the lead is told so (403), readers too, SEL sees nothing.
        expect=everyone(403, sel_governance=404),
        label="published",
    ),
    Route("papers:state", kwargs=_d, method="POST", data={"to": "ready"}, expect=DRAFT_WRITES),
    Route(
        "papers:state",
        kwargs=lambda: {"pk": _published().pk},
        method="POST",
        data={"to": "withdrawn"},
        expect=LEAD_ONLY,
        label="withdraw",
    ),
    Route(
        "papers:section_add",
        kwargs=_d,
        method="POST",
        data={"heading": "Risks", "kind": "narrative"},
        expect=DRAFT_WRITES,
    ),
    Route("papers:section_edit", kwargs=_section, expect=DRAFT_WRITES_GET),
    Route("papers:section_delete", kwargs=_section, method="POST", expect=DRAFT_WRITES),
    Route("papers:recommendation_add", kwargs=_d, expect=DRAFT_WRITES_GET),
    Route(
        "papers:recommendation_add",
        kwargs=_d,
        method="POST",
        data={"action": "approve", "text": "the plan."},
        expect=DRAFT_WRITES,
        label="save",
    ),
    Route("papers:recommendation_edit", kwargs=_rec, expect=DRAFT_WRITES_GET),
    Route(
        "papers:considered_add",
        kwargs=_d,
        method="POST",
        data={"meeting": "THT Board", "date": "2026-11-01"},
        expect=DRAFT_WRITES,
    ),
    # Queued only: the on-commit hook that sends the task does not run in a test's
    # rolled-back transaction.
    Route("papers:build", kwargs=_d, method="POST", expect=DRAFT_WRITES),
    Route("papers:build_status", kwargs=_build, expect=DRAFT_READS),
    # The demo build finished: a retry is refused with a message, back to the page.
    Route("papers:build_retry", kwargs=_build, method="POST", expect=DRAFT_WRITES),
    Route("papers:download", kwargs=lambda: {**_d(), "number": 1}, expect=DRAFT_READS),
    Route(
        "papers:download",
        kwargs=lambda: {"pk": _published().pk, "number": 1},
        expect=PUBLISHED_READS,
        label="published",
    ),
    Route("papers:glossary", kwargs={"system": "nel"}, expect=everyone(200, sel_governance=404)),
    Route(
        "papers:glossary",
        kwargs={"system": "nel"},
        method="POST",
        data={"acronym": "JSNA", "meaning": "Joint strategic needs assessment"},
        expect=LEAD_ONLY,
        label="save",
    ),
    Route(
        "papers:glossary_delete",
        kwargs=lambda: {
            "system": "nel",
            "term": __import__("papers.models", fromlist=["GlossaryTerm"])
            .GlossaryTerm.objects.get(system__slug="nel", acronym="BCF")
            .pk,
        },
        method="POST",
        expect=LEAD_ONLY,
    ),
    Route(
        "papers:public_switch",
        kwargs={"system": "nel"},
        method="POST",
        data={"enabled": "on"},
        expect=LEAD_ONLY,
    ),
    # Off by default: nobody, signed in or not, finds it.
    Route("papers:public", kwargs={"system": "nel"}, expect=NOBODY),
    Route("papers:public", kwargs=_public_on, expect=PUBLIC, label="on"),
    Route(
        "papers:public_paper",
        kwargs=lambda: {"system": "nel", "pk": _published().pk, "number": 1},
        expect=NOBODY,
    ),
    Route("papers:public_paper", kwargs=_public_paper_on, expect=PUBLIC, label="on"),
    Route(
        "papers:public_paper",
        kwargs=lambda: {**_public_on(), "pk": _draft().pk, "number": 1},
        expect=NOBODY,
        label="draft",
    ),
    Route("papers:public_map_version", kwargs=_public_map_on, expect=PUBLIC),
    # --- API ---
    Route("paper-list", expect=everyone(200, anonymous=401)),
    Route("paper-detail", kwargs=_d, expect=API_DRAFT),
    Route(
        "paper-build",
        kwargs=_d,
        method="POST",
        json=True,
        expect=everyone(
            202, tht_board=403, newham_office=404, sel_governance=404, viewer=404, anonymous=401
        ),
    ),
    Route("paper-job-list", expect=everyone(200, anonymous=401)),
    Route("paper-job-detail", kwargs=lambda: {"pk": _build()["build"]}, expect=API_DRAFT),
]
