import datetime as dt

import pytest

from governance.models import Body
from milestones import services
from milestones.models import Milestone, Programme


@pytest.fixture
def tht(db):
    return Body.objects.get(system__slug="nel", slug="tht")


@pytest.fixture
def newham(db):
    return Body.objects.get(system__slug="nel", slug="newham")


@pytest.fixture
def tht_programme(tht):
    return Programme.objects.get(body=tht)


@pytest.fixture
def make(tht, tht_programme, persona):
    """``make("title", **fields)`` → a new THT milestone, due in a month by default."""

    def build(title: str, **fields) -> Milestone:
        fields.setdefault("due_date", dt.date.today() + dt.timedelta(days=30))
        fields.setdefault("programme", tht_programme)
        fields.setdefault("owner_body", tht)
        return services.milestone_create(title=title, by=persona("tht.office"), **fields)

    return build


@pytest.fixture
def tht_milestone(tht):
    """A THT milestone tht.board does not lead."""
    return Milestone.objects.get(owner_body=tht, title__startswith="Explore options")


@pytest.fixture
def led_by_board(tht):
    return Milestone.objects.get(owner_body=tht, title__startswith="Agree proposals for form")
