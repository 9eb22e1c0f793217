"""What the landscape serializers say: their fields, read-only; a parent named only
when the view has marked it visible; a seat current only between its dates."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIRequestFactory

from governance.models import Body, Membership
from governance.serializers import BodySerializer, MembershipSerializer, SystemSerializer

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    return {"request": APIRequestFactory().get("/api/v1/")}


def test_a_system_says_its_names_and_version_only(context):
    body = Body.objects.select_related("system").get(system__slug="nel", slug="tht")
    data = SystemSerializer(body.system, context=context).data
    assert set(data) == {"id", "url", "name", "short_name", "slug", "version"}
    assert data["url"].endswith(f"/api/v1/systems/{body.system.pk}/")


def test_a_body_is_read_only_and_labelled(context):
    tht = Body.objects.get(system__slug="nel", slug="tht")
    serializer = BodySerializer(tht, context=context)
    assert all(f.read_only for f in serializer.fields.values())
    data = serializer.data
    assert data["kind_display"] == tht.get_kind_display()
    assert data["system"]["slug"] == "nel"
    assert data["version"] == tht.version


def test_a_parent_is_named_only_when_marked_visible(context):
    child = Body.objects.filter(system__slug="nel", parent__isnull=False).first()
    # Without the view's annotation the parent is treated as hidden: never leak it.
    assert BodySerializer(child, context=context).data["parent"] is None
    child.parent_visible = True
    named = BodySerializer(child, context=context).data["parent"]
    assert named["id"] == child.parent_id


def test_a_seat_is_current_between_its_dates(context):
    seat = Membership.objects.filter(body__system__slug="nel").first()
    today = dt.date.today()
    seat.start_date, seat.end_date = today - dt.timedelta(days=3), None
    assert MembershipSerializer(seat, context=context).data["is_current"] is True
    seat.end_date = today - dt.timedelta(days=1)
    assert MembershipSerializer(seat, context=context).data["is_current"] is False
    seat.start_date, seat.end_date = today + dt.timedelta(days=1), None
    assert MembershipSerializer(seat, context=context).data["is_current"] is False
