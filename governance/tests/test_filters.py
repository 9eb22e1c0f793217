"""The landscape API's filters: each narrows what the persona may see, never widens
it, and a value that is not one answers 400 in the API's error shape, naming it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from governance import services
from governance.filters import BodyFilter, MembershipFilter
from governance.models import Body, IntegratedCareSystem, Membership, MembershipRole, Organisation
from governance.tests.test_api import UNPUBLISHED, body, expected_bodies, ids, results

pytestmark = pytest.mark.django_db


def test_bodies_filter_by_system_slug_or_id_within_what_is_visible(api_as):
    client = api_as("icb.governance")
    nel = IntegratedCareSystem.objects.get(slug="nel")
    by_slug = ids(client.get("/api/v1/bodies/", {"system": "nel", "page_size": 500}))
    by_id = ids(client.get("/api/v1/bodies/", {"system": nel.pk, "page_size": 500}))
    assert by_slug == by_id == set(nel.bodies.values_list("pk", flat=True))
    # Another system's slug gives nothing, exactly like an unknown one.
    assert results(client.get("/api/v1/bodies/", {"system": "sel"})) == []
    assert results(client.get("/api/v1/bodies/", {"system": "nowhere"})) == []


def test_bodies_filter_by_kind_parent_and_published(api_as):
    client = api_as("icb.governance")
    tht = body("tht")
    pcns = ids(client.get("/api/v1/bodies/", {"kind": "pcn", "page_size": 500}))
    assert pcns == set(Body.objects.filter(kind="pcn").values_list("pk", flat=True))
    assert len(pcns) == 8
    children = ids(client.get("/api/v1/bodies/", {"parent": tht.pk, "page_size": 500}))
    assert children == set(tht.children.values_list("pk", flat=True))
    assert children
    unpublished = ids(client.get("/api/v1/bodies/", {"is_published": "false"}))
    assert unpublished == {body(UNPUBLISHED).pk}
    top = ids(client.get("/api/v1/bodies/", {"top_level": "true", "page_size": 500}))
    assert top == set(
        Body.objects.filter(system__slug="nel", parent__isnull=True).values_list("pk", flat=True)
    )
    # The viewer asks for the unpublished ones and gets none.
    assert results(api_as("viewer").get("/api/v1/bodies/", {"is_published": "false"})) == []


def test_organisations_filter_by_system_and_kind(api_as):
    client = api_as("tht.board")
    councils = ids(
        client.get("/api/v1/organisations/", {"system": "nel", "kind": "local_authority"})
    )
    assert councils == set(
        Organisation.objects.filter(system__slug="nel", kind="local_authority").values_list(
            "pk", flat=True
        )
    )
    assert len(councils) == 8
    assert results(client.get("/api/v1/organisations/", {"system": "sel"})) == []


def test_memberships_filter_by_body_organisation_role_and_current(api_as):
    client = api_as("tht.office")
    tht = body("tht")
    today = timezone.localdate()
    held = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))

    every = ids(client.get("/api/v1/memberships/", {"body": tht.pk}))
    current = ids(client.get("/api/v1/memberships/", {"body": tht.pk, "current": "true"}))
    past = ids(client.get("/api/v1/memberships/", {"body": tht.pk, "current": "false"}))
    assert current == set(tht.memberships.filter(held).values_list("pk", flat=True))
    assert past == set(tht.memberships.exclude(held).values_list("pk", flat=True))
    assert past, "the CCG's seat ended in 2022"
    assert current | past == every and not current & past

    co_chairs = results(client.get("/api/v1/memberships/", {"body": tht.pk, "role": "co_chair"}))
    assert [r["organisation"]["name"] for r in co_chairs] == ["London Borough of Tower Hamlets"]

    barts = Organisation.objects.get(name="Barts Health NHS Trust")
    seats = ids(client.get("/api/v1/memberships/", {"organisation": barts.pk, "page_size": 500}))
    assert seats == set(
        barts.memberships.filter(body__in=expected_bodies("tht.office")).values_list(
            "pk", flat=True
        )
    )


def test_a_future_seat_is_not_current(api_as):
    tht = body("tht")
    lbn = Organisation.objects.get(name="London Borough of Newham")
    seat = services.membership_create(
        body=tht,
        organisation=lbn,
        role=MembershipRole.OBSERVER,
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    client = api_as("tht.office")
    assert seat.pk not in ids(
        client.get("/api/v1/memberships/", {"current": "true", "page_size": 500})
    )
    assert seat.pk in ids(
        client.get("/api/v1/memberships/", {"current": "false", "page_size": 500})
    )
    assert client.get(f"/api/v1/memberships/{seat.pk}/").json()["is_current"] is False


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/bodies/", {"kind": "castle"}, "kind"),
        ("/api/v1/bodies/", {"is_published": "maybe"}, "is_published"),
        ("/api/v1/bodies/", {"parent": "tht"}, "parent"),
        ("/api/v1/bodies/", {"system": "no such/system"}, "system"),
        ("/api/v1/organisations/", {"kind": "charity"}, "kind"),
        ("/api/v1/memberships/", {"current": "sometimes"}, "current"),
        ("/api/v1/memberships/", {"role": "chair"}, "role"),
        ("/api/v1/memberships/", {"body": "1.5"}, "body"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(path, params, field, api_as):
    response = api_as("icb.governance").get(path, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert list(error["fields"]) == [field]
    assert error["fields"][field][0]


def test_the_filter_sets_refuse_what_is_not_a_value():
    """Straight on the filter sets: a boolean is true or false, an id a whole number, a
    system an id or a slug."""
    for data, field in (
        ({"is_published": "yes please"}, "is_published"),
        ({"parent": "1.5"}, "parent"),
        ({"system": "no such/system"}, "system"),
    ):
        bodies = BodyFilter(data, queryset=Body.objects.all())
        assert not bodies.is_valid()
        assert list(bodies.errors) == [field]
    assert not MembershipFilter(
        {"current": "sometimes"}, queryset=Membership.objects.all()
    ).is_valid()


def test_a_system_is_found_by_id_or_slug():
    nel = IntegratedCareSystem.objects.get(slug="nel")
    by_slug = BodyFilter({"system": "nel"}, queryset=Body.objects.all()).qs
    by_id = BodyFilter({"system": str(nel.pk)}, queryset=Body.objects.all()).qs
    assert set(by_slug) == set(by_id) == set(Body.objects.filter(system=nel))
