from __future__ import annotations

import pytest
from django.http import Http404

from papers import selectors, services


def test_a_paper_one_may_not_see_is_404_like_a_missing_one(draft, persona):
    with pytest.raises(Http404):
        selectors.paper_get(persona("viewer"), draft.pk)
    with pytest.raises(Http404):
        selectors.paper_get(persona("viewer"), 999999)
    with pytest.raises(Http404):
        selectors.paper_get(persona("viewer"), "not-a-number")


def test_parts_are_found_only_inside_their_paper(draft, published):
    other = published.sections.first()
    with pytest.raises(Http404):
        selectors.section_get(draft, other.pk)
    with pytest.raises(Http404):
        selectors.version_get(draft, 7)


def test_form_choices_stay_in_the_system(draft):
    assert set(selectors.bodies_of(draft.system).values_list("system__slug", flat=True)) == {"nel"}
    programmes = selectors.programmes_of(draft.system)
    assert programmes.exists()
    assert all(p.owning_system_id == draft.system_id for p in programmes)


def test_public_reads_need_the_page_switched_on(draft, published, persona):
    with pytest.raises(Http404):
        selectors.public_system("nel")
    services.public_page_set(system=draft.system, enabled=True, by=persona("icb.governance"))
    system = selectors.public_system("nel")
    assert [p for p, _v in selectors.published_papers(system)] == [published]
    with pytest.raises(Http404):
        selectors.public_version(system, draft.pk, 1)


def test_builds_are_scoped_like_papers(draft, persona):
    assert selectors.builds_for(persona("tht.board")).filter(paper=draft).exists()
    assert not selectors.builds_for(persona("viewer")).filter(paper=draft).exists()
