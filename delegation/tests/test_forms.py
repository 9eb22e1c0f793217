"""Map forms parse and present; their related fields offer only the form's system
(and, for a delegation, only bodies a function can be delegated to)."""

from __future__ import annotations

import pytest

from delegation.forms import ConditionForm, EntryForm, FunctionForm
from delegation.models import Level
from delegation.tests import helpers as h
from governance.models import Body, BodyKind

pytestmark = pytest.mark.django_db


def test_an_entry_offers_only_its_systems_functions_and_delegable_bodies():
    form = EntryForm(system=h.nel())
    functions = form.fields["function"].queryset
    bodies = form.fields["receiving_body"].queryset
    assert functions.exists() and {f.system.slug for f in functions} == {"nel"}
    assert bodies.exists() and {b.system.slug for b in bodies} == {"nel"}
    assert not bodies.filter(kind__in=[BodyKind.HWBB, BodyKind.PCN]).exists()


def test_an_entry_refuses_another_systems_body():
    sel_body = Body.objects.filter(system__slug="sel").exclude(kind=BodyKind.PCN).first()
    form = EntryForm(
        data={
            "function": h.function("F-01").pk,
            "level": Level.PLACE,
            "receiving_body": sel_body.pk,
            "decision_right": "decides",
            "effective_from": "2025-04-01",
            "status": "proposed",
        },
        system=h.nel(),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["receiving_body"]


def test_a_condition_is_owned_by_a_body_of_its_system():
    form = ConditionForm(system=h.nel())
    owners = form.fields["owner_body"].queryset
    assert owners.filter(slug="tht").exists()
    assert not owners.filter(system__slug="sel").exists()
    initial = ConditionForm.initial_from(h.tht_condition())
    assert initial["owner_body"] == h.tht_condition().owner_body_id


def test_a_function_needs_a_code_and_a_name():
    form = FunctionForm(data={"display_order": 0})
    assert not form.is_valid()
    assert {"code", "name"} <= set(form.errors)
    assert FunctionForm(data={"code": "F-99", "name": "A function", "display_order": 0}).is_valid()
