from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.models import Body
from ics_portal import revision
from papers import services
from papers.blueprints import BLUEPRINTS
from papers.models import PaperState, PublicPage, SectionKind, Template


@pytest.fixture
def tht(db):
    return Body.objects.get(system__slug="nel", slug="tht")


@pytest.fixture
def hwbb(db):
    return Body.objects.get(system__slug="nel", slug="tower-hamlets-hwbb")


@pytest.fixture
def new(tht, hwbb, persona):
    def make(template=Template.HWBB_UPDATE, **fields):
        return services.paper_create(
            author_body=tht,
            meeting_body=hwbb,
            meeting_date=dt.date(2027, 3, 11),
            title="Test paper",
            template=template,
            by=persona("tht.office"),
            **fields,
        )

    return make


@pytest.mark.parametrize("template", list(Template))
def test_a_paper_starts_from_its_template(new, template, tht):
    paper = new(template)
    blueprint = BLUEPRINTS[template]
    assert [s.kind for s in paper.sections.order_by("order")] == [
        s.kind for s in blueprint.sections
    ]
    assert paper.recommendations.count() == len(blueprint.recommendations)
    assert paper.purpose == blueprint.purpose
    for section in paper.sections.filter(kind=SectionKind.DECISION_MAP):
        assert section.body == tht
    assert paper.state == PaperState.DRAFT
    assert paper.events.filter(what__startswith="Created").exists()


def test_a_meeting_of_another_system_is_refused(tht, persona):
    sel_body = Body.objects.filter(system__slug="sel").first()
    with pytest.raises(ValidationError, match="not a body of"):
        services.paper_create(
            author_body=tht,
            meeting_body=sel_body,
            meeting_date=dt.date(2027, 1, 1),
            title="x",
            template=Template.HWBB_UPDATE,
            by=persona("tht.office"),
        )


def test_a_stale_edit_is_refused_and_says_who_changed_what(new, persona):
    paper = new()
    loaded = paper.version
    services.paper_update(paper=paper, by=persona("icb.governance"), version=loaded, title="Theirs")
    with pytest.raises(services.Stale) as stale:
        services.paper_update(paper=paper, by=persona("tht.office"), version=loaded, title="Mine")
    assert "title" in stale.value.what
    lead = persona("icb.governance")
    assert stale.value.who == (lead.get_full_name() or lead.username)
    assert str(stale.value) == (
        f"It was changed by {stale.value.who} since you loaded it ({stale.value.what}). "
        "Nothing was saved over that change."
    )
    paper.refresh_from_db()
    assert paper.title == "Theirs"


def test_sections_and_recommendations_carry_their_own_versions(new, persona):
    paper = new()
    section = paper.sections.first()
    services.section_update(section=section, by=persona("tht.office"), version=1, text="One")
    with pytest.raises(services.Stale):
        services.section_update(section=section, by=persona("tht.office"), version=1, text="Two")
    rec = paper.recommendations.first()
    services.recommendation_update(
        recommendation=rec, by=persona("tht.office"), version=1, text="a"
    )
    with pytest.raises(services.Stale):
        services.recommendation_update(
            recommendation=rec, by=persona("tht.office"), version=1, text="b"
        )


def test_only_drafts_are_edited(new, persona):
    paper = new()
    services.paper_set_state(paper=paper, to=PaperState.READY, by=persona("tht.office"))
    paper.refresh_from_db()
    with pytest.raises(ValidationError, match="only a draft"):
        services.paper_update(paper=paper, by=persona("tht.office"), version=None, title="x")


def test_publishing_needs_a_built_version_and_a_ready_paper(new, persona):
    paper = new()
    lead = persona("icb.governance")
    with pytest.raises(ValidationError, match="cannot become published"):
        services.paper_set_state(paper=paper, to=PaperState.PUBLISHED, by=lead)
    services.paper_set_state(paper=paper, to=PaperState.READY, by=lead)
    with pytest.raises(ValidationError, match="no PDF yet"):
        services.paper_set_state(paper=paper, to=PaperState.PUBLISHED, by=lead)


def test_removing_a_recommendation_renumbers_the_rest(new, persona):
    paper = new()
    office = persona("tht.office")
    services.recommendation_add(paper=paper, by=office, action="approve", text="three")
    services.recommendation_delete(recommendation=paper.recommendations.get(number=1), by=office)
    assert list(paper.recommendations.values_list("number", "text")) == [
        (1, BLUEPRINTS[Template.HWBB_UPDATE].recommendations[1][1]),
        (2, "three"),
    ]


def test_a_section_added_at_a_place_moves_the_rest_down(new, persona):
    paper = new()
    services.section_add(
        paper=paper, by=persona("tht.office"), kind=SectionKind.NARRATIVE, heading="New", order=1
    )
    assert paper.sections.order_by("order").first().heading == "New"
    assert len(set(paper.sections.values_list("order", flat=True))) == paper.sections.count()


def test_build_request_queues_without_building(new, persona, django_capture_on_commit_callbacks):
    paper = new()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        build = services.build_request(paper=paper, by=persona("tht.office"))
    # One task sent on commit (besides the data revision's move, which every write has).
    tasks = [c for c in callbacks if not isinstance(c, revision.Queued)]
    assert build.state == "queued" and len(tasks) == 1
    assert not paper.versions.exists()


def test_a_finished_build_is_not_retried(draft, persona):
    with pytest.raises(ValidationError, match="finished"):
        services.build_retry(build=draft.builds.first(), by=persona("tht.office"))


def test_glossary_seed_only_adds_what_is_missing(db):
    from governance.models import IntegratedCareSystem

    nel = IntegratedCareSystem.objects.get(slug="nel")
    assert services.glossary_seed(system=nel) == 0
    nel.glossary_terms.filter(acronym="ICB").delete()
    assert services.glossary_seed(system=nel) == 1


def test_public_page_switch(db, persona):
    from governance.models import IntegratedCareSystem

    nel = IntegratedCareSystem.objects.get(slug="nel")
    assert not PublicPage.objects.filter(system=nel, enabled=True).exists()
    page = services.public_page_set(system=nel, enabled=True, by=persona("icb.governance"))
    assert page.enabled and page.changed_by.username == "icb.governance"
