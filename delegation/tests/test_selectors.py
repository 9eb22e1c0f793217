"""Map reads are scoped to the user: another system's functions, entries, conditions
and versions answer 404 exactly like missing ones, and lists leave them out."""

from __future__ import annotations

import pytest
from django.http import Http404

from delegation import selectors
from delegation.models import EntryStatus
from delegation.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_another_systems_records_are_404_like_missing_ones(persona):
    sel_lead = persona("sel.governance")
    cases = [
        (selectors.function_get, h.function("F-01").pk),
        (selectors.entry_get, h.in_force("F-01", "tht").pk),
        (selectors.condition_get, h.tht_condition().pk),
        (selectors.version_get, h.v1().pk),
    ]
    for get, pk in cases:
        with pytest.raises(Http404):
            get(sel_lead, pk)
        with pytest.raises(Http404):
            get(sel_lead, 999_999)
    # The NEL lead reads the very same records.
    lead = persona("icb.governance")
    assert [get(lead, pk).pk for get, pk in cases] == [pk for _get, pk in cases]


def test_lists_hold_only_the_users_system(persona):
    sel_lead, lead = persona("sel.governance"), persona("icb.governance")
    for listed in (selectors.functions_in, selectors.entries_in, selectors.conditions_in):
        assert not listed(sel_lead, h.nel()).exists()
        assert listed(lead, h.nel()).exists()
    assert not selectors.versions_in(sel_lead, h.nel()).exists()
    assert selectors.entries_in(sel_lead, h.sel()).filter(pk=h.sel_entry().pk).exists()


def test_entries_narrow_by_group_kind_and_status(persona):
    lead = persona("icb.governance")
    entry = h.in_force("F-01", "tht")
    by_group = selectors.entries_in(lead, h.nel(), group=entry.function.group)
    assert entry in by_group
    assert {e.function.group for e in by_group} == {entry.function.group}
    by_kind = selectors.entries_in(lead, h.nel(), body_kind=entry.receiving_body.kind)
    assert {e.receiving_body.kind for e in by_kind} == {entry.receiving_body.kind}
    proposed = selectors.entries_in(lead, h.nel(), status=EntryStatus.PROPOSED)
    assert entry not in proposed


def test_conditions_narrow_by_owner(persona):
    lead = persona("icb.governance")
    tht = selectors.conditions_in(lead, h.nel(), owner="tht")
    assert h.tht_condition() in tht
    assert h.newham_condition() not in tht
    assert {c.owner_body.slug for c in tht} == {"tht"}


def test_function_groups_are_the_systems_own_distinct_and_sorted():
    groups = selectors.function_groups(h.nel())
    assert groups == sorted(set(groups)) and "" not in groups
    assert h.function("F-01").group in groups
