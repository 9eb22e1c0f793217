"""What a data section gathers: here, the delegation proposals decided since a date."""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest

from delegation.models import Decision, Proposal
from governance.models import Body
from papers import gather, rendering, services
from papers.models import SectionKind, Template
from papers.tests.conftest import pdf_text


def _paper(system_slug: str, author_slug: str, persona):
    author = Body.objects.get(system__slug=system_slug, slug=author_slug)
    meeting = Body.objects.filter(system__slug=system_slug, kind="icb_board").first()
    return services.paper_create(
        author_body=author,
        meeting_body=meeting,
        meeting_date=dt.date.today() + dt.timedelta(days=30),
        title="Delegation decisions",
        template=Template.ICB_DELEGATION_DECISION,
        by=persona("icb.governance"),
    )


def _data(paper, since: dt.date | None) -> dict:
    section = paper.sections.get(kind=SectionKind.PROPOSALS)
    section.since = since
    section.save()
    (found,) = [s for s in gather.snapshot(paper)["sections"] if s["kind"] == SectionKind.PROPOSALS]
    return found["data"]


@pytest.fixture
def decided(db) -> Decision:
    """The demo's decided proposal (THT-2026-01) and its decision."""
    return Decision.objects.select_related("proposal", "deciding_body", "map_version").get(
        proposal__reference="THT-2026-01"
    )


@pytest.mark.django_db
def test_a_decided_proposal_is_listed_with_deciding_body_date_and_minute(persona, decided):
    paper = _paper("nel", "tht", persona)
    data = _data(paper, decided.meeting_date)
    assert data["empty"] == ""
    (row,) = data["rows"]
    proposal = decided.proposal
    assert row[:3] == [proposal.reference, proposal.title, proposal.body.name]
    assert row[3] == f"Approved; map version {decided.map_version.label}"
    assert row[4:] == [
        decided.deciding_body.name,
        gather.day(decided.meeting_date),
        decided.minute_reference,
    ]


@pytest.mark.django_db
def test_a_proposal_decided_before_the_date_or_not_decided_is_left_out(persona, decided):
    paper = _paper("nel", "tht", persona)
    data = _data(paper, decided.meeting_date + dt.timedelta(days=1))
    assert data["rows"] == []
    assert data["empty"].startswith("No delegation proposals have been decided since")
    # The demo's proposal in review (THT-2026-03) is never listed, whatever the date.
    assert Proposal.objects.filter(reference="THT-2026-03", state="in_review").exists()
    listed = [r[0] for r in _data(paper, dt.date(2000, 1, 1))["rows"]]
    assert listed == ["THT-2026-01"]


@pytest.mark.django_db
def test_no_date_asks_for_one(persona):
    data = _data(_paper("nel", "tht", persona), None)
    assert "rows" not in data and data["empty"].startswith("Choose the date")


@pytest.mark.django_db
def test_another_systems_proposals_are_never_listed(persona, decided):
    sel_author = Body.objects.filter(system__slug="sel").exclude(kind="hwbb").first()
    paper = _paper("sel", sel_author.slug, persona)
    assert _data(paper, dt.date(2000, 1, 1))["rows"] == []


@pytest.mark.django_db
def test_the_rendered_paper_prints_the_decision(persona, decided):
    paper = _paper("nel", "tht", persona)
    _data(paper, dt.date(2000, 1, 1))
    snap = gather.snapshot(paper)
    page = html_lib.unescape(rendering.html_of(snap))
    assert "Delegation proposals decided since 1 January 2000" in page
    for text in ("THT-2026-01", decided.deciding_body.name, decided.minute_reference):
        assert text in page
    # A narrow column may wrap "ICB/2026/11 7.2" after a slash: compare without spaces.
    text = pdf_text(rendering.render_pdf(snap).pdf).replace(" ", "")
    assert "THT-2026-01" in text and decided.minute_reference.replace(" ", "") in text
