import pytest
from django.utils import timezone

from ics_portal.quarters import quarter_label
from milestones import demo
from milestones.models import Milestone, MilestoneUpdate

URL = "/api/v1/milestones/"


def _versions(pks):
    return {
        str(pk): v for pk, v in Milestone.objects.filter(pk__in=pks).values_list("pk", "version")
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_is_exactly_what_the_caller_may_see(api_as):
    nel = set(Milestone.objects.filter(owner_body__system__slug="nel").values_list("pk", flat=True))
    sel = set(Milestone.objects.filter(owner_body__system__slug="sel").values_list("pk", flat=True))
    assert ids(api_as("tht.board").get(URL, {"page_size": 500})) == nel
    assert ids(api_as("sel.governance").get(URL, {"page_size": 500})) == sel
    assert api_as(None).get(URL).status_code == 401


def test_filters(api_as, tht):
    # The demo's dates follow the paper's, moved on to the current quarter.
    when = demo.PaperDates(timezone.localdate())
    client = api_as("tht.office")
    rows = client.get(URL, {"owner_body": "tht", "status": "complete"}).json()["results"]
    assert [r["title"] for r in rows] == ["Further THT workshop"]
    workshop_quarter = quarter_label(when.date("2021-11-30"))
    assert rows[0]["rag"] == "complete" and rows[0]["due_quarter"] == workshop_quarter
    red = client.get(URL, {"owner_body": tht.pk, "rag": "red"}).json()["results"]
    assert red and {r["rag"] for r in red} == {"red"}
    next_quarter = quarter_label(when.date("Q4 2021/22"))
    q4 = client.get(URL, {"quarter": next_quarter, "owner_body": "tht"}).json()["results"]
    assert {r["due_quarter"] for r in q4} == {next_quarter} and len(q4) == 3
    led = client.get(URL, {"lead": "tht.board"}).json()["results"]
    assert [r["title"][:22] for r in led] == ["Agree proposals for fo"]
    bad = client.get(URL, {"quarter": "Q9 2021"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["quarter"]


def test_other_systems_milestone_is_404(api_as, tht_milestone):
    response = api_as("sel.governance").get(f"{URL}{tht_milestone.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api_as("sel.governance").get(f"{URL}{tht_milestone.pk}/updates/").status_code == 404


def test_patch_allowed_and_denied(api_as, tht_milestone):
    body = {"version": tht_milestone.version, "progress": 35, "note": "via API"}
    assert api_as("tht.board").patch(f"{URL}{tht_milestone.pk}/", body).status_code == 403
    assert api_as("viewer").patch(f"{URL}{tht_milestone.pk}/", body).status_code == 403
    assert api_as("sel.governance").patch(f"{URL}{tht_milestone.pk}/", body).status_code == 404
    response = api_as("tht.office").patch(f"{URL}{tht_milestone.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["progress"] == 35
    assert response.json()["version"] == tht_milestone.version + 1
    log = api_as("tht.board").get(f"{URL}{tht_milestone.pk}/updates/").json()["results"][0]
    assert (log["field"], log["new_value"], log["note"], log["source"]) == (
        "progress",
        "35%",
        "via API",
        "api",
    )


def test_lead_patches_status_but_not_title(api_as, led_by_board):
    client = api_as("tht.board")
    url = f"{URL}{led_by_board.pk}/"
    ok = client.patch(url, {"version": led_by_board.version, "progress": 70}, format="json")
    assert ok.status_code == 200
    title = client.patch(url, {"version": led_by_board.version + 1, "title": "Mine"}, format="json")
    assert title.status_code == 403


def test_stale_patch_is_409_and_loses_nothing(api_as, tht_milestone):
    url = f"{URL}{tht_milestone.pk}/"
    loaded = tht_milestone.version
    first = api_as("tht.office").patch(url, {"version": loaded, "progress": 41}, format="json")
    assert first.status_code == 200
    second = api_as("icb.governance").patch(url, {"version": loaded, "progress": 90}, format="json")
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["status"] == 409 and error["code"] == "conflict"
    assert "since you loaded it" in error["message"]
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress == 41


def test_bulk_update_all_or_nothing(api_as, tht, led_by_board):
    open_ones = list(
        Milestone.objects.filter(owner_body=tht, status__in=["underway", "at_risk"])
        .exclude(pk=led_by_board.pk)
        .values_list("pk", flat=True)
    )
    # The ICB's own milestone (the transition, history now): not tht.office's to update.
    ics = Milestone.objects.filter(programme__system__slug="nel").first()
    before = MilestoneUpdate.objects.count()
    refused = api_as("tht.office").post(
        f"{URL}bulk-update/",
        {
            "ids": [*open_ones, ics.pk],
            "status": "complete",
            "note": "x",
            "versions": _versions([*open_ones, ics.pk]),
        },
        format="json",
    )
    assert refused.status_code == 400
    messages = refused.json()["error"]["fields"]["ids"]
    assert any(ics.title in m and "may not update" in m for m in messages)
    assert MilestoneUpdate.objects.count() == before
    done = api_as("tht.office").post(
        f"{URL}bulk-update/",
        {
            "ids": open_ones,
            "status": "complete",
            "note": "Signed off",
            "versions": _versions(open_ones),
        },
        format="json",
    )
    assert done.status_code == 200, done.content
    assert {row["status"] for row in done.json()} == {"complete"}


def test_bulk_update_hides_other_systems(api_as, tht_milestone):
    response = api_as("sel.governance").post(
        f"{URL}bulk-update/",
        {"ids": [tht_milestone.pk], "progress": 10, "versions": _versions([tht_milestone.pk])},
        format="json",
    )
    assert response.status_code == 400
    assert (
        response.json()["error"]["fields"]["ids"][1] == f"Milestone {tht_milestone.pk}: not found."
    )


@pytest.mark.parametrize("username", ["tht.office", "viewer", "icb.governance"])
def test_programmes_list(api_as, username):
    names = {p["name"] for p in api_as(username).get("/api/v1/programmes/").json()["results"]}
    assert names == {demo.ICS_PROGRAMME, demo.THT_PROGRAMME}


def test_programmes_of_another_system(api_as):
    names = {
        p["name"] for p in api_as("sel.governance").get("/api/v1/programmes/").json()["results"]
    }
    assert names == {demo.SEL_PROGRAMME}


def test_patch_due_by_quarter(api_as, tht_milestone):
    url = f"{URL}{tht_milestone.pk}/"
    client = api_as("tht.office")
    bad = client.patch(
        url, {"version": tht_milestone.version, "due_quarter": "Q3 21/22"}, format="json"
    )
    assert (
        bad.status_code == 400
        and "is not a quarter" in bad.json()["error"]["fields"]["due_quarter"][0]
    )
    ok = client.patch(
        url, {"version": tht_milestone.version, "due_quarter": "end of Q2 2022/23"}, format="json"
    )
    assert ok.status_code == 200
    assert (ok.json()["due_date"], ok.json()["due_by_quarter"]) == ("2022-09-30", True)


def test_patch_lead_to_another_systems_user_is_refused(api_as, persona, tht_milestone):
    response = api_as("tht.office").patch(
        f"{URL}{tht_milestone.pk}/",
        {"version": tht_milestone.version, "lead_user": persona("sel.governance").pk},
        format="json",
    )
    # Another system's user is "not found", exactly like a user who does not exist.
    assert response.status_code == 400
    missing = api_as("tht.office").patch(
        f"{URL}{tht_milestone.pk}/",
        {"version": tht_milestone.version, "lead_user": 987654},
        format="json",
    )
    hidden = response.json()["error"]["fields"]["lead_user"][0]
    assert hidden == missing.json()["error"]["fields"]["lead_user"][0].replace(
        "987654", str(persona("sel.governance").pk)
    )
    assert "sel" not in hidden.lower()


def test_programmes_filter_by_system_and_body(api_as):
    client = api_as("icb.governance")

    def names(**params):
        response = client.get("/api/v1/programmes/", params)
        assert response.status_code == 200
        return {p["name"] for p in response.json()["results"]}

    assert names(system="nel") == {demo.ICS_PROGRAMME, demo.THT_PROGRAMME}
    assert names(body="tht") == {demo.THT_PROGRAMME}
    assert names(system="sel") == set()  # filters narrow what you see, never widen it
    assert (
        api_as("sel.governance").get("/api/v1/programmes/", {"system": "nel"}).json()["results"]
        == []
    )


def test_updates_log_is_paginated_and_carries_versions(api_as, tht_milestone):
    client = api_as("tht.office")
    for progress in (41, 42, 43):
        tht_milestone.refresh_from_db()
        response = client.patch(
            f"{URL}{tht_milestone.pk}/",
            {"version": tht_milestone.version, "progress": progress, "note": f"to {progress}"},
            format="json",
        )
        assert response.status_code == 200
    log = client.get(f"{URL}{tht_milestone.pk}/updates/", {"page_size": 2}).json()
    assert log["count"] == tht_milestone.updates.count() and len(log["results"]) == 2
    newest = log["results"][0]
    assert (newest["new_value"], newest["note"], newest["source"]) == ("43%", "to 43", "api")
    tht_milestone.refresh_from_db()
    assert newest["version"] == tht_milestone.version
    assert api_as("sel.governance").get(f"{URL}{tht_milestone.pk}/updates/").status_code == 404
