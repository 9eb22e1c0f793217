"""The map's data rules: levels and receiving bodies, one entry in force, dates, money."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from delegation import services
from delegation.models import EntryStatus, Level, MapEntry
from delegation.tests import helpers as h

START = dt.date(2025, 4, 1)


def make(code="KF-07", level=Level.PLACE, body="tht", **kw):
    return services.map_entry_create(
        function=h.function(code),
        level=level,
        receiving_body=h.body(body) if body else None,
        effective_from=kw.pop("effective_from", START),
        **kw,
    )


def test_place_level_needs_a_place_partnership(db):
    collaborative = h.body_of_kind("provider_collaborative")
    with pytest.raises(ValidationError) as error:
        services.map_entry_create(
            function=h.function("KF-07"),
            level=Level.PLACE,
            receiving_body=collaborative,
            effective_from=START,
        )
    assert "goes to a place-based partnership" in str(error.value.message_dict["receiving_body"])


def test_place_level_accepts_a_place_partnership(db):
    entry = make()
    assert entry.pk and entry.receiving_body.slug == "tht"


def test_receiving_body_must_be_in_the_functions_system(db):
    with pytest.raises(ValidationError) as error:
        services.map_entry_create(
            function=h.function("KF-07"),
            level=Level.PLACE,
            receiving_body=h.body_of_kind("place_partnership", system="sel"),
            effective_from=START,
        )
    assert "can only be delegated within that system" in str(error.value)


def test_reservation_has_no_body_and_delegation_needs_one(db):
    with pytest.raises(ValidationError) as error:
        make(level=Level.RESERVED)
    assert "reserved to the ICB board has no receiving body" in str(error.value)
    with pytest.raises(ValidationError) as error:
        make(body=None)
    assert "Name the body" in str(error.value)


def test_review_date_not_before_effective_date(db):
    with pytest.raises(ValidationError) as error:
        make(review_by=START - dt.timedelta(days=1))
    assert "review date cannot be before" in str(error.value)


def test_budget_cannot_be_negative(db):
    with pytest.raises(ValidationError) as error:
        make(delegated_budget=Decimal("-1"))
    assert "cannot be negative" in str(error.value)


def test_one_in_force_per_function_and_body_clean_message(db):
    make(status=EntryStatus.IN_FORCE)
    with pytest.raises(ValidationError) as error:
        make(status=EntryStatus.IN_FORCE)
    assert "already has an entry in force for Tower Hamlets" in str(error.value) or (
        "already has an entry in force" in str(error.value)
    )
    # Proposed ones may sit beside the one in force, and other bodies are unaffected.
    make(status=EntryStatus.PROPOSED)
    make(body=h.other_place().slug, status=EntryStatus.IN_FORCE)


def test_one_in_force_enforced_by_the_database(db):
    first = make(status=EntryStatus.IN_FORCE)
    duplicate = MapEntry(
        function=first.function,
        level=first.level,
        receiving_body=first.receiving_body,
        effective_from=START,
        status=EntryStatus.IN_FORCE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_one_in_force_reservation_per_function(db):
    existing = h.in_force("R-01", None)
    clash = MapEntry(
        function=existing.function,
        level=Level.RESERVED,
        effective_from=START,
        status=EntryStatus.IN_FORCE,
    )
    with pytest.raises(ValidationError):
        clash.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_icb_committee_level_needs_one_of_the_boards_committees(db):
    workstream = h.body("tht-living-well")  # a committee, but of THT, not of the ICB
    with pytest.raises(ValidationError) as error:
        make(level=Level.ICB_COMMITTEE, body=workstream.slug)
    assert "not a committee of the ICB board" in str(error.value)
    entry = make(level=Level.ICB_COMMITTEE, body="quality-safety-improvement")
    assert entry.receiving_body.parent.kind == "icb_board"
