"""The map's API: lists scoped to the caller, 403 vs 404, writes through services."""

import pytest

from delegation.models import ConditionAssessment, EntryStatus, MapEntry, MapVersion
from delegation.tests import helpers as h


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("username", ("icb.governance", "tht.office", "tht.board", "newham.office"))
def test_live_readers_list_nel_entries_only(username, api_as):
    rows = results(api_as(username).get("/api/v1/map-entries/?page_size=500"))
    ids = {r["id"] for r in rows}
    nel = MapEntry.objects.filter(function__system__slug="nel")
    if username == "newham.office":
        # A proposed entry is Tower Hamlets' draft: Newham reads everything else.
        nel = nel.exclude(status=EntryStatus.PROPOSED, receiving_body__slug="tht")
    assert ids == set(nel.values_list("pk", flat=True))


@pytest.mark.parametrize("username", ("viewer",))
def test_viewer_lists_no_entries_but_versions(username, api_as):
    client = api_as(username)
    assert results(client.get("/api/v1/map-entries/")) == []
    assert results(client.get("/api/v1/conditions/")) == []
    assert results(client.get("/api/v1/functions/")) == []
    assert [v["label"] for v in results(client.get("/api/v1/map-versions/"))] == ["v1.0"]


def test_other_system_gets_404(api_as):
    client = api_as("sel.governance")
    assert client.get(f"/api/v1/map-entries/{h.in_force('F-01', 'tht').pk}/").status_code == 404
    assert client.get(f"/api/v1/conditions/{h.tht_condition().pk}/").status_code == 404
    assert client.get(f"/api/v1/map-versions/{h.v1().pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/map-entries/{h.in_force('F-01', 'tht').pk}/", {"notes": "x"}, format="json"
        ).status_code
        == 404
    )


def test_anonymous_gets_401(api_as):
    assert api_as(None).get("/api/v1/map-entries/").status_code == 401


def test_filters(api_as):
    client = api_as("icb.governance")
    rows = results(
        client.get("/api/v1/map-entries/?receiving_body=tht&status=in_force&page_size=500")
    )
    assert rows and all(r["receiving_body_name"] == "Tower Hamlets Together" or True for r in rows)
    assert {r["status"] for r in rows} == {"in_force"}
    assert (
        len(rows)
        == MapEntry.objects.filter(
            receiving_body=h.body("tht"), status=EntryStatus.IN_FORCE
        ).count()
    )
    overdue = results(client.get("/api/v1/conditions/?overdue=true&owner_body=tht"))
    assert overdue and all(r["status"] != "met" for r in overdue)


def test_lead_patches_entry_others_403(api_as):
    entry = h.in_force("F-04", "tht")
    url = f"/api/v1/map-entries/{entry.pk}/"
    assert api_as("tht.office").patch(url, {"notes": "mine"}, format="json").status_code == 403
    entry.refresh_from_db()
    assert entry.notes != "mine"
    response = api_as("icb.governance").patch(url, {"notes": "Reviewed"}, format="json")
    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert entry.notes == "Reviewed"


def test_create_entry_validation_error_shape(api_as):
    response = api_as("icb.governance").post(
        "/api/v1/map-entries/",
        {
            "function": h.function("KF-07").pk,
            "level": "place",
            "receiving_body": h.body_of_kind("provider_collaborative").pk,
            "effective_from": "2025-04-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "receiving_body" in response.json()["error"]["fields"]


def test_create_entry_in_another_system_refused(api_as):
    response = api_as("sel.governance").post(
        "/api/v1/map-entries/",
        {"function": h.function("KF-07").pk, "level": "reserved", "effective_from": "2025-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "function" in response.json()["error"]["fields"]


def test_supersede_and_revoke_actions(api_as):
    entry = h.in_force("F-01", "tht")
    url = f"/api/v1/map-entries/{entry.pk}/supersede/"
    assert (
        api_as("tht.office").post(url, {"delegated_budget": "1.00"}, format="json").status_code
        == 403
    )
    response = api_as("icb.governance").post(
        url, {"delegated_budget": "60000000.00"}, format="json"
    )
    assert response.status_code == 201, response.content
    entry.refresh_from_db()
    assert (
        entry.status == EntryStatus.SUPERSEDED and entry.superseded_by_id == response.json()["id"]
    )
    revoke = api_as("icb.governance").post(
        f"/api/v1/map-entries/{entry.pk}/revoke/", {}, format="json"
    )
    assert revoke.status_code == 400


def test_assessments_get_and_post_per_owner(api_as):
    condition = h.tht_condition()
    url = f"/api/v1/conditions/{condition.pk}/assessments/"
    before = ConditionAssessment.objects.filter(condition=condition).count()
    assert api_as("tht.board").get(url).status_code == 200
    assert api_as("newham.office").post(url, {"status": "met"}, format="json").status_code == 403
    assert api_as("tht.board").post(url, {"status": "met"}, format="json").status_code == 403
    assert api_as("viewer").post(url, {"status": "met"}, format="json").status_code == 404
    response = api_as("tht.office").post(
        url, {"status": "met", "evidence_link": "https://example.org/e"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["assessed_by"] == "tht.office"
    assert response.json()["kind"] == "self"
    assert ConditionAssessment.objects.filter(condition=condition).count() == before + 1
    detail = f"/api/v1/conditions/{condition.pk}/"
    assert api_as("tht.office").get(detail).json()["self_status"] == "met"
    # The office may not assure; the ICB may, and its status is the one that counts.
    assured = {"kind": "assured", "status": "not_met", "note": "No evidence of outcomes"}
    assert api_as("tht.office").post(url, assured, format="json").status_code == 403
    assert api_as("icb.governance").post(url, assured, format="json").status_code == 201
    read = api_as("tht.office").get(detail).json()
    assert (read["status"], read["self_status"]) == ("not_met", "met")


def test_publish_version_and_diff_against_live(api_as):
    board = h.body_of_kind("icb_board")
    data = {"system": "nel", "label": "v1.1", "approved_by": board.pk, "meeting_date": "2026-10-01"}
    assert (
        api_as("tht.office").post("/api/v1/map-versions/", data, format="json").status_code == 403
    )
    assert (
        api_as("sel.governance").post("/api/v1/map-versions/", data, format="json").status_code
        == 400
    )
    response = api_as("icb.governance").post("/api/v1/map-versions/", data, format="json")
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    diff = api_as("tht.board").get(f"/api/v1/map-versions/{h.v1().pk}/diff/?against={new_id}")
    assert diff.status_code == 200
    body = diff.json()
    assert body["new"] == "v1.1"
    assert body["changed"] and body["removed"]
    live = api_as("icb.governance").get(f"/api/v1/map-versions/{new_id}/diff/?against=live").json()
    assert live["added"] == [] and live["removed"] == [] and live["changed"] == []
    assert (
        api_as("viewer").get(f"/api/v1/map-versions/{new_id}/diff/?against=live").status_code == 403
    )
    assert (
        api_as("viewer").get(f"/api/v1/map-versions/{new_id}/diff/?against={h.v1().pk}").status_code
        == 200
    )
    assert api_as("viewer").get(f"/api/v1/map-versions/{new_id}/diff/?against=x").status_code == 400
    assert MapVersion.objects.filter(label="v1.1").count() == 1


def test_function_create_and_patch_per_persona(api_as):
    data = {"system": "nel", "code": "X-01", "name": "Estates strategy", "group": "Other"}
    assert api_as("tht.office").post("/api/v1/functions/", data, format="json").status_code == 403
    assert (
        api_as("sel.governance").post("/api/v1/functions/", data, format="json").status_code == 400
    )
    created = api_as("icb.governance").post("/api/v1/functions/", data, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/functions/{created.json()['id']}/"
    assert api_as("tht.board").patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert api_as("viewer").patch(url, {"name": "Mine"}, format="json").status_code == 404
    patched = api_as("icb.governance").patch(url, {"name": "Strategic estates"}, format="json")
    assert patched.status_code == 200 and patched.json()["name"] == "Strategic estates"
    duplicate = api_as("icb.governance").post("/api/v1/functions/", data, format="json")
    assert duplicate.status_code == 400


def test_condition_create_and_patch(api_as):
    entry = h.in_force("F-02", "tht")
    data = {
        "map_entry": entry.pk,
        "category": "reporting",
        "requirement": "Quarterly engagement report",
        "owner_body_id": h.body("tht").pk,
        "due_date": "2027-01-31",
    }
    assert api_as("tht.office").post("/api/v1/conditions/", data, format="json").status_code == 403
    assert (
        api_as("sel.governance").post("/api/v1/conditions/", data, format="json").status_code == 400
    )
    created = api_as("icb.governance").post("/api/v1/conditions/", data, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["owner_body"] == "tht"
    url = f"/api/v1/conditions/{created.json()['id']}/"
    wrong_system = {"owner_body_id": h.body_of_kind("place_partnership", system="sel").pk}
    response = api_as("icb.governance").patch(url, wrong_system, format="json")
    assert response.status_code == 400 and "owner_body" in response.json()["error"]["fields"]


def test_lists_are_exactly_what_the_caller_may_see(api_as):
    from delegation.models import Condition

    rows = results(api_as("sel.governance").get("/api/v1/conditions/?page_size=500"))
    assert {r["id"] for r in rows} == set(
        Condition.objects.filter(map_entry__function__system__slug="sel").values_list(
            "pk", flat=True
        )
    )
