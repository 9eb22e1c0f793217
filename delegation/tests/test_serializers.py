"""Map serializers: their fields, and writable related fields scoped to what the
requesting user may see, so another system's ids are refused like missing ones."""

from __future__ import annotations

import pytest
from rest_framework.test import APIRequestFactory

from delegation.serializers import ConditionSerializer, FunctionSerializer, MapEntrySerializer
from delegation.tests import helpers as h

pytestmark = pytest.mark.django_db


def _context(user) -> dict:
    request = APIRequestFactory().get("/api/v1/")
    request.user = user
    return {"request": request}


def test_an_entry_says_its_function_code_body_and_version(persona):
    entry = h.in_force("F-01", "tht")
    data = MapEntrySerializer(entry, context=_context(persona("icb.governance"))).data
    assert data["function_code"] == "F-01"
    assert data["receiving_body_name"] == entry.receiving_body.name
    assert data["version"] == entry.version
    assert {"superseded_by", "created_at", "updated_at"} <= set(data)


def test_an_entry_cannot_name_another_systems_function_or_body(persona):
    data = {
        "function": h.function("F-01").pk,
        "level": "place",
        "receiving_body": h.body("tht").pk,
        "decision_right": "decides",
        "effective_from": "2025-04-01",
    }
    refused = MapEntrySerializer(data=data, context=_context(persona("sel.governance")))
    assert not refused.is_valid()
    assert {"function", "receiving_body"} <= set(refused.errors)
    allowed = MapEntrySerializer(data=data, context=_context(persona("icb.governance")))
    assert allowed.is_valid(), allowed.errors


def test_without_a_user_no_related_id_is_accepted():
    serializer = ConditionSerializer(
        data={
            "map_entry": h.in_force("F-01", "tht").pk,
            "category": h.tht_condition().category,
            "requirement": "Report quarterly.",
            "owner_body_id": h.body("tht").pk,
        },
        context={},
    )
    assert not serializer.is_valid()
    assert {"map_entry", "owner_body_id"} <= set(serializer.errors)


def test_a_function_names_its_system_by_slug_and_refuses_anothers(persona):
    data = {"system": "nel", "code": "F-99", "name": "A function", "display_order": 0}
    assert not FunctionSerializer(data=data, context=_context(persona("sel.governance"))).is_valid()
    ok = FunctionSerializer(data=data, context=_context(persona("icb.governance")))
    assert ok.is_valid(), ok.errors
    assert FunctionSerializer(h.function("F-01")).data["system"] == "nel"
