"""Demo papers: Tower Hamlets Together's "ICS update" to the Tower Hamlets HWBB,
modelled on seed 000, with one built version each.

Two papers: the update for the coming meeting (a draft the THT programme office can
edit and build again), and the one for the previous meeting, published, so a viewer
and the public page have something to read. Each is built in-process here (no
worker needed). Idempotent: a paper already present is left alone; the glossary and
priorities only gain what is missing. The public page stays off: the governance lead
switches it on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.models import Body, IntegratedCareSystem
from milestones.demo import ICS_PROGRAMME
from milestones.models import Programme

from . import building, services
from .models import (
    PaperBuild,
    PaperState,
    RecommendationAction,
    SectionKind,
    StrategicPriority,
    Template,
)

TITLE = "ICS update"
EARLIER_TITLE = "ICS update: the design of place-based partnerships"
PRIORITIES = (
    "Improved experience of care",
    "Improved population health outcomes",
    "Improved staff experience",
    "Improved value",
)
OFFICERS = [
    {
        "name": "Tom Okafor",
        "title": "Programme office, Tower Hamlets Together",
        "email": "tht.office@example.org",
    },
]
SUMMARY = (
    "The Health and Care Act 2022 put integrated care systems on a statutory footing. In "
    "north east London the NEL ICB took on the commissioning functions of the CCG, and "
    "Tower Hamlets Together (THT) is the place-based partnership for the borough.\n\n"
    "This report sets out the functions and decisions the ICB has delegated to THT, the "
    "conditions it attached to them and how they stand, and the milestones of the "
    "transition programme with their RAG ratings."
)
PROGRESS = (
    "Working in an integrated way is not new for Tower Hamlets: partners have a strong "
    "history of providing health and care together, most recently in the response to "
    "the Covid pandemic and the vaccination programme.\n\n"
    "For THT this means evolving into a place-based partnership within the NEL integrated "
    "care system, with decisions taken as close to residents as appropriate."
)
DECISIONS = (
    "The ICS design framework supports subsidiarity through place-level decision making. "
    "The ICB decides which functions are reserved to it and which are delegated to "
    "places, and the conditions it places on each delegation."
)
NEXT_STEPS = (
    "Agree proposals for form and governance, explore further the options for "
    "delegation including commissioning activity, and continue to develop the locality "
    "plan with primary care, PCNs and the voluntary and community sector."
)
IMPLICATIONS = {
    "implication_equality": "Equality analysis will be carried out on each service "
    "change the partnership decides.",
    "implication_risk": "The conditions of the delegation and their status are set out "
    "in section 3; overdue conditions are listed first.",
    "implication_people": "None.",
    "implication_financial": "The delegated budget is set out in section 2. There are "
    "no further financial implications of the recommendations.",
    "implication_quality": "None.",
    "implication_legal": "Delegation is made under section 65Z5 of the NHS Act 2006.",
    "implication_data_protection": "None.",
}


def _user(username: str) -> Any | None:
    return get_user_model().objects.filter(username=username).first()


def _seed_system(system: IntegratedCareSystem) -> list[StrategicPriority]:
    services.glossary_seed(system=system)
    have = {p.name: p for p in system.strategic_priorities.all()}
    for name in PRIORITIES:
        if name not in have:
            have[name] = services.priority_add(system=system, name=name, by=None)
    return [have[name] for name in PRIORITIES]


def _fill(paper, office, meeting_date: dt.date) -> None:
    sections = {s.heading: s for s in paper.sections.all()}
    services.section_update(
        section=sections["Background"],
        by=office,
        version=None,
        heading="ICS progress",
        text=PROGRESS,
    )
    services.section_update(
        section=sections["Next steps"], by=office, version=None, text=NEXT_STEPS
    )
    services.section_add(
        paper=paper,
        by=office,
        kind=SectionKind.NARRATIVE,
        heading="Decision-making",
        text=DECISIONS,
        order=2,
    )
    ics = Programme.objects.filter(system=paper.system, name__startswith=ICS_PROGRAMME).first()
    if ics is not None:
        services.section_add(
            paper=paper,
            by=office,
            kind=SectionKind.MILESTONES,
            heading="NEL ICS programme high-level milestones",
            programme=ics,
            order=5,
        )
    services.considered_add(
        paper=paper,
        by=office,
        meeting="Tower Hamlets Together Board",
        date=meeting_date - dt.timedelta(days=21),
    )


def _build(paper, by, stdout: TextIO) -> bool:
    build = PaperBuild.objects.create(paper=paper, key=uuid.uuid4().hex, requested_by=by)
    if building.run(build.pk) is None:
        # The demo goes on without the PDF; the paper page says why the build failed.
        build.refresh_from_db()
        stdout.write(f"  paper {paper}: {build.message}\n")
        return False
    return True


def _paper(system, tht, hwbb, office, *, title, meeting_date, priorities):
    paper = services.paper_create(
        author_body=tht,
        meeting_body=hwbb,
        meeting_date=meeting_date,
        title=title,
        template=Template.HWBB_UPDATE,
        by=office,
        report_of="Director of Integrated Care, on behalf of Tower Hamlets Together",
        officers=OFFICERS,
        summary=SUMMARY,
        priorities=priorities,
        **IMPLICATIONS,
    )
    _fill(paper, office, meeting_date)
    services.recommendation_add(
        paper=paper,
        by=office,
        action=RecommendationAction.NOTE,
        text="the next steps for the partnership and the milestones at risk.",
    )
    return paper


def load(*, stdout: TextIO) -> None:
    system = IntegratedCareSystem.objects.filter(slug="nel").first()
    tht = Body.objects.filter(system=system, slug="tht").first()
    hwbb = Body.objects.filter(system=system, slug="tower-hamlets-hwbb").first()
    office, lead = _user("tht.office"), _user("icb.governance")
    if not (system and tht and hwbb and office and lead):
        stdout.write("  no NEL, THT or its HWBB: the demo papers are skipped\n")
        return
    priorities = _seed_system(system)
    sel = IntegratedCareSystem.objects.filter(slug="sel").first()
    if sel is not None:
        services.glossary_seed(system=sel)
    today = timezone.localdate()
    if not system.papers.filter(author_body=tht, title=EARLIER_TITLE).exists():
        paper = _paper(
            system,
            tht,
            hwbb,
            office,
            title=EARLIER_TITLE,
            meeting_date=today - dt.timedelta(days=84),
            priorities=priorities,
        )
        services.paper_set_state(paper=paper, to=PaperState.READY, by=office)
        if _build(paper, office, stdout):
            services.paper_set_state(paper=paper, to=PaperState.PUBLISHED, by=lead)
            stdout.write(f"  paper: {paper} (published)\n")
    if not system.papers.filter(author_body=tht, title=TITLE).exists():
        paper = _paper(
            system,
            tht,
            hwbb,
            office,
            title=TITLE,
            meeting_date=today + dt.timedelta(days=9),
            priorities=priorities[:2],
        )
        if _build(paper, office, stdout):
            stdout.write(f"  paper: {paper} (draft, built)\n")
