"""Two people updating the same milestone at once: the second is told what changed and
by whom, nothing of the first is overwritten, and nothing the second typed is lost."""

import re

import pytest
from django.urls import reverse

from milestones import services
from milestones.models import Milestone


@pytest.fixture
def loaded(tht_milestone):
    """The version both people loaded, before tht.office saves first."""
    return tht_milestone.version


def _first_saves(client_as, milestone, loaded):
    client_as("tht.office").post(
        reverse("milestones:inline_update", args=[milestone.pk]),
        {"status": "delayed", "progress": 35, "version": loaded, "note": "First in"},
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("delayed", 35)


def test_stale_error_lists_the_changes_missed_and_who_made_them(make, persona):
    milestone = make("Contended twice")
    loaded = milestone.version
    office = persona("tht.office")
    services.milestone_update(
        milestone=milestone, by=office, version=loaded, progress=30, status="underway"
    )
    with pytest.raises(services.StaleMilestone) as caught:
        services.milestone_update(
            milestone=milestone, by=persona("icb.governance"), version=loaded, progress=70
        )
    stale = caught.value
    assert {u.field for u in stale.changes} == {"status", "progress"}
    assert stale.who == (office.get_full_name() or office.username)
    assert "progress 0% → 30%" in str(stale) and "status Not started → Underway" in str(stale)
    # Changes already seen are not listed again.
    milestone.refresh_from_db()
    assert milestone.updates.filter(version=milestone.version).count() == 2
    with pytest.raises(services.StaleMilestone) as again:
        services.milestone_update(
            milestone=milestone, by=office, version=milestone.version - 1, progress=1
        )
    assert {u.version for u in again.value.changes} == {milestone.version}


def test_roll_up_log_carries_the_parents_new_version(make, persona):
    parent = make("Parent")
    make("Child", parent=parent, progress=40)
    parent.refresh_from_db()
    rolled = parent.updates.get(source="rollup")
    assert rolled.version == parent.version


def test_edit_form_keeps_what_they_typed_and_lets_them_save_it_on_purpose(
    client_as, tht_milestone, loaded
):
    url = reverse("milestones:edit", args=[tht_milestone.pk])
    second = client_as("icb.governance")
    second.get(url)
    _first_saves(client_as, tht_milestone, loaded)
    mine = {
        "title": "Explore delegation options (renamed)",
        "owner_body": tht_milestone.owner_body_id,
        "due_quarter": "Q1 2022/23",
        "status": "underway",
        "progress": 44,
        "weight": 1,
        "version": loaded,
        "note": "My careful note",
    }
    refused = second.post(url, mine)
    assert refused.status_code == 409
    text = refused.text
    assert "Someone else changed this milestone" in text
    assert "Status: At risk → Delayed" in text and "First in" in text
    assert "Explore delegation options (renamed)" in text and "My careful note" in text
    tht_milestone.refresh_from_db()
    assert tht_milestone.title.startswith("Explore options") and tht_milestone.progress == 35
    # The form now carries the version they were shown: saving again is deliberate.
    version = re.search(r'name="version" value="(\d+)"', text)[1]
    assert int(version) == tht_milestone.version
    saved = second.post(url, {**mine, "version": version})
    assert saved.status_code == 302
    tht_milestone.refresh_from_db()
    assert (tht_milestone.title, tht_milestone.progress) == (mine["title"], 44)


def test_inline_without_js_shows_a_conflict_page_with_their_update(
    client_as, tht_milestone, loaded, tht_programme
):
    table = reverse("milestones:programme", args=[tht_programme.pk])
    url = reverse("milestones:inline_update", args=[tht_milestone.pk])
    _first_saves(client_as, tht_milestone, loaded)
    second = client_as("icb.governance")
    mine = {"status": "blocked", "progress": 12, "version": loaded, "note": "Mine", "next": table}
    page = second.post(url, mine)
    assert page.status_code == 409
    assert "changed while you were updating it" in page.text
    assert "Progress: 30% → 35%" in page.text and "First in" in page.text
    assert '<option value="blocked" selected>' in page.text
    assert 'value="12"' in page.text and ">Mine</textarea>" in page.text
    assert f'href="{table}"' in page.text
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress == 35
    current = page.context["m"].version
    saved = second.post(url, {**mine, "version": current})
    assert saved.status_code == 302 and saved["Location"] == table
    tht_milestone.refresh_from_db()
    assert (tht_milestone.status, tht_milestone.progress) == ("blocked", 12)
    assert tht_milestone.updates.filter(note="First in").count() == 2  # status and progress


def test_inline_with_htmx_keeps_their_values_in_the_row(client_as, tht_milestone, loaded):
    url = reverse("milestones:inline_update", args=[tht_milestone.pk])
    _first_saves(client_as, tht_milestone, loaded)
    row = client_as("icb.governance").post(
        url, {"status": "blocked", "progress": 12, "version": loaded}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200
    assert "Not saved" in row.text and "save again to apply it" in row.text
    assert '<option value="blocked" selected>' in row.text and 'value="12"' in row.text
    tht_milestone.refresh_from_db()
    assert f'name="version" value="{tht_milestone.version}"' in row.text
    # The page's live region hears the outcome too.
    assert 'id="ms-live" hx-swap-oob="innerHTML"' in row.text


def test_bulk_refusal_keeps_the_ticks_and_the_note(client_as, tht_milestone, loaded, tht_url):
    _first_saves(client_as, tht_milestone, loaded)
    other = Milestone.objects.get(title__startswith="Develop the locality plan")
    second = client_as("icb.governance")
    page = second.post(
        reverse("milestones:bulk_update"),
        {
            "ids": [tht_milestone.pk, other.pk],
            f"version-{tht_milestone.pk}": loaded,
            f"version-{other.pk}": other.version,
            "progress": 50,
            "note": "Weekly update",
            "next": tht_url,
        },
        follow=True,
    )
    assert "None of the 2 milestones were changed." in page.text
    assert "someone else changed it since you loaded the page" in page.text
    assert f'value="{tht_milestone.pk}" id="select-{tht_milestone.pk}"' in page.text
    assert page.text.count(" checked>") == 2
    assert ">Weekly update</textarea>" in page.text and 'value="50"' in page.text
    other.refresh_from_db()
    assert other.progress != 50
    # Shown once: the next visit starts clean.
    assert " checked>" not in second.get(tht_url).text


@pytest.fixture
def tht_url(tht_programme):
    return reverse("milestones:programme", args=[tht_programme.pk])


def test_stale_error_names_changes_the_update_log_does_not_cover(make, persona):
    milestone = make("Renamed under you")
    loaded = milestone.version
    lead = persona("icb.governance")
    services.milestone_update(milestone=milestone, by=lead, version=loaded, title="Renamed")
    with pytest.raises(services.StaleMilestone) as caught:
        services.milestone_update(
            milestone=milestone, by=persona("tht.office"), version=loaded, progress=5
        )
    stale = caught.value
    assert stale.who == (lead.get_full_name() or lead.username)
    assert "title Renamed under you → Renamed" in str(stale)
