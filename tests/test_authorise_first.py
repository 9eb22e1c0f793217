"""Authorise before you validate, and another system's object is "not found".

Someone who may not write is refused (403) whatever they sent: never told first what
is wrong with it. A related id the caller may not see is refused exactly like an id
that does not exist, in every serializer and form that takes one.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from delegation.tests import helpers as h
from milestones.models import Milestone

MISSING = 987654321


def _tht_milestone() -> Milestone:
    return Milestone.objects.get(owner_body__slug="tht", title__startswith="Explore options")


@pytest.mark.parametrize("username", ["viewer", "tht.board"])
def test_read_only_patch_without_version_is_403_not_400(api_as, username):
    milestone = _tht_milestone()
    response = api_as(username).patch(
        f"/api/v1/milestones/{milestone.pk}/", {"progress": "junk"}, format="json"
    )
    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    "url",
    [
        lambda: f"/api/v1/map-entries/{h.in_force('F-04', 'tht').pk}/",
        lambda: f"/api/v1/map-entries/{h.in_force('F-04', 'tht').pk}/supersede/",
        lambda: f"/api/v1/map-entries/{h.in_force('F-04', 'tht').pk}/revoke/",
        lambda: f"/api/v1/conditions/{h.tht_condition().pk}/",
        lambda: f"/api/v1/functions/{h.function('F-01').pk}/",
    ],
)
def test_map_writes_by_a_reader_are_403_before_validation(api_as, url):
    target = url()
    client = api_as("tht.board")
    send = client.post if target.endswith(("supersede/", "revoke/")) else client.patch
    response = send(target, {"level": "nowhere", "delegated_budget": "lots"}, format="json")
    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    "url", ["/api/v1/map-entries/", "/api/v1/conditions/", "/api/v1/functions/"]
)
def test_creating_on_a_map_you_may_not_edit_is_403_before_validation(api_as, url):
    assert api_as("tht.office").post(url, {"junk": True}, format="json").status_code == 403


def test_bulk_update_by_someone_who_may_update_nothing_is_403(api_as):
    response = api_as("viewer").post(
        "/api/v1/milestones/bulk-update/", {"ids": "junk"}, format="json"
    )
    assert response.status_code == 403


# --- another system's object is "not found", like a missing one ----------------------


def _sel_body():
    return h.body_of_kind("place_partnership", system="sel")


def _fields(response, field: str) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"][field]


def _assert_like_missing(send, field: str, hidden: object, payload: dict) -> None:
    """The error for ``hidden`` reads as the one for an id that does not exist."""
    hidden_messages = _fields(send({**payload, field: hidden}), field)
    missing_messages = _fields(send({**payload, field: MISSING}), field)
    assert [m.replace(str(hidden), "ID") for m in hidden_messages] == [
        m.replace(str(MISSING), "ID") for m in missing_messages
    ]
    text = " ".join(hidden_messages)
    assert "South East London" not in text and "SEL" not in text
    assert str(_sel_body()) not in text


def test_another_systems_body_in_a_map_entry_write_is_not_found(api_as):
    client = api_as("icb.governance")
    entry = h.in_force("F-04", "tht")
    url = f"/api/v1/map-entries/{entry.pk}/"

    def patch(data):
        return client.patch(url, {**data, "version": entry.version}, format="json")

    _assert_like_missing(patch, "receiving_body", _sel_body().pk, {"level": "place"})

    def create(data):
        return client.post("/api/v1/map-entries/", data, format="json")

    create_payload = {
        "function": h.function("KF-07").pk,
        "level": "place",
        "effective_from": "2025-04-01",
    }
    _assert_like_missing(create, "receiving_body", _sel_body().pk, create_payload)

    def supersede(data):
        return client.post(f"{url}supersede/", {**data, "version": entry.version}, format="json")

    _assert_like_missing(supersede, "receiving_body", _sel_body().pk, {})


def test_another_systems_objects_in_other_writes_are_not_found(api_as):
    client = api_as("icb.governance")
    condition = h.tht_condition()

    def patch_condition(data):
        url = f"/api/v1/conditions/{condition.pk}/"
        return client.patch(url, {**data, "version": condition.version}, format="json")

    _assert_like_missing(patch_condition, "owner_body_id", _sel_body().pk, {})

    def create_condition(data):
        return client.post("/api/v1/conditions/", data, format="json")

    payload = {"category": "reporting", "requirement": "x", "owner_body_id": h.body("tht").pk}
    _assert_like_missing(create_condition, "map_entry", h.sel_entry().pk, payload)

    def publish(data):
        return client.post("/api/v1/map-versions/", data, format="json")

    payload = {"system": "nel", "label": "v9", "meeting_date": "2026-10-01"}
    _assert_like_missing(publish, "approved_by", _sel_body().pk, payload)


def test_another_systems_slug_is_like_a_missing_one(api_as):
    client = api_as("icb.governance")

    def create(data):
        return client.post("/api/v1/functions/", data, format="json")

    hidden = _fields(create({"system": "sel", "code": "X-01", "name": "x"}), "system")
    missing = _fields(create({"system": "nowhere", "code": "X-01", "name": "x"}), "system")
    assert [m.replace("sel", "S") for m in hidden] == [m.replace("nowhere", "S") for m in missing]


def test_entry_form_offers_no_other_systems_body(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:entry_create", args=["nel"])
    page = client.get(url)
    assert f'value="{_sel_body().pk}"' not in page.text
    data = {
        "function": h.function("KF-07").pk,
        "level": "place",
        "decision_right": "decides",
        "delegated_budget": "0",
        "effective_from": "2025-04-01",
        "status": "proposed",
    }
    refused = client.post(url, {**data, "receiving_body": _sel_body().pk})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.text
    assert "belongs to" not in refused.text  # the model's message naming the system
