"""Papers and their parts leave a project history record on every write, door included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ics_portal.history.door import Door, history_context
from papers import services
from papers.models import GlossaryTerm, Recommendation, Section, SectionKind
from papers.tests.test_views import _cover


def test_a_cover_edit_through_a_page_names_the_door_and_the_person(client_as, draft, persona):
    before = draft.history.count()
    response = client_as("tht.office").post(
        reverse("papers:edit", args=[draft.pk]), _cover(draft, summary="Summary from the page")
    )
    assert response.status_code == 302
    newest = draft.history.order_by("-history_id").first()
    assert draft.history.count() == before + 1
    assert newest.summary == "Summary from the page"
    assert (newest.history_door, newest.history_user) == (Door.PAGE, persona("tht.office"))


def test_ticking_a_priority_is_recorded(draft, persona):
    priority = draft.system.strategic_priorities.exclude(papers=draft).first()
    assert priority is not None
    services.paper_update(
        paper=draft,
        by=persona("tht.office"),
        version=draft.version,
        priorities=[*draft.priorities.all(), priority],
    )
    newest = draft.history.order_by("-history_id").first()
    assert priority.pk in newest.priorities.values_list("strategicpriority", flat=True)


def test_a_section_inserted_records_the_sections_it_moved_down(draft, persona):
    moved = list(draft.sections.filter(order__gte=2).values_list("pk", flat=True))
    with history_context(Door.API, user=persona("tht.office")):
        added = services.section_add(
            paper=draft,
            by=persona("tht.office"),
            kind=SectionKind.NARRATIVE,
            heading="New",
            order=2,
        )
    assert added.history.get().history_type == "+"
    for pk in moved:
        newest = Section.history.filter(id=pk).order_by("-history_id").first()
        assert newest.order == Section.objects.get(pk=pk).order
        assert newest.history_door == Door.API


def test_renumbering_after_a_removal_is_recorded(draft, persona):
    first = draft.recommendations.order_by("number").first()
    first_pk = first.pk
    services.recommendation_delete(recommendation=first, by=persona("tht.office"))
    for rec in draft.recommendations.all():
        newest = Recommendation.history.filter(id=rec.pk).order_by("-history_id").first()
        assert newest.number == rec.number
    assert Recommendation.history.filter(id=first_pk, history_type="-").exists()


@pytest.mark.django_db
def test_seeding_the_glossary_leaves_a_record_per_term():
    from governance.models import IntegratedCareSystem

    sel = IntegratedCareSystem.objects.get(slug="sel")
    GlossaryTerm.objects.filter(system=sel).delete()
    added = services.glossary_seed(system=sel)
    assert added and GlossaryTerm.history.filter(system=sel, history_type="+").count() >= added


def test_switching_the_public_page_is_recorded(client_as, persona):
    client_as("icb.governance").post(
        reverse("papers:public_switch", args=["nel"]), {"enabled": "on"}
    )
    from papers.models import PublicPage

    page = PublicPage.objects.get(system__slug="nel")
    newest = page.history.order_by("-history_id").first()
    assert newest.enabled and newest.history_door == Door.PAGE
    assert newest.history_user == persona("icb.governance")
