"""Landscape reads are scoped to the user: another system's records, and bodies the
user may not see, answer 404 exactly like missing ones, and lists leave them out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from governance import selectors
from governance.models import Body, BodyKind, IntegratedCareSystem, Membership

pytestmark = pytest.mark.django_db

UNPUBLISHED = "community-health-collaborative"


def nel() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(slug="nel")


def test_another_systems_system_is_404_like_a_missing_one(persona):
    sel_lead = persona("sel.governance")
    assert [s.slug for s in selectors.systems_for(sel_lead)] == ["sel"]
    for slug in ("nel", "nowhere"):
        with pytest.raises(Http404):
            selectors.system_get(sel_lead, slug)
    assert selectors.system_get(persona("viewer"), "nel") == nel()


def test_another_systems_bodies_are_invisible(persona):
    sel_lead = persona("sel.governance")
    assert not selectors.bodies_in(sel_lead, nel()).exists()
    with pytest.raises(Http404):
        selectors.body_get(sel_lead, nel(), "tht")


def test_an_unpublished_body_is_404_to_those_it_is_hidden_from(persona):
    with pytest.raises(Http404):
        selectors.body_get(persona("viewer"), nel(), UNPUBLISHED)
    assert selectors.body_get(persona("icb.governance"), nel(), UNPUBLISHED).slug == UNPUBLISHED
    listed = selectors.bodies_in(persona("viewer"), nel()).values_list("slug", flat=True)
    assert UNPUBLISHED not in listed and "tht" in listed


def test_subgroups_and_accountable_bodies_are_scoped_too(persona):
    tht = Body.objects.get(system__slug="nel", slug="tht")
    lead, sel_lead = persona("icb.governance"), persona("sel.governance")
    assert set(selectors.subgroups_of(lead, tht)) == set(tht.children.all())
    assert not selectors.subgroups_of(sel_lead, tht).exists()
    assert not selectors.accountable_bodies_of(sel_lead, tht).exists()


def test_current_memberships_leave_out_ended_and_future_seats():
    tht = Body.objects.get(system__slug="nel", slug="tht")
    ended, future = list(tht.memberships.all())[:2]
    today = dt.date.today()
    Membership.objects.filter(pk=ended.pk).update(
        start_date=today - dt.timedelta(days=10), end_date=today - dt.timedelta(days=1)
    )
    Membership.objects.filter(pk=future.pk).update(start_date=today + dt.timedelta(days=5))
    current = set(selectors.current_memberships(tht, on=today))
    assert ended not in current and future not in current
    assert ended in set(selectors.current_memberships(tht, on=today - dt.timedelta(days=2)))
    assert future in set(selectors.current_memberships(tht, on=today + dt.timedelta(days=5)))


def test_active_roles_are_the_users_own_and_none_for_a_visitor(persona):
    roles = selectors.active_roles_of(persona("tht.office"))
    assert roles.exists()
    assert {r.user.username for r in roles} == {"tht.office"}
    assert not selectors.active_roles_of(AnonymousUser()).exists()


def test_landscape_counts_count_the_system_only():
    counts = selectors.landscape_counts(system=nel())
    assert counts[BodyKind.PCN] == Body.objects.filter(system__slug="nel", kind="pcn").count()
    assert counts["memberships"] == Membership.objects.filter(body__system__slug="nel").count()
    assert counts["organisations"] == nel().organisations.count()
