"""Bad input gets a clear refusal in the one JSON error shape, never a server error."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from milestones.models import Milestone, Programme
from tests.test_api_conventions import assert_error_shape

pytestmark = pytest.mark.django_db

LIST = "/api/v1/milestones/"
BULK = "/api/v1/milestones/bulk-update/"


def _milestone() -> Milestone:
    return Milestone.objects.filter(owner_body__slug="tht").order_by("pk").first()


@pytest.mark.parametrize("quarter", ["50%", "%s", "%(x)s", "Q5 2024/25"])
def test_a_quarter_filter_that_is_not_a_quarter_is_a_400(api_as, quarter):
    error = assert_error_shape(api_as("icb.governance").get(LIST, {"quarter": quarter}), 400)
    assert "quarter" in error["fields"]


@pytest.mark.parametrize(
    "path,parameter",
    [
        ("/api/v1/bodies/", "accountable_to"),
        ("/api/v1/bodies/", "parent"),
        ("/api/v1/memberships/", "organisation"),
        ("/api/v1/milestones/", "programme"),
        ("/api/v1/conditions/", "map_entry"),
        ("/api/v1/map-entries/", "function"),
    ],
)
@pytest.mark.parametrize("value", ["-10000000000000000001", "99999999999999999999", "0", "1.5"])
def test_an_id_filter_outside_what_an_id_can_be_is_a_400(api_as, path, parameter, value):
    """Found by schemathesis: a number past the database's integer was a 500."""
    error = assert_error_shape(api_as("icb.governance").get(path, {parameter: value}), 400)
    assert parameter in error["fields"]


@pytest.mark.parametrize(
    "path", ["/api/v1/milestones/?lead=a%00b", "/api/v1/bodies/?system=n%00el"]
)
def test_a_nul_character_in_a_text_filter_is_a_400(api_as, path):
    assert_error_shape(api_as("icb.governance").get(path), 400)


def test_the_page_filter_with_a_percent_is_not_a_500(client_as):
    programme = Programme.objects.get(body__slug="tht")
    page = client_as("tht.office").get(
        reverse("milestones:programme", args=[programme.pk]), {"quarter": "50%"}
    )
    assert page.status_code in (200, 400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"versions": {"abc": 1}}, "versions"),
        ({"versions": {"1": "x"}}, "versions"),
        ({"ids": [2**70]}, "ids"),
        ({"ids": [-1]}, "ids"),
    ],
)
def test_bulk_update_refuses_bad_ids_and_version_keys(api_as, body, field):
    data = {"ids": [_milestone().pk], "status": "underway", **body}
    response = api_as("tht.office").post(BULK, data, format="json")
    error = assert_error_shape(response, 400)
    # One flat list of messages per field, as documented, even for an item of a list.
    assert error["fields"][field] and all(isinstance(m, str) for m in error["fields"][field])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "0001-01-01"}, "due_date"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"title": "Agree \u202ethe budget\u202c"}, "title"),
        ({"weight": 10**9}, "weight"),
    ],
)
def test_patch_refuses_dates_outside_the_window_and_bidi_controls(api_as, change, field):
    milestone = _milestone()
    response = api_as("tht.office").patch(
        f"{LIST}{milestone.pk}/", {"version": milestone.version, **change}, format="json"
    )
    error = assert_error_shape(response, 400)
    assert field in error["fields"], error


def test_a_body_over_the_limit_is_a_413_in_the_json_shape(api_as):
    body = json.dumps({"ids": [1], "note": "x" * (3 * 1024 * 1024)})
    response = api_as("tht.office").post(BULK, body, content_type="application/json")
    assert_error_shape(response, 413, "too_large")


@pytest.mark.parametrize("confirm", [False, True])
def test_a_milestone_csv_with_a_nul_byte_is_refused_with_a_400(client_as, confirm):
    programme = Programme.objects.get(body__slug="tht")
    upload = SimpleUploadedFile("m.csv", b"title,owner_body,status\nA\x00,tht,underway\n")
    data = {"file": upload, **({"confirm": "on"} if confirm else {})}
    page = client_as("tht.office").post(reverse("milestones:import", args=[programme.pk]), data)
    # Refused by the upload reader (ics_portal.uploads) with its message, never a 500.
    assert page.status_code == 400


# --- production: DEBUG off, errors outside DRF views --------------------------------


@override_settings(DEBUG=False)
def test_in_production_an_unknown_api_url_answers_json():
    assert_error_shape(Client().get("/api/v1/no-such-thing/"), 404, "not_found")


@override_settings(DEBUG=False)
def test_in_production_a_crash_in_the_api_answers_json(persona, monkeypatch):
    from milestones import selectors

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "milestone_rows_for", crash)
    client = Client(raise_request_exception=False)
    client.force_login(persona("tht.office"))
    assert_error_shape(client.get(LIST), 500, "server_error")


@override_settings(DEBUG=False)
def test_in_production_pages_keep_their_html_error_pages(client_as):
    page = client_as("tht.office").get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
