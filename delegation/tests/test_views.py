"""The map's pages: what each persona sees, forms that refuse bad input, constant queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bench.make_big_system import make_big_system
from delegation import revisions, services
from delegation.models import (
    ConditionAssessment,
    Decision,
    EntryStatus,
    Function,
    MapEntry,
    MapVersion,
)
from delegation.tests import helpers as h


def test_matrix_shows_levels_in_text_and_links_cells(client_as):
    response = client_as("icb.governance").get(reverse("delegation:matrix", args=["nel"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tower Hamlets Together" in html or "tht" in html
    assert "Reserved to the ICB board" in html  # the legend, in words
    entry = h.in_force("F-01", "tht")
    assert reverse("delegation:entry_detail", args=[entry.pk]) in html
    assert "position: sticky" not in html  # the CSS lives in static/delegation/map.css
    assert "delegation/map.css" in html


def test_matrix_filters_by_group_and_body_kind(client_as):
    client = client_as("tht.board")
    url = reverse("delegation:matrix", args=["nel"])
    all_rows = client.get(url).content.decode()
    group = h.function("KF-01").group
    filtered = client.get(
        url, {"group": group, "body_kind": "place_partnership", "status": "in_force"}
    )
    html = filtered.content.decode()
    assert filtered.status_code == 200
    assert "KF-01" in html and "R-01" not in html and "R-01" in all_rows
    assert "Collaborative" not in re.sub(r"<ul class=\"map-legend\">.*?</ul>", "", html, flags=re.S)


def test_viewer_sees_versions_not_the_live_map(client_as):
    client = client_as("viewer")
    assert client.get(reverse("delegation:matrix", args=["nel"])).status_code == 403
    page = client.get(reverse("delegation:version_detail", args=[h.v1().pk]))
    assert page.status_code == 200 and "v1.0" in page.content.decode()
    nav = client.get(reverse("delegation:version_list", args=["nel"])).content.decode()
    assert f'href="{reverse("delegation:matrix", args=["nel"])}"' not in nav


def test_body_page_totals_budget_and_puts_overdue_first(client_as):
    response = client_as("tht.office").get(
        reverse("delegation:body_delegations", args=["nel", "tht"])
    )
    assert response.status_code == 200
    entries = response.context["entries"]
    assert response.context["total_budget"] == sum(e.delegated_budget or 0 for e in entries)
    conditions = response.context["conditions"]
    flags = [c.overdue for c in conditions]
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert "Overdue" in response.content.decode()


def test_condition_dashboard_counts_and_filters(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:condition_dashboard", args=["nel"])
    response = client.get(url)
    counts = response.context["by_status"]
    # Every condition is counted once by its assured status and once by its own view.
    assert sum(n for _, n, _ in counts) == len(response.context["conditions"])
    assert sum(n for _, _, n in counts) == len(response.context["conditions"])
    assert response.context["overdue"]
    met = client.get(url, {"status": "met"})
    assert all(c.latest_status == "met" for c in met.context["conditions"])
    assert client.get(url, {"category": "nonsense"}).status_code == 200


def test_office_records_an_assessment(client_as):
    condition = h.tht_condition()
    url = reverse("delegation:condition_assess", args=[condition.pk])
    before = ConditionAssessment.objects.filter(condition=condition).count()
    response = client_as("tht.office").post(
        url, {"status": "met", "evidence_link": "https://example.org/x"}
    )
    assert response.status_code == 302
    assert ConditionAssessment.objects.filter(condition=condition).count() == before + 1
    assert ConditionAssessment.objects.filter(condition=condition).latest().kind == "self"


def test_only_the_icb_assures_and_its_status_is_what_counts(client_as):
    condition = h.tht_condition()
    url = reverse("delegation:condition_assure", args=[condition.pk])
    office = client_as("tht.office")
    assert office.post(url, {"status": "met"}).status_code == 403
    lead = client_as("icb.governance")
    response = lead.post(url, {"status": "not_met", "note": "No outcomes dashboard yet"})
    assert response.status_code == 302
    latest = ConditionAssessment.objects.filter(condition=condition).latest()
    assert (latest.kind, latest.status) == ("assured", "not_met")
    page = office.get(reverse("delegation:condition_detail", args=[condition.pk]))
    assert page.context["condition"].latest_status == "not_met"
    assert "Record a self-assessment" in page.content.decode()
    assert "Record ICB assurance" not in page.content.decode()
    assert "Record ICB assurance" in lead.get(page.request["PATH_INFO"]).content.decode()


def test_assessment_form_refuses_bad_input_and_changes_nothing(client_as):
    condition = h.tht_condition()
    url = reverse("delegation:condition_assess", args=[condition.pk])
    before = ConditionAssessment.objects.filter(condition=condition).count()
    response = client_as("tht.office").post(
        url, {"status": "not_met", "evidence_link": "not a url"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in html and "Enter a valid URL" in html
    response = client_as("tht.office").post(url, {"status": "not_met"})
    assert "Say what is missing" in response.content.decode()
    assert ConditionAssessment.objects.filter(condition=condition).count() == before


def test_a_revoked_delegations_condition_says_why_it_takes_no_assessment(client_as):
    condition = h.tht_condition()
    services.map_entry_revoke(entry=condition.map_entry)
    office = client_as("tht.office")
    page = office.get(reverse("delegation:condition_detail", args=[condition.pk]))
    html = page.content.decode()
    assert "has been revoked" in html and "Record an assessment" not in html
    before = ConditionAssessment.objects.filter(condition=condition).count()
    response = office.post(
        reverse("delegation:condition_assess", args=[condition.pk]), {"status": "met"}
    )
    assert response.status_code == 400 and "was revoked" in response.content.decode()
    assert ConditionAssessment.objects.filter(condition=condition).count() == before


@pytest.mark.parametrize("username", ("newham.office", "tht.board"))
def test_others_may_not_assess_tht_conditions(username, client_as):
    condition = h.tht_condition()
    before = ConditionAssessment.objects.count()
    response = client_as(username).post(
        reverse("delegation:condition_assess", args=[condition.pk]), {"status": "met"}
    )
    assert response.status_code == 403
    assert ConditionAssessment.objects.count() == before


def test_entry_form_refuses_wrong_kind_with_the_model_message(client_as):
    before = MapEntry.objects.count()
    response = client_as("icb.governance").post(
        reverse("delegation:entry_create", args=["nel"]),
        {
            "function": h.function("KF-07").pk,
            "level": "place",
            "receiving_body": h.body_of_kind("provider_collaborative").pk,
            "decision_right": "decides",
            "delegated_budget": "0",
            "effective_from": "2025-04-01",
            "status": "proposed",
        },
    )
    assert response.status_code == 400
    assert "goes to a place-based partnership" in response.content.decode()
    assert MapEntry.objects.count() == before


def test_entry_form_creates_and_office_may_not(client_as):
    data = {
        "function": h.function("KF-07").pk,
        "level": "place",
        "receiving_body": h.body("tht").pk,
        "decision_right": "decides",
        "delegated_budget": "1000",
        "effective_from": "2025-04-01",
        "status": "in_force",
    }
    url = reverse("delegation:entry_create", args=["nel"])
    assert client_as("tht.office").post(url, data).status_code == 403
    response = client_as("icb.governance").post(url, data)
    assert response.status_code == 302
    assert MapEntry.objects.filter(
        function__code="KF-07", receiving_body__slug="tht", status=EntryStatus.IN_FORCE
    ).exists()


def test_supersede_page_keeps_the_old_entry(client_as):
    entry = h.in_force("F-04", "tht")
    response = client_as("icb.governance").post(
        reverse("delegation:entry_supersede", args=[entry.pk]),
        {
            "level": "place",
            "receiving_body": entry.receiving_body_id,
            "governance_form": "joint_committee",
            "decision_right": "decides",
            "delegated_budget": "0",
            "effective_from": "2026-04-01",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (
        entry.status == EntryStatus.SUPERSEDED
        and entry.superseded_by.governance_form == "joint_committee"
    )
    detail = client_as("tht.board").get(
        reverse("delegation:entry_detail", args=[entry.superseded_by_id])
    )
    assert f"Entry {entry.pk}" in detail.content.decode()


def test_function_form_refuses_duplicate_code(client_as):
    before = Function.objects.count()
    response = client_as("icb.governance").post(
        reverse("delegation:function_create", args=["nel"]),
        {"code": "F-01", "name": "Duplicate", "display_order": "1"},
    )
    assert response.status_code == 400 and "nhsuk-error-summary" in response.content.decode()
    assert Function.objects.count() == before


def test_publish_and_compare_pages(client_as):
    client = client_as("icb.governance")
    response = client.post(
        reverse("delegation:version_publish", args=["nel"]),
        {
            "label": "v1.1",
            "approved_by": h.body_of_kind("icb_board").pk,
            "meeting_date": "2026-10-01",
        },
    )
    assert response.status_code == 302
    new = MapVersion.objects.get(system__slug="nel", label="v1.1")
    diff = client.get(
        reverse("delegation:version_diff", args=["nel"]), {"old": h.v1().pk, "new": new.pk}
    )
    html = diff.content.decode()
    assert diff.status_code == 200 and "Delegated budget" in html and "Removed" in html
    assert diff.context["diff"].changed
    viewer = client_as("viewer")
    assert (
        viewer.get(
            reverse("delegation:version_diff", args=["nel"]), {"old": h.v1().pk, "new": "live"}
        ).status_code
        == 403
    )
    for junk in ("junk", "²"):
        bad = viewer.get(
            reverse("delegation:version_diff", args=["nel"]), {"old": h.v1().pk, "new": junk}
        )
        assert bad.status_code == 400 and "nhsuk-error-summary" in bad.content.decode()


def test_compare_page_opened_bare_shows_what_changed_since_the_last_publication(client_as):
    # The demo's last publication is the one its decided proposal made; change the live
    # map after it.
    latest = MapVersion.objects.filter(system=h.nel()).latest()
    services.map_entry_supersede(
        entry=h.in_force("F-04", "tht"), delegated_budget=Decimal("3000000")
    )
    response = client_as("icb.governance").get(reverse("delegation:version_diff", args=["nel"]))
    assert response.status_code == 200
    assert (response.context["old_label"], response.context["new_label"]) == (
        latest.label,
        "the live map",
    )
    assert response.context["diff"].changed


def test_compare_page_opened_bare_by_a_viewer_compares_the_last_two_versions(client_as, persona):
    viewer = client_as("viewer")
    url = reverse("delegation:version_diff", args=["nel"])
    # The demo has v1.0 and the version its decided proposal published: keep only v1.0.
    proposal_version = MapVersion.objects.get(system=h.nel(), label__startswith="v1.1")
    Decision.objects.filter(map_version=proposal_version).update(map_version=None)
    proposal_version.delete()
    # One published version: nothing to compare it with that a viewer may read.
    alone = viewer.get(url)
    assert alone.status_code == 200 and "diff" not in alone.context
    assert "nothing to compare it with yet" in alone.content.decode()
    v2 = services.map_version_publish(
        system=h.nel(),
        published_by=persona("icb.governance"),
        label="v2.0",
        approved_by=h.body_of_kind("icb_board"),
        meeting_date=dt.date(2026, 10, 1),
    )
    both = viewer.get(url)
    assert (both.context["old_label"], both.context["new_label"]) == (h.v1().label, v2.label)


def test_same_number_of_queries_on_nel_and_a_system_ten_times_larger(client_as, api_as, persona):
    big = make_big_system(scale=10, lead=persona("icb.governance"))
    nel_entries = MapEntry.objects.filter(function__system=h.nel()).count()
    assert MapEntry.objects.filter(function__system=big).count() >= 10 * nel_entries
    assert (
        Function.objects.filter(system=big).count()
        >= 10 * Function.objects.filter(system=h.nel()).count()
    )
    lead, api = client_as("icb.governance"), api_as("icb.governance")
    pages = {
        "matrix": (lead, lambda slug: reverse("delegation:matrix", args=[slug])),
        "entries page": (lead, lambda slug: reverse("delegation:entry_list", args=[slug])),
        # One page holding every entry of either system, so the rows really differ.
        "entries API": (api, lambda slug: f"/api/v1/map-entries/?system={slug}&page_size=500"),
    }
    counts = {}
    for label, (client, url) in pages.items():
        # Warm what is not the page's own (sessions, content types) first.
        h.queries_of(client, url("nel"))
        h.queries_of(client, url(big.slug))
        # Served from the cache (the matrix) and, after a change, built afresh.
        warm = (h.queries_of(client, url("nel")), h.queries_of(client, url(big.slug)))
        revisions.map_changed(h.nel().pk, big.pk)
        cold = (h.queries_of(client, url("nel")), h.queries_of(client, url(big.slug)))
        counts[label] = (warm, cold)
    assert all(w[0] == w[1] and c[0] == c[1] for w, c in counts.values()), counts
    assert all(max(*w, *c) <= 12 for w, c in counts.values()), counts


def test_matrix_shows_each_group_once_whatever_the_display_order(client_as, persona):
    # The generator's catalogue interleaves its four groups.
    big = make_big_system(scale=1, lead=persona("icb.governance"))
    response = client_as("icb.governance").get(reverse("delegation:matrix", args=[big.slug]))
    names = [group["name"] for group in response.context["matrix"]["groups"]]
    assert len(names) == len(set(names)) == 4


def test_condition_edit_and_refusal_keeps_the_condition(client_as):
    condition = h.tht_condition()
    url = reverse("delegation:condition_edit", args=[condition.pk])
    data = {
        "category": condition.category,
        "requirement": "Changed requirement",
        "owner_body": h.body_of_kind("place_partnership", system="sel").pk,
        "version": condition.version,
    }
    response = client_as("icb.governance").post(url, data)
    assert response.status_code == 400  # a SEL body is not a choice for a NEL condition
    condition.refresh_from_db()
    assert condition.requirement != "Changed requirement"
    data["owner_body"] = h.body("tht").pk
    assert client_as("tht.office").post(url, data).status_code == 403
    assert client_as("icb.governance").post(url, data).status_code == 302
    condition.refresh_from_db()
    assert condition.requirement == "Changed requirement"


def test_superseded_entry_page_shows_the_chain(client_as):
    superseded = MapEntry.objects.filter(
        function__system__slug="nel", status=EntryStatus.SUPERSEDED
    ).first()
    response = client_as("tht.board").get(reverse("delegation:entry_detail", args=[superseded.pk]))
    html = response.content.decode()
    assert "Superseded" in html
    assert reverse("delegation:entry_detail", args=[superseded.superseded_by_id]) in html
    assert "Supersede</a>" not in html  # a record: no editing links


def test_revoke_page_needs_a_reason_and_keeps_the_entry(client_as):
    entry = h.in_force("KF-10", "tht")
    url = reverse("delegation:entry_revoke", args=[entry.pk])
    assert client_as("tht.office").post(url, {"note": "x"}).status_code == 403
    refused = client_as("icb.governance").post(url, {"note": "", "version": entry.version})
    assert refused.status_code == 400 and "nhsuk-error-summary" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_FORCE
    revoked = client_as("icb.governance").post(
        url, {"note": "Back to the ICB", "version": entry.version}
    )
    assert revoked.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REVOKED and "Back to the ICB" in entry.notes


def test_dashboard_leaves_out_revoked_delegations_and_marks_overdue(client_as):
    from delegation import services
    from delegation.models import Condition

    client = client_as("icb.governance")
    url = reverse("delegation:condition_dashboard", args=["nel"])
    overdue = list(client.get(url).context["overdue"])
    assert overdue and all(c.overdue for c in overdue)
    assert 'class="map-overdue">Overdue' in client.get(url).content.decode()
    revoked = overdue[0].map_entry
    services.map_entry_revoke(entry=revoked, note="Back to the ICB")
    conditions = client.get(url).context["conditions"]
    assert not any(c.map_entry_id == revoked.pk for c in conditions)
    # The revoked entry keeps its conditions on record.
    assert Condition.objects.filter(map_entry=revoked).exists()
    entry_page = client.get(reverse("delegation:entry_detail", args=[revoked.pk]))
    assert overdue[0].requirement in entry_page.content.decode()


def test_body_page_lists_proposals_apart_from_the_total(client_as):
    response = client_as("tht.board").get(
        reverse("delegation:body_delegations", args=["nel", "tht"])
    )
    proposed = response.context["proposed"]
    assert [e.function.code for e in proposed] == ["KF-05"]
    assert all(e.status == EntryStatus.IN_FORCE for e in response.context["entries"])
    assert "Proposed, not yet in force" in response.content.decode()


def test_body_kind_filter_offers_only_kinds_that_receive_functions(client_as):
    response = client_as("icb.governance").get(reverse("delegation:matrix", args=["nel"]))
    kinds = {value for value, _ in response.context["form"].fields["body_kind"].choices}
    assert "place_partnership" in kinds and "provider_collaborative" in kinds
    assert not {"pcn", "hwbb"} & kinds
