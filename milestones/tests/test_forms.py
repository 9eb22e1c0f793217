"""Milestone forms: a due date or a quarter, not both; related fields keep to the
querysets the view gives them (the programme's system, what the user may choose)."""

from __future__ import annotations

from governance.models import Body
from milestones import selectors
from milestones.forms import BulkUpdateForm, MilestoneForm
from milestones.models import Milestone


def _form(data, *, programme, user, **kwargs) -> MilestoneForm:
    system_id = programme.owning_system_id
    return MilestoneForm(
        data,
        programme=programme,
        bodies=selectors.owner_body_choices(user, system_id),
        leads=selectors.possible_leads(system_id),
        milestones=Milestone.objects.filter(programme=programme),
        **kwargs,
    )


def _data(tht, **overrides) -> dict:
    return {
        "title": "A new milestone",
        "owner_body": tht.pk,
        "status": "not_started",
        "progress": 0,
        "weight": 1,
        "due_date": "2030-06-30",
        **overrides,
    }


def test_owner_body_and_lead_choices_stay_in_the_system(tht, tht_programme, persona):
    form = _form(None, programme=tht_programme, user=persona("tht.office"))
    owners = form.fields["owner_body"].queryset
    assert tht in owners
    assert not owners.filter(system__slug="sel").exists()
    leads = form.fields["lead_user"].queryset.values_list("username", flat=True)
    assert "tht.office" in leads and "sel.governance" not in leads


def test_another_systems_body_is_refused(tht, tht_programme, persona):
    sel_body = Body.objects.filter(system__slug="sel").first()
    user = persona("tht.office")
    form = _form(_data(tht, owner_body=sel_body.pk), programme=tht_programme, user=user)
    assert not form.is_valid()
    assert "owner_body" in form.errors
    assert _form(_data(tht), programme=tht_programme, user=user).is_valid()


def test_a_due_date_or_a_quarter_not_both(tht, tht_programme, persona):
    user = persona("tht.office")
    both = _data(tht, due_quarter="Q1 2030/31")
    assert not _form(both, programme=tht_programme, user=user).is_valid()
    neither = _data(tht, due_date="")
    assert not _form(neither, programme=tht_programme, user=user).is_valid()
    quarter = _form(
        _data(tht, due_date="", due_quarter="Q1 2030/31"), programme=tht_programme, user=user
    )
    assert quarter.is_valid(), quarter.errors


def test_a_bulk_update_needs_something_to_set_and_known_ids(tht_milestone):
    choices = [(tht_milestone.pk, tht_milestone.title)]
    empty = BulkUpdateForm({"ids": [tht_milestone.pk]}, choices=choices)
    assert not empty.is_valid()
    unknown = BulkUpdateForm({"ids": [999_999], "status": "underway"}, choices=choices)
    assert not unknown.is_valid() and "ids" in unknown.errors
    ok = BulkUpdateForm({"ids": [tht_milestone.pk], "progress": 40}, choices=choices)
    assert ok.is_valid(), ok.errors
