"""Milestone reads are scoped to the user: another system's programmes and milestones
answer 404 exactly like missing ones, and lists leave them out."""

from __future__ import annotations

import pytest
from django.http import Http404

from milestones import selectors
from milestones.models import Milestone


def test_another_systems_programme_and_milestone_are_404_like_missing_ones(
    persona, tht_programme, tht_milestone
):
    sel_lead = persona("sel.governance")
    for get, pk in (
        (selectors.programme_get, tht_programme.pk),
        (selectors.milestone_get, tht_milestone.pk),
    ):
        for asked in (pk, 999_999, "not-a-number"):
            with pytest.raises(Http404):
                get(sel_lead, asked)
    lead = persona("icb.governance")
    assert selectors.programme_get(lead, tht_programme.pk) == tht_programme
    assert selectors.milestone_get(lead, tht_milestone.pk) == tht_milestone


def test_lists_leave_out_another_systems_work(persona, tht_programme):
    sel_lead, lead = persona("sel.governance"), persona("icb.governance")
    nel_milestones = Milestone.objects.filter(owner_body__system__slug="nel")
    assert not selectors.milestones_for(sel_lead).filter(pk__in=nel_milestones).exists()
    assert tht_programme not in selectors.programmes_for(sel_lead)
    assert tht_programme in selectors.programmes_for(lead)
    assert not selectors.owner_bodies_for(sel_lead).filter(system__slug="nel").exists()


def test_related_milestones_are_scoped_too(persona, make):
    parent = make("Parent")
    child = make("Child", parent=parent)
    later = make("Later", dependencies=[parent])
    lead, sel_lead = persona("icb.governance"), persona("sel.governance")
    assert list(selectors.children_of(lead, parent)) == [child]
    assert list(selectors.dependents_of(lead, parent)) == [later]
    assert list(selectors.dependencies_of(lead, later)) == [parent]
    for related in (selectors.children_of, selectors.dependents_of):
        assert not related(sel_lead, parent).exists()


def test_rag_and_children_are_annotated(persona, make):
    parent = make("Parent")
    make("Child", parent=parent)
    row = selectors.milestones_for(persona("icb.governance")).get(pk=parent.pk)
    assert row.has_children is True
    assert row.rag_value


def test_the_apis_rows_are_the_same_milestones_with_what_they_show(persona, make):
    parent = make("Parent")
    later = make("Later", dependencies=[parent])
    for username in ("icb.governance", "tht.board", "sel.governance"):
        user = persona(username)
        rows = selectors.milestone_rows_for(user)
        assert set(rows) == set(selectors.milestones_for(user))
    row = selectors.milestone_rows_for(persona("icb.governance")).get(pk=later.pk)
    assert row.rag_value == selectors.milestones_for(persona("icb.governance")).get(pk=later.pk).rag
    assert [d.pk for d in row.dependencies.all()] == [parent.pk]


def test_counts_count_only_what_the_user_sees(persona, tht_programme):
    lead = persona("icb.governance")
    counted = selectors.programmes_with_counts(lead).get(pk=tht_programme.pk)
    assert counted.milestone_count == tht_programme.milestones.count()
    assert (
        not selectors.programmes_with_counts(persona("sel.governance"))
        .filter(pk=tht_programme.pk)
        .exists()
    )


def test_leads_are_people_with_a_role_in_the_system(tht):
    leads = set(selectors.possible_leads(tht.system_id).values_list("username", flat=True))
    assert {"tht.office", "icb.governance"} <= leads
    assert "sel.governance" not in leads
