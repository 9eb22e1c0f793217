import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from governance.models import Body
from ics_portal.quarters import quarter_label
from milestones import demo
from milestones.models import Milestone, MilestoneUpdate, Programme


@pytest.fixture
def tht_url(tht_programme):
    return reverse("milestones:programme", args=[tht_programme.pk])


def test_programme_list(client_as):
    page = client_as("tht.board").get(reverse("milestones:programmes"))
    assert page.status_code == 200
    assert "Tower Hamlets Together: next steps" in page.text
    assert "SEL place partnership" not in page.text


def test_table_shows_rag_as_text_and_quarter(client_as, tht_url):
    page = client_as("viewer").get(tht_url)
    assert page.status_code == 200
    assert "ms-rag--red" in page.text and ">Red</strong>" in page.text
    next_quarter = quarter_label(demo.PaperDates(timezone.localdate()).date("Q4 2021/22"))
    assert f"End of {next_quarter}" in page.text
    assert 'name="ids"' not in page.text  # a viewer gets no bulk checkboxes


def test_table_filters_and_sort(client_as, tht_url):
    client = client_as("tht.office")
    page = client.get(tht_url, {"status": "complete"})
    assert page.context["rows"] == [Milestone.objects.get(title="Further THT workshop")]
    overdue_first = client.get(tht_url, {"sort": "overdue"}).context["rows"]
    rags = [m.rag for m in overdue_first]
    assert rags == sorted(rags, key=["red", "amber", "green", "complete", "cancelled"].index)
    bad = client.get(tht_url, {"quarter": "Q7"})
    assert bad.status_code == 200 and "is not a quarter" in bad.text


def test_tht_board_sees_only_its_led_row_as_updatable(client_as, tht_url, led_by_board):
    page = client_as("tht.board").get(tht_url)
    assert page.context["updatable"] == {led_by_board.pk}
    assert page.text.count('name="ids"') == 1


def test_inline_update_without_js_redirects(client_as, tht_milestone, tht_url):
    response = client_as("tht.office").post(
        reverse("milestones:inline_update", args=[tht_milestone.pk]),
        {"status": "delayed", "progress": 25, "version": tht_milestone.version, "next": tht_url},
    )
    assert response.status_code == 302 and response["Location"] == tht_url
    tht_milestone.refresh_from_db()
    assert (tht_milestone.status, tht_milestone.progress) == ("delayed", 25)


def test_inline_update_with_htmx_returns_the_row(client_as, tht_milestone):
    response = client_as("tht.office").post(
        reverse("milestones:inline_update", args=[tht_milestone.pk]),
        {"status": "underway", "progress": 26, "version": tht_milestone.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="milestone-{tht_milestone.pk}">')
    assert "Saved." in response.text


def test_inline_update_stale_is_reported_in_the_row(client_as, tht_milestone):
    url = reverse("milestones:inline_update", args=[tht_milestone.pk])
    data = {"status": "underway", "progress": 27, "version": tht_milestone.version}
    client_as("tht.office").post(url, data)
    again = client_as("icb.governance").post(url, {**data, "progress": 99}, HTTP_HX_REQUEST="true")
    assert "Not saved" in again.text and "since you loaded the page" in again.text
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress == 27


def test_inline_update_denied(client_as, tht_milestone):
    url = reverse("milestones:inline_update", args=[tht_milestone.pk])
    data = {"status": "complete", "progress": 100, "version": tht_milestone.version}
    assert client_as("tht.board").post(url, data).status_code == 403
    assert client_as("sel.governance").post(url, data).status_code == 404


def test_bulk_update_page_all_or_nothing(client_as, tht, tht_url):
    client = client_as("tht.office")
    blocked = Milestone.objects.get(title__startswith="Maturity sign-off")
    free = Milestone.objects.get(title__startswith="Explore options")
    before = MilestoneUpdate.objects.count()
    response = client.post(
        reverse("milestones:bulk_update"),
        {
            "ids": [free.pk, blocked.pk],
            f"version-{free.pk}": free.version,
            f"version-{blocked.pk}": blocked.version,
            "status": "complete",
            "note": "x",
            "next": tht_url,
        },
        follow=True,
    )
    assert "None of the 2 milestones were changed." in response.text
    assert "“Maturity sign-off of the recommended form by NEL ICS”: " in response.text
    assert MilestoneUpdate.objects.count() == before
    done = client.post(
        reverse("milestones:bulk_update"),
        {
            "ids": [free.pk],
            f"version-{free.pk}": free.version,
            "status": "complete",
            "note": "Signed off",
            "next": tht_url,
        },
        follow=True,
    )
    assert "Updated 1 milestones." in done.text
    free.refresh_from_db()
    assert free.status == "complete"


def test_bulk_update_refuses_rows_you_may_not_update(client_as, tht_milestone, tht_url):
    response = client_as("tht.board").post(
        reverse("milestones:bulk_update"),
        {"ids": [tht_milestone.pk], "progress": 90, "next": tht_url},
        follow=True,
    )
    assert "You may not update" in response.text
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress != 90


def test_edit_form_by_quarter_and_concurrency(client_as, tht_milestone):
    url = reverse("milestones:edit", args=[tht_milestone.pk])
    client = client_as("tht.office")
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "title": tht_milestone.title,
        "owner_body": tht_milestone.owner_body_id,
        "due_quarter": "end of Q1 2022/23",
        "status": "underway",
        "progress": 33,
        "weight": 1,
        "version": tht_milestone.version,
        "note": "moved",
    }
    assert client.post(url, data).status_code == 302
    tht_milestone.refresh_from_db()
    assert str(tht_milestone.due_date) == "2022-06-30" and tht_milestone.due_by_quarter
    stale = client_as("icb.governance").post(url, {**data, "progress": 80})
    assert stale.status_code == 409
    assert "Someone else changed this milestone" in stale.text
    both = client.post(url, {**data, "version": tht_milestone.version, "due_date": "2022-05-01"})
    assert "not both" in both.text


def test_edit_denied(client_as, tht_milestone, led_by_board):
    url = reverse("milestones:edit", args=[tht_milestone.pk])
    assert client_as("tht.board").get(url).status_code == 403
    assert (
        client_as("tht.board").get(reverse("milestones:edit", args=[led_by_board.pk])).status_code
        == 403
    )
    assert client_as("sel.governance").get(url).status_code == 404


def test_add_milestone(client_as, tht_programme, tht):
    url = reverse("milestones:add", args=[tht_programme.pk])
    response = client_as("tht.office").post(
        url,
        {
            "title": "New via form",
            "owner_body": tht.pk,
            "due_date": "2022-02-28",
            "status": "not_started",
            "progress": 0,
            "weight": 1,
        },
    )
    assert response.status_code == 302
    made = Milestone.objects.get(title="New via form")
    assert made.due_quarter == "Q4 2021/22" and not made.due_by_quarter
    assert client_as("newham.office").get(url).status_code == 403


def test_detail_shows_log_children_dependencies(client_as):
    recruitment = Milestone.objects.get(title="Recruitment to ICB executive roles")
    page = client_as("viewer").get(reverse("milestones:detail", args=[recruitment.pk]))
    assert "ICS CEO recruitment: CEO confirmed" in page.text
    assert "Update log" in page.text and "Roll-up from sub-milestones" in page.text


def test_body_table(client_as, tht):
    url = reverse("milestones:body", args=["nel", "tht"])
    page = client_as("viewer").get(url)
    assert page.status_code == 200 and len(page.context["rows"]) == 7
    assert client_as("sel.governance").get(url).status_code == 404


def test_timeline_has_svg_and_table(client_as, tht_programme):
    page = client_as("tht.board").get(reverse("milestones:timeline", args=[tht_programme.pk]))
    assert page.status_code == 200
    assert "<svg" in page.text and "Today" in page.text and "The timeline as a table" in page.text


def test_other_system_gets_404_everywhere(client_as, tht_programme, tht_milestone):
    client = client_as("sel.governance")
    for url in (
        reverse("milestones:programme", args=[tht_programme.pk]),
        reverse("milestones:timeline", args=[tht_programme.pk]),
        reverse("milestones:detail", args=[tht_milestone.pk]),
        reverse("milestones:export", args=[tht_programme.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404, url
    assert Programme.objects.filter(pk=tht_programme.pk).exists()


def test_empty_filter_fields_mean_any(client_as, tht_url):
    page = client_as("tht.office").get(
        tht_url, {"owner_body": "", "status": "", "rag": "complete", "quarter": "", "lead": ""}
    )
    assert not page.context["filter_errors"]
    assert [m.title for m in page.context["rows"]] == ["Further THT workshop"]


def test_programme_list_title_is_plain_text(client_as):
    page = client_as("tht.office").get(reverse("milestones:programmes"))
    title = page.text.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and title.startswith("Programmes and milestones")


def test_form_links_a_function_and_map_entry_of_the_system(client_as, tht_milestone):
    from delegation.models import Function, MapEntry

    url = reverse("milestones:edit", args=[tht_milestone.pk])
    client = client_as("tht.office")
    form = client.get(url).context["form"]
    functions = form.fields["function"].queryset
    assert functions.exists() and not functions.exclude(system__slug="nel").exists()
    assert form.fields["map_entry"].queryset.exists()
    function = functions.first()
    entry = (
        MapEntry.objects.filter(function=function).first()
        or form.fields["map_entry"].queryset.first()
    )
    data = {
        "title": tht_milestone.title,
        "owner_body": tht_milestone.owner_body_id,
        "due_quarter": "Q4 2021/22",
        "status": tht_milestone.status,
        "progress": tht_milestone.progress,
        "weight": 1,
        "function": function.pk,
        "map_entry": entry.pk,
        "version": tht_milestone.version,
    }
    assert client.post(url, data).status_code == 302
    tht_milestone.refresh_from_db()
    assert (tht_milestone.function_id, tht_milestone.map_entry_id) == (function.pk, entry.pk)
    detail = client.get(reverse("milestones:detail", args=[tht_milestone.pk]))
    assert str(function) in detail.text
    assert reverse("delegation:entry_detail", args=[entry.pk]) in detail.text
    # Saving the form again without touching the links keeps them.
    again = client.get(url).context["form"]
    assert again.initial["function"] == function.pk
    sel = Function.objects.filter(system__slug="sel").first()
    refused = client.post(url, {**data, "function": sel.pk, "version": tht_milestone.version})
    assert refused.status_code == 200 and "Select a valid choice" in refused.text
    tht_milestone.refresh_from_db()
    assert tht_milestone.function_id == function.pk


def test_form_leaves_alone_a_link_the_editor_cannot_see(tht_milestone, tht_programme):
    from delegation.models import Function
    from milestones.forms import MilestoneForm

    linked = Function.objects.filter(system__slug="nel").first()
    Milestone.objects.filter(pk=tht_milestone.pk).update(function=linked)
    tht_milestone.refresh_from_db()
    form = MilestoneForm(
        {
            "title": "Renamed",
            "owner_body": tht_milestone.owner_body_id,
            "due_date": "2022-03-31",
            "status": "underway",
            "progress": 10,
            "weight": 1,
            "version": tht_milestone.version,
        },
        programme=tht_programme,
        instance=tht_milestone,
        bodies=Body.objects.filter(pk=tht_milestone.owner_body_id),
        leads=get_user_model().objects.none(),
        milestones=Milestone.objects.none(),
        functions=Function.objects.exclude(pk=linked.pk),
        map_entries=None,
    )
    assert "function" not in form.fields  # neither its name shown nor cleared on save
    assert form.is_valid(), form.errors
    assert "function" not in form.values()


def test_bulk_update_page_without_versions_changes_nothing(client_as, tht_milestone, tht_url):
    """A form that lost its hidden versions must not overwrite: it is refused whole."""
    page = client_as("tht.office").post(
        reverse("milestones:bulk_update"),
        {"ids": [tht_milestone.pk], "progress": 77, "next": tht_url},
        follow=True,
    )
    assert "give the version you loaded" in page.text
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress != 77


def test_edit_form_without_a_version_is_refused(tht_milestone, tht_programme):
    from milestones.forms import MilestoneForm

    form = MilestoneForm(
        {
            "title": "No version",
            "owner_body": tht_milestone.owner_body_id,
            "due_date": "2022-03-31",
        },
        programme=tht_programme,
        instance=tht_milestone,
        bodies=Body.objects.filter(pk=tht_milestone.owner_body_id),
        leads=get_user_model().objects.none(),
        milestones=Milestone.objects.none(),
    )
    assert not form.is_valid() and "version" in form.errors
