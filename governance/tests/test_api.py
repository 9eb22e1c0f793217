"""The landscape API: each list holds exactly what each persona may see, hidden objects
answer 404, pagination, token sign-in and a query count that stays flat.

The expected sets are written out from the demo's facts ("every NEL body that is
published, plus THT"), not by asking ``governance.permissions``, so a policy bug
shows up here as a wrong answer rather than agreeing with itself. The filters are
tested in test_filters.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance import services
from governance.models import (
    Body,
    BodyKind,
    IntegratedCareSystem,
    Membership,
    MembershipRole,
    Organisation,
)
from tests.routes import PERSONAS

pytestmark = pytest.mark.django_db

NEL_PERSONAS = ("icb.governance", "tht.office", "tht.board", "newham.office", "viewer")
# The body each persona holds a body role for (programme office or board member).
OWN_BODY = {"tht.office": "tht", "tht.board": "tht", "newham.office": "newham"}
UNPUBLISHED = "community-health-collaborative"


def body(slug: str, system: str = "nel") -> Body:
    return Body.objects.get(system__slug=system, slug=slug)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    data = response.json()
    assert response.status_code == 200, data
    assert data["next"] is None, "raise page_size: the test must see every row"
    return {row["id"] for row in data["results"]}


def expected_systems(username: str) -> set[int]:
    slug = "sel" if username == "sel.governance" else "nel"
    return {IntegratedCareSystem.objects.get(slug=slug).pk}


def expected_bodies(username: str) -> set[int]:
    """The visibility rules in words: a lead sees their whole system; everyone else in
    NEL sees what NEL publishes, plus the body they hold a role for."""
    if username == "sel.governance":
        rows = Body.objects.filter(system__slug="sel")
    elif username == "icb.governance":
        rows = Body.objects.filter(system__slug="nel")
    else:
        rows = Body.objects.filter(system__slug="nel", is_published=True)
        if username in OWN_BODY:
            rows = rows | Body.objects.filter(system__slug="nel", slug=OWN_BODY[username])
    return set(rows.values_list("pk", flat=True))


def expected_organisations(username: str) -> set[int]:
    slug = "sel" if username == "sel.governance" else "nel"
    return set(Organisation.objects.filter(system__slug=slug).values_list("pk", flat=True))


def expected_memberships(username: str) -> set[int]:
    bodies = expected_bodies(username)
    return set(Membership.objects.filter(body__in=bodies).values_list("pk", flat=True))


# --- lists hold exactly what each persona may see ------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/systems/", expected_systems),
        ("/api/v1/organisations/", expected_organisations),
        ("/api/v1/bodies/", expected_bodies),
        ("/api/v1/memberships/", expected_memberships),
    ],
    ids=["systems", "organisations", "bodies", "memberships"],
)
@pytest.mark.parametrize("username", PERSONAS)
def test_list_holds_exactly_what_the_persona_may_see(username, path, expected, api_as):
    got = ids(api_as(username).get(path, {"page_size": 500}))
    assert got == expected(username)
    assert got, "every persona sees something of their own system"


def test_the_expected_sets_tell_the_personas_apart():
    # Guards the test above: if the demo stopped distinguishing these, it would pass
    # for a policy that shows everyone everything in NEL.
    assert body(UNPUBLISHED).pk in expected_bodies("icb.governance")
    assert body(UNPUBLISHED).pk not in expected_bodies("viewer")
    assert expected_bodies("viewer") < expected_bodies("icb.governance")
    assert not expected_bodies("sel.governance") & expected_bodies("icb.governance")


@pytest.mark.parametrize("username", ("viewer", "tht.office", "tht.board", "newham.office"))
def test_the_unpublished_nel_body_is_not_listed_nor_readable(username, api_as):
    hidden = body(UNPUBLISHED)
    client = api_as(username)
    assert hidden.pk not in ids(client.get("/api/v1/bodies/", {"page_size": 500}))
    assert client.get(f"/api/v1/bodies/{hidden.pk}/").status_code == 404
    seat = Membership.objects.filter(body=hidden).first()
    assert seat is not None
    assert client.get(f"/api/v1/memberships/{seat.pk}/").status_code == 404


def test_the_governance_lead_reads_the_unpublished_body(api_as):
    hidden = body(UNPUBLISHED)
    response = api_as("icb.governance").get(f"/api/v1/bodies/{hidden.pk}/")
    assert response.status_code == 200
    assert response.json()["is_published"] is False


def test_an_unpublished_own_body_stays_visible_to_its_office_only(api_as):
    tht = body("tht")
    services.body_update(body=tht, is_published=False)
    assert tht.pk in ids(api_as("tht.office").get("/api/v1/bodies/", {"page_size": 500}))
    assert api_as("tht.board").get(f"/api/v1/bodies/{tht.pk}/").status_code == 200
    assert api_as("newham.office").get(f"/api/v1/bodies/{tht.pk}/").status_code == 404
    assert api_as("viewer").get(f"/api/v1/bodies/{tht.pk}/").status_code == 404


# --- details: 200 when visible, 404 otherwise ----------------------------------------


def _detail_cases():
    nel_readers = {u: 200 for u in NEL_PERSONAS} | {"sel.governance": 404}
    sel_readers = {u: 404 for u in NEL_PERSONAS} | {"sel.governance": 200}
    return [
        ("systems", lambda: IntegratedCareSystem.objects.get(slug="nel"), nel_readers),
        ("systems", lambda: IntegratedCareSystem.objects.get(slug="sel"), sel_readers),
        (
            "organisations",
            lambda: Organisation.objects.get(name="Barts Health NHS Trust"),
            nel_readers,
        ),
        (
            "organisations",
            lambda: Organisation.objects.get(name="London Borough of Lambeth"),
            sel_readers,
        ),
        ("bodies", lambda: body("tht"), nel_readers),
        ("bodies", lambda: body("lambeth-together", "sel"), sel_readers),
        ("memberships", lambda: Membership.objects.filter(body__slug="tht").first(), nel_readers),
        (
            "memberships",
            lambda: Membership.objects.filter(body__system__slug="sel").first(),
            sel_readers,
        ),
    ]


@pytest.mark.parametrize("username", PERSONAS)
def test_detail_as_each_persona(username, api_as):
    client = api_as(username)
    for resource, get_object, expect in _detail_cases():
        obj = get_object()
        response = client.get(f"/api/v1/{resource}/{obj.pk}/")
        assert response.status_code == expect[username], (resource, obj, response.content)
        if response.status_code == 200:
            assert response.json()["id"] == obj.pk
        else:
            assert response.json()["error"]["code"] == "not_found"


def test_sel_gets_the_same_404_for_nel_objects_as_for_missing_ones(api_as):
    client = api_as("sel.governance")
    missing = client.get("/api/v1/bodies/999999/")
    for path in (
        f"/api/v1/bodies/{body('tht').pk}/",
        f"/api/v1/bodies/{body(UNPUBLISHED).pk}/",
        f"/api/v1/systems/{IntegratedCareSystem.objects.get(slug='nel').pk}/",
        f"/api/v1/organisations/{Organisation.objects.get(name='Barts Health NHS Trust').pk}/",
    ):
        hidden = client.get(path)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()


# --- what a row says -----------------------------------------------------------------


def test_body_detail_is_labelled_and_linked(api_as):
    tht = body("tht")
    data = api_as("tht.office").get(f"/api/v1/bodies/{tht.pk}/").json()
    assert data["url"].endswith(f"/api/v1/bodies/{tht.pk}/")
    assert data["name"] == "Tower Hamlets Together"
    assert (data["kind"], data["kind_display"]) == ("place_partnership", "Place-based partnership")
    assert data["system"]["short_name"] == "NEL"
    assert data["system"]["url"].endswith(f"/api/v1/systems/{tht.system_id}/")
    assert data["parent"]["id"] == body("wel").pk
    assert data["parent"]["name"] == "Waltham Forest and East London local system"
    assert data["accountable_to"]["name"] == "Tower Hamlets Health and Wellbeing Board"
    assert (data["current_form"], data["current_form_display"]) == (
        "committee",
        "Committee of the ICB",
    )
    assert data["target_form_display"] == "Joint committee"
    assert data["chair_type_display"] == "Independent chair"
    assert data["has_form"] is True


def test_a_hidden_parent_is_not_named(api_as):
    """A published subgroup of the unpublished collaborative: the viewer sees the
    subgroup but not what it hangs under; the governance lead sees both."""
    hidden = body(UNPUBLISHED)
    child = services.body_create(
        system=hidden.system,
        name="Community health clinical reference group",
        kind=BodyKind.COMMITTEE,
        parent=hidden,
        accountable_to=hidden,
    )
    as_viewer = api_as("viewer").get(f"/api/v1/bodies/{child.pk}/").json()
    assert as_viewer["parent"] is None
    assert as_viewer["accountable_to"] is None
    assert hidden.name not in str(as_viewer)
    as_lead = api_as("icb.governance").get(f"/api/v1/bodies/{child.pk}/").json()
    assert as_lead["parent"]["id"] == as_lead["accountable_to"]["id"] == hidden.pk

    # Nor does filtering by the hidden id confirm that it exists.
    assert results(api_as("viewer").get("/api/v1/bodies/", {"parent": hidden.pk})) == []
    assert [
        r["id"]
        for r in results(api_as("icb.governance").get("/api/v1/bodies/", {"parent": hidden.pk}))
    ] == [child.pk]


def test_membership_row(api_as):
    seat = Membership.objects.get(
        body__slug="tht", organisation__name="London Borough of Tower Hamlets", role="co_chair"
    )
    data = api_as("viewer").get(f"/api/v1/memberships/{seat.pk}/").json()
    assert data["body"]["name"] == "Tower Hamlets Together"
    assert data["organisation"]["short_name"] == "Tower Hamlets Council"
    assert data["system"]["short_name"] == "NEL"
    assert (data["role"], data["role_display"]) == ("co_chair", "Co-chair")
    assert data["start_date"] == seat.start_date.isoformat()
    assert data["is_current"] is True


def test_organisation_row(api_as):
    barts = Organisation.objects.get(name="Barts Health NHS Trust")
    data = api_as("newham.office").get(f"/api/v1/organisations/{barts.pk}/").json()
    assert (data["kind"], data["kind_display"], data["ods_code"]) == (
        "nhs_trust",
        "NHS trust",
        "R1H",
    )
    assert data["system"]["slug"] == "nel"


# --- pagination --------------------------------------------------------------------------


def test_lists_are_paginated(api_as):
    client = api_as("icb.governance")
    total = Body.objects.filter(system__slug="nel").count()
    first = client.get("/api/v1/bodies/", {"page_size": 5}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == total
    assert len(first["results"]) == 5
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["previous"] is not None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    # The default page is 50 rows; the whole of NEL is more than one page of 5.
    assert len(client.get("/api/v1/bodies/").json()["results"]) == min(total, 50)


def test_a_page_past_the_end_is_a_404_in_the_error_shape(api_as):
    response = api_as("viewer").get("/api/v1/bodies/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- token sign-in -------------------------------------------------------------------------


def test_a_token_signs_in_as_its_user(db):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "tht.office", "password": settings.DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user.username == "tht.office"

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = ids(client.get("/api/v1/bodies/", {"page_size": 500}))
    assert listed == expected_bodies("tht.office")
    assert client.get(f"/api/v1/bodies/{body(UNPUBLISHED).pk}/").status_code == 404

    # Asking again gives the same token, so a second script does not log out the first.
    again = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "tht.office", "password": settings.DEMO_PASSWORD},
    )
    assert again.json()["token"] == token


def test_a_wrong_password_gets_no_token(db):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "tht.office", "password": "not-the-password"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "non_field_errors" in error["fields"]
    assert not Token.objects.filter(user__username="tht.office").exists()


def test_a_token_request_without_fields_names_them(db):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"username", "password"}


def test_a_deactivated_user_gets_no_token_and_their_token_stops_working(persona):
    user = persona("viewer")
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "viewer", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 400
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/bodies/").status_code == 401


def test_a_bad_token_is_a_401_but_does_not_block_getting_a_new_one(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    refused = client.get("/api/v1/bodies/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    # A stale token sent along must not stop someone signing in again.
    response = client.post(
        "/api/v1/auth/token/", {"username": "viewer", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 200


def test_a_signed_in_browser_session_reads_the_api(client_as):
    response = client_as("viewer").get("/api/v1/bodies/", {"page_size": 500})
    assert {r["id"] for r in response.json()["results"]} == expected_bodies("viewer")


# --- the read API changes nothing -------------------------------------------------------


@pytest.mark.parametrize("method", ("post", "put", "patch", "delete"))
def test_writes_are_refused_and_change_nothing(method, api_as):
    tht = body("tht")
    client = api_as("icb.governance")
    path = "/api/v1/bodies/" if method == "post" else f"/api/v1/bodies/{tht.pk}/"
    response = getattr(client, method)(path, {"name": "Renamed"}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    tht.refresh_from_db()
    assert tht.name == "Tower Hamlets Together"


# --- cost ----------------------------------------------------------------------------------


def _count_queries(client: APIClient, path: str) -> tuple[int, int]:
    client.get(path, {"page_size": 500})  # warm caches such as content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 500})
    assert response.status_code == 200
    assert response.json()["next"] is None
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("username", ("icb.governance", "tht.office", "viewer"))
@pytest.mark.parametrize("path", ("/api/v1/bodies/", "/api/v1/memberships/"))
def test_the_query_count_does_not_grow_with_the_rows(username, path, api_as):
    client = api_as(username)
    before, rows_before = _count_queries(client, path)

    nel = IntegratedCareSystem.objects.get(slug="nel")
    tht, hwbb = body("tht"), body("tower-hamlets-hwbb")
    lbth = Organisation.objects.get(name="London Borough of Tower Hamlets")
    for n in range(50):
        extra = services.body_create(
            system=nel,
            name=f"Extra THT task and finish group {n}",
            kind=BodyKind.COMMITTEE,
            parent=tht,
            accountable_to=hwbb,
        )
        services.membership_create(
            body=extra,
            organisation=lbth,
            role=MembershipRole.MEMBER,
            start_date=dt.date(2024, 4, 1),
        )

    after, rows_after = _count_queries(client, path)
    assert rows_after == rows_before + 50
    assert after == before
