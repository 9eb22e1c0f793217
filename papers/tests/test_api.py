from __future__ import annotations

from django.urls import reverse


def test_list_holds_what_the_caller_may_see(api_as, draft, published):
    ids = {p["id"] for p in api_as("viewer").get(reverse("paper-list")).json()["results"]}
    assert published.pk in ids and draft.pk not in ids
    office = {p["id"] for p in api_as("tht.office").get(reverse("paper-list")).json()["results"]}
    assert {draft.pk, published.pk} <= office
    assert api_as("sel.governance").get(reverse("paper-list")).json()["results"] == []


def test_detail_has_sections_recommendations_and_versions(api_as, draft):
    data = api_as("tht.board").get(reverse("paper-detail", args=[draft.pk])).json()
    assert [r["action"] for r in data["recommendations"]] == ["note", "note", "note"]
    assert any(s["kind"] == "decision_map" for s in data["sections"])
    assert data["versions"][0]["number"] == 1 and len(data["versions"][0]["sha256"]) == 64


def test_build_returns_the_job_and_its_state_is_readable(
    api_as, draft, django_capture_on_commit_callbacks
):
    client = api_as("tht.office")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("paper-build", args=[draft.pk]))
    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "queued" and job["result"] is None
    again = client.get(reverse("paper-job-detail", args=[job["id"]])).json()
    assert again["id"] == job["id"] and again["progress"] == 5


def test_a_board_member_may_not_build(api_as, draft):
    response = api_as("tht.board").post(reverse("paper-build", args=[draft.pk]))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_filters(api_as, published):
    client = api_as("icb.governance")
    rows = client.get(reverse("paper-list"), {"state": "published"}).json()["results"]
    assert [r["id"] for r in rows] == [published.pk]
    assert client.get(reverse("paper-list"), {"state": "nonsense"}).status_code == 400
