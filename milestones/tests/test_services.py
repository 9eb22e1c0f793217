"""Roll-up, dependencies, cycles, bulk all-or-nothing, concurrency and the update log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Body
from milestones import services
from milestones.models import Milestone, MilestoneUpdate, Programme, Status, UpdateSource


def test_programme_is_owned_by_system_or_body_not_both(tht):
    with pytest.raises(ValidationError, match="exactly one"):
        services.programme_create(name="Both", system=tht.system, body=tht)
    with pytest.raises(ValidationError, match="exactly one"):
        services.programme_create(name="Neither")
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(name="Raw both", system=tht.system, body=tht)


def test_progress_constraint_in_database(make):
    milestone = make("Bounded")
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(progress=101)


def test_owner_body_must_be_in_the_programmes_system(tht_programme):
    sel_body = Body.objects.filter(system__slug="sel").first()
    with pytest.raises(ValidationError, match="not part of the system"):
        services.milestone_create(
            programme=tht_programme, owner_body=sel_body, title="Stray", due_date=dt.date.today()
        )


def test_parent_must_be_in_same_programme(make, tht):
    other = services.programme_create(name="Other THT programme", body=tht)
    parent = make("Parent elsewhere", programme=other)
    with pytest.raises(ValidationError, match="same programme"):
        make("Child", parent=parent)


def test_roll_up_is_weighted_mean_and_logged(make, persona):
    parent = make("Parent")
    a = make("Child A", parent=parent, weight=3)
    make("Child B", parent=parent, weight=1)
    services.milestone_update(milestone=a, by=persona("tht.office"), version=a.version, progress=80)
    parent.refresh_from_db()
    assert parent.progress == 60  # (80*3 + 0*1) / 4
    log = parent.updates.filter(field="progress").first()
    assert log.source == UpdateSource.ROLLUP and log.new_value == "60%"


def test_parent_progress_cannot_be_typed(make, persona):
    parent = make("Typed parent")
    make("Its child", parent=parent)
    parent.refresh_from_db()
    with pytest.raises(ValidationError, match="rolled up"):
        services.milestone_update(
            milestone=parent, by=persona("tht.office"), version=parent.version, progress=90
        )


def test_parent_cannot_complete_while_a_child_is_open(make, persona):
    parent = make("Open parent")
    make("Open child one", parent=parent)
    make("Done child", parent=parent, status=Status.COMPLETE)
    parent.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.milestone_update(
            milestone=parent, by=persona("tht.office"), version=parent.version, status="complete"
        )
    message = str(caught.value)
    assert "“Open child one”" in message and "Done child" not in message
    parent.refresh_from_db()
    assert parent.status == Status.NOT_STARTED


def test_cannot_complete_before_dependencies(make, persona):
    first = make("Foundation")
    second = make("Building", dependencies=[first])
    with pytest.raises(ValidationError, match="“Foundation”"):
        services.milestone_update(
            milestone=second, by=persona("tht.office"), version=second.version, status="complete"
        )
    services.milestone_update(
        milestone=first, by=persona("tht.office"), version=first.version, status="complete"
    )
    second.refresh_from_db()
    done = services.milestone_update(
        milestone=second, by=persona("tht.office"), version=second.version, status="complete"
    )
    assert done.status == Status.COMPLETE and done.progress == 100


def test_dependency_cycle_is_refused(make, persona):
    a = make("Cycle A")
    b = make("Cycle B", dependencies=[a])
    c = make("Cycle C", dependencies=[b])
    with pytest.raises(
        ValidationError, match=r"loop.*“Cycle A” → “Cycle C” → “Cycle B” → “Cycle A”"
    ):
        services.milestone_update(
            milestone=a, by=persona("tht.office"), version=a.version, dependencies=[c]
        )
    assert not a.dependencies.exists()


def test_cycle_via_parent_is_refused(make, persona):
    parent = make("Cycle parent")
    child = make("Cycle child", parent=parent)
    with pytest.raises(ValidationError, match="loop"):
        services.milestone_update(
            milestone=child, by=persona("tht.office"), version=child.version, dependencies=[parent]
        )


def test_self_dependency_refused(make, persona):
    a = make("Narcissus")
    with pytest.raises(ValidationError, match="itself"):
        services.milestone_update(
            milestone=a, by=persona("tht.office"), version=a.version, dependencies=[a]
        )


def test_dependencies_stay_in_the_system(make, persona):
    sel = Milestone.objects.filter(owner_body__system__slug="sel").first()
    a = make("Local")
    with pytest.raises(ValidationError, match="another system"):
        services.milestone_update(
            milestone=a, by=persona("tht.office"), version=a.version, dependencies=[sel]
        )


def test_stale_version_is_refused_and_nothing_lost(make, persona):
    milestone = make("Contended")
    loaded = milestone.version
    services.milestone_update(
        milestone=milestone, by=persona("tht.office"), version=loaded, progress=30, note="first"
    )
    office = persona("tht.office")
    name = office.get_full_name() or office.get_username()
    with pytest.raises(services.StaleMilestone, match=rf"changed by {name} since you loaded"):
        services.milestone_update(
            milestone=milestone, by=persona("icb.governance"), version=loaded, progress=70
        )
    milestone.refresh_from_db()
    assert milestone.progress == 30
    assert milestone.version == loaded + 1


def test_every_change_is_logged(make, persona, tht):
    office = persona("tht.office")
    milestone = make("Logged")
    services.milestone_update(
        milestone=milestone,
        by=office,
        version=milestone.version,
        status=Status.UNDERWAY,
        progress=10,
        due_date=dt.date(2030, 3, 31),
        note="kick-off",
    )
    milestone.refresh_from_db()
    services.milestone_set_lead(
        milestone=milestone, by=office, version=milestone.version, lead_name="A Person"
    )
    logs = {u.field: u for u in milestone.updates.all()}
    assert logs["status"].old_value == "Not started" and logs["status"].new_value == "Underway"
    assert logs["progress"].new_value == "10%" and logs["progress"].note == "kick-off"
    assert logs["due_date"].new_value == "31 Mar 2030 (Q4 2029/30)"
    assert logs["lead"].new_value == "A Person" and logs["lead"].changed_by == office


def test_bulk_update_all_or_nothing(make, persona):
    office = persona("tht.office")
    ok_one = make("Bulk ok one")
    ok_two = make("Bulk ok two")
    blocker = make("Bulk blocker")
    blocked = make("Bulk blocked", dependencies=[blocker])
    before = MilestoneUpdate.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.milestone_bulk_update(
            milestones=[ok_one, ok_two, blocked], by=office, status="complete", note="done"
        )
    messages = caught.value.messages
    assert messages[0] == "None of the 3 milestones were changed."
    assert len(messages) == 2 and messages[1].startswith("“Bulk blocked”: ")
    assert "“Bulk blocker”" in messages[1]
    for m in (ok_one, ok_two, blocked):
        m.refresh_from_db()
        assert m.status == Status.NOT_STARTED
    assert MilestoneUpdate.objects.count() == before


def test_bulk_update_succeeds_in_dependency_order(make, persona):
    office = persona("tht.office")
    first = make("Bulk first")
    then = make("Bulk then", dependencies=[first])
    parent = make("Bulk parent")
    child = make("Bulk child", parent=parent)
    parent.refresh_from_db()
    changed = services.milestone_bulk_update(
        milestones=[then, parent, first, child], by=office, status="complete", note="Board agreed"
    )
    assert {m.status for m in changed} == {"complete"}
    log = then.updates.get(field="status")
    assert log.note == "Board agreed" and log.source == UpdateSource.BULK


def test_bulk_update_reports_stale_rows(make, persona):
    office = persona("tht.office")
    a = make("Bulk stale")
    old = a.version
    services.milestone_update(milestone=a, by=office, version=old, progress=5)
    with pytest.raises(ValidationError, match="someone else changed it"):
        services.milestone_bulk_update(milestones=[a], by=office, progress=50, versions={a.pk: old})


def test_bulk_update_needs_something_to_change(make, persona):
    with pytest.raises(ValidationError, match="status or a progress"):
        services.milestone_bulk_update(milestones=[make("x")], by=persona("tht.office"))


def test_set_lead_moves_the_object_grant(make, persona):
    from milestones import permissions
    from milestones.permissions import Action

    board, newham = persona("tht.board"), persona("newham.office")
    milestone = make("Lead moves")
    assert not permissions.can(board, Action.UPDATE, milestone)
    services.milestone_set_lead(milestone=milestone, by=persona("tht.office"), lead_user=board)
    assert permissions.can(persona("tht.board"), Action.UPDATE, milestone)
    milestone.refresh_from_db()
    services.milestone_set_lead(milestone=milestone, by=persona("tht.office"), lead_user=newham)
    assert not permissions.can(persona("tht.board"), Action.UPDATE, milestone)
    assert permissions.can(persona("newham.office"), Action.UPDATE, milestone)
    with pytest.raises(ValidationError, match="not both"):
        services.milestone_set_lead(
            milestone=milestone, by=persona("tht.office"), lead_user=board, lead_name="X"
        )


def test_function_link_stays_in_the_system(make, persona):
    from delegation.models import Function

    nel_function = Function.objects.filter(system__slug="nel").first()
    sel_function = Function.objects.filter(system__slug="sel").first()
    linked = make("About a function", function=nel_function)
    assert linked.function == nel_function
    with pytest.raises(ValidationError, match="another system's function catalogue"):
        make("About SEL", function=sel_function)


def test_lead_must_hold_a_role_in_the_system(make, persona):
    milestone = make("No outsiders")
    with pytest.raises(ValidationError, match="holds no role in"):
        services.milestone_set_lead(
            milestone=milestone, by=persona("tht.office"), lead_user=persona("sel.governance")
        )
    with pytest.raises(ValidationError, match="holds no role in"):
        make("Outsider lead", lead_user=persona("sel.governance"))


def test_a_lead_who_leaves_the_system_loses_the_milestone(persona, led_by_board):
    from governance.models import RoleAssignment
    from governance.services import role_revoke
    from milestones import permissions
    from milestones.permissions import Action

    for assignment in RoleAssignment.objects.filter(
        user__username="tht.board", revoked_at__isnull=True
    ):
        role_revoke(assignment=assignment)
    board = persona("tht.board")
    assert not permissions.can(board, Action.UPDATE, led_by_board)
    assert not permissions.can(board, Action.VIEW, led_by_board)
    assert not permissions.visible_milestones(board).exists()


def test_complete_with_progress_left_as_it_was_means_100(make, persona):
    m = make("Finishing", progress=40)
    services.milestone_update(
        milestone=m, by=persona("tht.office"), version=m.version, status="complete", progress=40
    )
    m.refresh_from_db()
    assert (m.status, m.progress) == ("complete", 100)


def test_complete_with_a_lower_progress_typed_asks_which_is_true(make, persona):
    m = make("Contradiction", progress=40)
    with pytest.raises(ValidationError, match="marked complete but its progress is 60"):
        services.milestone_update(
            milestone=m, by=persona("tht.office"), version=m.version, status="complete", progress=60
        )
    with pytest.raises(ValidationError, match="marked complete"):
        make("Born contradictory", status="complete", progress=50)
    assert make("Born complete", status="complete").progress == 100
