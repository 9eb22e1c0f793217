"""The shared policy plumbing: one scope per request, one access step."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.signals import request_started
from django.db import close_old_connections, connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from delegation import permissions as delegation
from delegation.models import Condition, MapEntry
from governance import permissions as landscape
from governance import selectors as landscape_selectors
from governance.models import Body, IntegratedCareSystem
from ics_portal.policy import Action, forget, remember, require
from milestones import permissions as milestones
from milestones import selectors as milestone_selectors
from milestones.models import Milestone


def _new_request() -> None:
    """What Django signals at the start of a request, without its handler that closes
    old database connections: inside a test's transaction on PostgreSQL that would
    close the connection the test is using (Django's test client disconnects it too)."""
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)


def test_remember_computes_once_per_request(persona):
    user = persona("tht.office")
    calls = []
    _new_request()
    for _ in range(3):
        remember(user, "k", lambda: calls.append(1) or len(calls))
    assert calls == [1]
    _new_request()  # the same user object in the next request
    assert remember(user, "k", lambda: calls.append(1) or len(calls)) == 2
    forget(user)
    assert remember(user, "k", lambda: calls.append(1) or len(calls)) == 3


@pytest.mark.parametrize("who", ["icb.governance", "tht.office", "tht.board", "viewer"])
def test_every_check_of_a_request_shares_a_few_queries(who, persona):
    """A page's checks, lists and tags read the grants once; guardian is never asked."""
    user = persona(who)
    _new_request()
    entries = list(MapEntry.objects.select_related("function", "receiving_body"))
    bodies = list(Body.objects.all())
    milestones_ = list(Milestone.objects.select_related("owner_body"))
    with CaptureQueriesContext(connection) as first:
        landscape.system_ids(user)
        landscape.bodies_q(user)
        milestones.updatable_milestones(user)
    with CaptureQueriesContext(connection) as rest:
        for entry in entries:
            delegation.can(user, Action.VIEW, entry)
            delegation.can(user, Action.EDIT, entry)
        for body in bodies:
            landscape.can(user, Action.VIEW, body)
            landscape.can(user, Action.ACT_AS_PROGRAMME_OFFICE, body)
        for m in milestones_:
            milestones.can(user, Action.UPDATE, m)
        for action in (Action.VIEW, Action.EDIT, Action.ACT_AS_PROGRAMME_OFFICE):
            landscape.bodies_q(user, action)
        delegation.live_system_ids(user)
    assert len(first.captured_queries) <= 4
    assert rest.captured_queries == []
    # The lists filter on those ids: no guardian subquery in their SQL.
    if not delegation.live_system_ids(user):
        return  # a viewer's list is empty: Django sends no SQL at all
    sql = str(delegation.visible_map_entries(user).query)
    assert "guardian" not in sql and "objectpermission" not in sql.lower()


def test_lists_and_checks_agree(persona):
    """Whatever a list holds, ``can`` allows; whatever it leaves out, ``can`` denies."""
    for who in ("icb.governance", "tht.office", "newham.office", "viewer", "sel.governance"):
        user = persona(who)
        for model, policy in (
            (IntegratedCareSystem, landscape),
            (Body, landscape),
            (MapEntry, delegation),
            (Condition, delegation),
            (Milestone, milestones),
        ):
            shown = set(policy.visible(user, model).values_list("pk", flat=True))
            for obj in model.objects.all():
                assert policy.can(user, Action.VIEW, obj) == (obj.pk in shown), (who, obj)


def test_access_is_404_for_missing_and_invisible_and_403_for_seen_but_not_allowed(persona):
    office, other = persona("tht.office"), persona("newham.office")
    milestone = Milestone.objects.filter(owner_body__slug="tht").first()
    get = milestone_selectors.milestone_get
    with pytest.raises(Http404):
        milestones.access(office, Action.UPDATE, get, 10**9)
    with pytest.raises(Http404):
        landscape.access(other, Action.VIEW, landscape_selectors.system_get, "sel")
    assert landscape.can(other, Action.VIEW, milestone.owner_body)  # THT is published
    with pytest.raises(PermissionDenied):
        milestones.access(other, Action.EDIT, get, milestone.pk)
    assert milestones.access(office, Action.EDIT, get, milestone.pk).pk == milestone.pk


def test_authorise_passes_the_object_through_or_refuses_403(persona):
    office, other = persona("tht.office"), persona("newham.office")
    milestone = Milestone.objects.filter(owner_body__slug="tht").first()
    assert milestones.authorise(office, Action.EDIT, milestone) is milestone
    with pytest.raises(PermissionDenied):
        milestones.authorise(other, Action.EDIT, milestone)


def test_require_refuses_403_unless_allowed():
    require(True)
    with pytest.raises(PermissionDenied, match="Only the lead"):
        require(False, "Only the lead")


def test_unknown_actions_are_denied(persona):
    user = persona("icb.governance")
    system = IntegratedCareSystem.objects.get(slug="nel")
    assert landscape.can(user, Action.EDIT, system)
    assert not landscape.can(user, "launch_rockets", system)


def _grants_by_orm(user) -> set[tuple[str, str, int]]:
    """What the compiled-once statement must return: guardian's rows, read directly."""
    from governance.models import (
        BodyGroupObjectPermission,
        BodyUserObjectPermission,
        SystemGroupObjectPermission,
        SystemUserObjectPermission,
    )

    rows = set()
    for table, who, kind in (
        (SystemUserObjectPermission, {"user": user}, "s"),
        (SystemGroupObjectPermission, {"group__user": user}, "s"),
        (BodyUserObjectPermission, {"user": user}, "b"),
        (BodyGroupObjectPermission, {"group__user": user}, "b"),
    ):
        for grant in table.objects.filter(**who).select_related("permission"):
            rows.add((kind, grant.permission.codename, grant.content_object_id))
    return rows


def test_the_grants_statement_compiled_once_reads_each_users_own_rows(persona):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from governance import scope

    # A grant through a group as well, so all four parts of the statement have rows.
    group = Group.objects.create(name="Newham readers")
    group.user_set.add(persona("viewer"))
    assign_perm("view_body", group, Body.objects.get(system__slug="nel", slug="newham"))
    for username in ("tht.office", "viewer", "newham.office", "sel.governance", "tht.office"):
        user = persona(username)
        grants = scope._read(user)
        found = {("s", c, pk) for c, ids in grants.systems.items() for pk in ids} | {
            ("b", c, pk) for c, ids in grants.bodies.items() for pk in ids
        }
        assert found == _grants_by_orm(user), username
        assert found, username
    assert "governance.grants" in scope._compiled  # compiled once, run for each of them
    _sql, params = scope._compiled["governance.grants"]
    assert list(params).count(scope._ANY_USER) == 4


def test_object_grants_compiled_once_still_answer_per_user(persona):
    from django.contrib.auth import get_user_model

    from governance.scope import object_grants
    from milestones.models import MilestoneGroupObjectPermission, MilestoneUserObjectPermission
    from milestones.permissions import LEAD_CODENAME

    leads = MilestoneUserObjectPermission.objects.filter(permission__codename=LEAD_CODENAME)
    users = list(get_user_model().objects.filter(pk__in=leads.values("user_id"))[:3])
    assert users, "the demo has milestone leads"
    for user in [*users, persona("viewer")]:
        mine = set(leads.filter(user=user).values_list("content_object_id", flat=True))
        got = object_grants(
            user, MilestoneUserObjectPermission, MilestoneGroupObjectPermission, LEAD_CODENAME
        )
        assert got == mine, user
