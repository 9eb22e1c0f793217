"""The proposal workflow, declared once as data: states, outcomes, the transitions
between states, and which role may fire each (and do each other thing to a proposal).

Views, the API, the policy and the services all read these tables; none of them
spells out a state or a role of its own.

    draft → submitted → in review → recommended → decided (approved, approved with
    conditions, deferred, rejected); withdrawn from any open state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    RECOMMENDED = "recommended", "Recommended"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"


# Outcomes that change the map (every item is applied, a version is published).
APPROVING = frozenset({Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS})
OPEN_STATES = frozenset({State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED})
CLOSED_STATES = frozenset({State.DECIDED, State.WITHDRAWN})


class Role(StrEnum):
    """What a user is to one proposal (a user may be several)."""

    # The proposing body's programme office.
    OFFICE = "office"
    # A member of the proposing body's board.
    BOARD = "board"
    # The system's governance lead.
    LEAD = "lead"
    # Anyone else with a role in the system.
    READER = "reader"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    # Which email the transition sends, if any (see ``notifications``).
    notice: str = ""
    # The API action's path segment.
    url_path: str = ""

    @property
    def path(self) -> str:
        return self.url_path or self.name.replace("_", "-")


SUBMIT = Transition(
    "submit", "Submit to the ICB", frozenset({State.DRAFT}), State.SUBMITTED,
    frozenset({Role.OFFICE}),
)  # fmt: skip
OPEN_REVIEW = Transition(
    "open_review", "Open the board's review", frozenset({State.SUBMITTED}), State.IN_REVIEW,
    frozenset({Role.LEAD}), notice="review",
)  # fmt: skip
RECOMMEND = Transition(
    "recommend", "Record the board's recommendation", frozenset({State.IN_REVIEW}),
    State.RECOMMENDED, frozenset({Role.LEAD}), notice="recommended",
)  # fmt: skip
DECIDE = Transition(
    "decide", "Record the ICB's decision", frozenset({State.RECOMMENDED}), State.DECIDED,
    frozenset({Role.LEAD}), notice="decided",
)  # fmt: skip
WITHDRAW = Transition(
    "withdraw", "Withdraw the proposal",
    frozenset({State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED}),
    State.WITHDRAWN, frozenset({Role.OFFICE}),
)  # fmt: skip
# The map moved under some items: take the live entries as the new basis and send the
# proposal back to review, rather than overwrite someone's change.
REFRESH = Transition(
    "refresh", "Refresh the items against the live map",
    frozenset({State.IN_REVIEW, State.RECOMMENDED}), State.IN_REVIEW, frozenset({Role.LEAD}),
    notice="review",
)  # fmt: skip

TRANSITIONS: dict[str, Transition] = {
    t.name: t for t in (SUBMIT, OPEN_REVIEW, RECOMMEND, DECIDE, WITHDRAW, REFRESH)
}


@dataclass(frozen=True)
class Activity:
    """Something done to a proposal that is not a change of state."""

    name: str
    states: frozenset[str]
    roles: frozenset[Role]


# Reading: the office from the first draft; the board and the lead once submitted
# (``Proposal.submitted_at``); everyone in the system once decided.
EDIT = Activity("edit", frozenset({State.DRAFT}), frozenset({Role.OFFICE}))
COMMENT = Activity(
    "comment", frozenset({State.IN_REVIEW}), frozenset({Role.BOARD, Role.OFFICE, Role.LEAD})
)
POSITION = Activity("position", frozenset({State.IN_REVIEW}), frozenset({Role.BOARD}))
# A deferred proposal comes back as a new draft that keeps the link to the old one.
REOPEN = Activity("reopen", frozenset({State.DECIDED}), frozenset({Role.OFFICE}))

ACTIVITIES: dict[str, Activity] = {a.name: a for a in (EDIT, COMMENT, POSITION, REOPEN)}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
