"""Pages, exports and the API say what the data means: a budget never recorded is "not
recorded" (null in the API), never £0; stored codes are shown as their labels."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from delegation.templatetags.delegation_tags import budget, diff_value

from . import helpers as h


def _unrecorded():
    entry = h.in_force("F-01", "tht")
    entry.delegated_budget = None
    entry.save()
    return entry


def test_a_budget_never_recorded_is_not_recorded_on_the_page(client_as):
    entry = _unrecorded()
    page = client_as("icb.governance").get(reverse("delegation:entry_detail", args=[entry.pk]))
    text = page.content.decode()
    assert "not recorded" in text
    assert "£0" not in text


def test_a_budget_never_recorded_is_null_in_the_api(api_as):
    entry = _unrecorded()
    response = api_as("icb.governance").get(reverse("map-entry-detail", args=[entry.pk]))
    assert response.status_code == 200
    assert response.json()["delegated_budget"] is None


def test_a_budget_never_recorded_is_said_in_the_export(client_as):
    _unrecorded()
    response = client_as("icb.governance").get(
        reverse("delegation:map_export", args=["nel", "csv"])
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Not recorded" in body.decode("utf-8-sig")


def test_a_budget_of_nothing_is_still_shown_as_nothing():
    assert budget(None) == "not recorded"
    assert budget(Decimal("0")) == "£0"
    assert budget("1250000.00") == "£1,250,000"


def test_diffs_show_labels_not_codes():
    assert diff_value("joint_committee", "governance_form") == "Joint committee"
    assert diff_value("consultative_forum", "governance_form") == "Consultative forum"
    assert diff_value(None, "delegated_budget") == "not recorded"
