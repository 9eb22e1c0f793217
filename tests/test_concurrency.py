"""Two people change the same record at once, for every kind of editable record: exactly
one write wins, the other gets 409 with what changed and who changed it, nothing of
the first is overwritten and nothing the second typed is lost (pages, admin, API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from delegation.models import EntryStatus, Function, MapEntry
from delegation.tests import helpers as h
from governance.models import Body, IntegratedCareSystem, Membership, Organisation
from milestones.models import Milestone, Programme
from tests.page_forms import form_data

# --- pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """An edit page: where it is, the field two people change, and where it is stored."""

    name: str
    url: Callable[[], str]
    field: str
    stored: Callable[[], str]
    form_id: str | None = None


def _entry() -> MapEntry:
    return h.in_force("F-04", "tht")


PAGES = [
    Page(
        "function",
        lambda: reverse("delegation:function_edit", args=[h.function("F-01").pk]),
        "name",
        lambda: h.function("F-01").name,
        "main-form",
    ),
    Page(
        "map entry (correct this entry)",
        lambda: reverse("delegation:entry_edit", args=[_entry().pk]),
        "notes",
        lambda: _entry().notes,
        "main-form",
    ),
    Page(
        "condition",
        lambda: reverse("delegation:condition_edit", args=[h.tht_condition().pk]),
        "requirement",
        lambda: h.tht_condition().requirement,
        "main-form",
    ),
]


def _post(client: Client, url: str, data: dict, field: str, value: str):
    return client.post(url, {**data, field: value})


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_two_editors_one_409_nothing_lost(client_as, persona, page):
    url = page.url()
    first, second = client_as("icb.governance"), client_as("icb.governance")
    mine = form_data(first.get(url).text, page.form_id)
    theirs = form_data(second.get(url).text, page.form_id)
    assert mine["version"] == theirs["version"]

    saved = _post(first, url, mine, page.field, "First in")
    assert saved.status_code == 302, saved.content[:3000]
    refused = _post(second, url, theirs, page.field, "Second, typed with care")
    assert refused.status_code == 409
    lead = persona("icb.governance")
    assert f"{lead.get_full_name()} changed" in refused.text
    assert "→ First in" in refused.text  # what changed, to what
    assert "Second, typed with care" in refused.text  # what they typed is still there
    assert page.stored() == "First in"

    # Saving again from the refused page is deliberate, and then it is saved.
    again = form_data(refused.text, page.form_id)
    assert int(again["version"][0]) == int(mine["version"][0]) + 1
    assert second.post(url, again).status_code == 302
    assert page.stored() == "Second, typed with care"


def test_page_post_without_a_version_is_refused(client_as):
    url = reverse("delegation:function_edit", args=[h.function("F-01").pk])
    client = client_as("icb.governance")
    data = form_data(client.get(url).text, "main-form")
    del data["version"]
    response = client.post(url, {**data, "name": "No version"})
    assert response.status_code == 400
    assert h.function("F-01").name != "No version"


@pytest.mark.parametrize("action", ["entry_revoke", "entry_supersede"])
def test_closing_an_entry_someone_just_changed_is_409(client_as, action):
    entry = _entry()
    first, second = client_as("icb.governance"), client_as("icb.governance")
    stale = form_data(
        second.get(reverse(f"delegation:{action}", args=[entry.pk])).text, "main-form"
    )
    edit_url = reverse("delegation:entry_edit", args=[entry.pk])
    edit = form_data(first.get(edit_url).text, "main-form")
    assert first.post(edit_url, {**edit, "notes": "Corrected first"}).status_code == 302
    refused = second.post(
        reverse(f"delegation:{action}", args=[entry.pk]),
        {**stale, "note": "Folded in", "notes": "Folded in"},
    )
    assert refused.status_code == 409
    assert "→ Corrected first" in refused.text and "Folded in" in refused.text
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_FORCE and entry.notes == "Corrected first"


# --- the admin (the back office edits the landscape and programmes) -------------------


@pytest.fixture
def operators(db):
    root = get_user_model().objects.create_superuser(
        "operator", password="x-long-pass-9", first_name="Olu", last_name="Operator"
    )

    def signed_in() -> Client:
        client = Client()
        client.force_login(root)
        return client

    return signed_in


def _tht() -> Body:
    return Body.objects.get(system__slug="nel", slug="tht")


ADMIN = [
    ("governance", "body", _tht, "chair_name"),
    ("governance", "organisation", lambda: Organisation.objects.order_by("pk").first(), "name"),
    (
        "governance",
        "membership",
        lambda: Membership.objects.filter(body__slug="tht").order_by("pk").first(),
        "start_date",
    ),
    (
        "governance",
        "integratedcaresystem",
        lambda: IntegratedCareSystem.objects.get(slug="nel"),
        "name",
    ),
    ("milestones", "programme", lambda: Programme.objects.order_by("pk").first(), "name"),
]


def _admin_value(field: str, n: int) -> str:
    return f"2021-0{n}-01" if field == "start_date" else f"Typed {n}"


@pytest.mark.parametrize(("app", "model", "get", "field"), ADMIN, ids=[a[1] for a in ADMIN])
def test_admin_two_editors_one_409_nothing_lost(operators, app, model, get, field):
    obj = get()
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    first, second = operators(), operators()
    form_id = f"{model}_form"
    mine = form_data(first.get(url).text, form_id)
    theirs = form_data(second.get(url).text, form_id)
    assert mine["loaded_version"] == [str(obj.version)]

    saved = first.post(url, {**mine, field: _admin_value(field, 1)})
    assert saved.status_code == 302, saved.content[:3000]
    refused = second.post(url, {**theirs, field: _admin_value(field, 2)})
    assert refused.status_code == 409
    assert "was changed by Olu Operator since you loaded it" in refused.text
    assert _admin_value(field, 2) in refused.text  # still in the form
    fresh = type(obj).objects.get(pk=obj.pk)
    assert str(getattr(fresh, field)) == _admin_value(field, 1)
    again = form_data(refused.text, form_id)
    assert second.post(url, again).status_code == 302
    fresh = type(obj).objects.get(pk=obj.pk)
    assert str(getattr(fresh, field)) == _admin_value(field, 2)


def test_admin_inline_membership_keeps_its_version(operators):
    body = _tht()
    membership = body.memberships.order_by("organisation__name", "pk").first()
    url = reverse("admin:governance_body_change", args=[body.pk])
    first, second = operators(), operators()
    theirs = form_data(second.get(url).text, "body_form")
    standalone = reverse("admin:governance_membership_change", args=[membership.pk])
    mine = form_data(first.get(standalone).text, "membership_form")
    assert first.post(standalone, {**mine, "end_date": "2031-03-31"}).status_code == 302
    row = next(k for k, v in theirs.items() if k.endswith("-id") and v == [str(membership.pk)])
    prefix = row.removesuffix("-id")
    refused = second.post(url, {**theirs, f"{prefix}-end_date": "2030-03-31"})
    assert refused.status_code == 409
    membership.refresh_from_db()
    assert str(membership.end_date) == "2031-03-31"


# --- the API ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    obj: Callable[[], object]
    url: str
    field: str
    values: tuple[object, object]
    writer: str = "icb.governance"


ENDPOINTS = [
    Endpoint("function", lambda: h.function("F-01"), "/api/v1/functions/{}/", "name", ("A", "B")),
    Endpoint("map entry", _entry, "/api/v1/map-entries/{}/", "notes", ("A", "B")),
    Endpoint("condition", h.tht_condition, "/api/v1/conditions/{}/", "requirement", ("A", "B")),
    Endpoint(
        "milestone",
        lambda: Milestone.objects.get(owner_body__slug="tht", title__startswith="Explore options"),
        "/api/v1/milestones/{}/",
        "progress",
        (41, 90),
        "tht.office",
    ),
]


@pytest.mark.parametrize("ep", ENDPOINTS, ids=lambda e: e.name)
def test_api_two_writers_one_409_nothing_lost(api_as, ep):
    obj = ep.obj()
    url = ep.url.format(obj.pk)
    first, second = api_as(ep.writer), api_as("icb.governance")
    read = first.get(url)
    assert read["ETag"] == f'"{obj.version}"' and read.json()["version"] == obj.version
    loaded = obj.version

    won = first.patch(url, {"version": loaded, ep.field: ep.values[0]}, format="json")
    assert won.status_code == 200, won.content
    assert won["ETag"] == f'"{loaded + 1}"' and won.json()["version"] == loaded + 1
    lost = second.patch(url, {"version": loaded, ep.field: ep.values[1]}, format="json")
    assert lost.status_code == 409, lost.content
    error = lost.json()["error"]
    assert error["code"] == "conflict" and error["version"] == loaded + 1
    change = next(c for c in error["changes"] if c["field"] == ep.field)
    writer = get_user_model().objects.get(username=ep.writer)
    assert change["changed_by"] == (writer.get_full_name() or writer.username)
    assert str(ep.values[0]) in change["new"]
    assert second.get(url).json()[ep.field] == ep.values[0]


@pytest.mark.parametrize("ep", ENDPOINTS, ids=lambda e: e.name)
def test_api_if_match_is_the_version(api_as, ep):
    obj = ep.obj()
    url = ep.url.format(obj.pk)
    client = api_as(ep.writer)
    etag = client.get(url)["ETag"]
    ok = client.patch(url, {ep.field: ep.values[0]}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    stale = client.patch(url, {ep.field: ep.values[1]}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    missing = client.patch(url, {ep.field: ep.values[1]}, format="json")
    assert missing.status_code == 400
    assert "version is required" in missing.json()["error"]["fields"]["version"][0]
    assert client.get(url).json()[ep.field] == ep.values[0]


@pytest.mark.parametrize("action", ["revoke", "supersede"])
def test_api_closing_an_entry_someone_just_changed_is_409(api_as, action):
    entry = _entry()
    client = api_as("icb.governance")
    loaded = entry.version
    url = f"/api/v1/map-entries/{entry.pk}/"
    corrected = client.patch(url, {"version": loaded, "notes": "Corrected"}, format="json")
    assert corrected.status_code == 200
    stale = client.post(f"{url}{action}/", {"version": loaded, "note": "x"}, format="json")
    assert stale.status_code == 409
    assert "Corrected" in str(stale.json()["error"]["changes"])
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_FORCE
    fresh = client.post(f"{url}{action}/", {"version": loaded + 1, "note": "x"}, format="json")
    assert fresh.status_code in (200, 201), fresh.content


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/api/v1/bodies/{}/", Body),
        ("/api/v1/organisations/{}/", Organisation),
        ("/api/v1/memberships/{}/", Membership),
        ("/api/v1/systems/{}/", IntegratedCareSystem),
        ("/api/v1/programmes/{}/", Programme),
    ],
)
def test_read_only_records_carry_their_version(api_as, url, model):
    obj = model.objects.filter(pk__in=_visible_pks(api_as, url)).first()
    response = api_as("icb.governance").get(url.format(obj.pk))
    assert response.json()["version"] == obj.version
    assert response["ETag"] == f'"{obj.version}"'


def _visible_pks(api_as, url: str) -> list[int]:
    rows = api_as("icb.governance").get(url.replace("{}/", "")).json()["results"]
    return [r["id"] for r in rows]


def test_function_created_through_the_api_starts_at_version_1(api_as):
    created = api_as("icb.governance").post(
        "/api/v1/functions/",
        {"system": "nel", "code": "X-09", "name": "Estates", "version": 7},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1
    assert Function.objects.get(code="X-09").version == 1
