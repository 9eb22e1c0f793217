from django.db import models

from governance.models import BodyKind


class Level(models.TextChoices):
    """Where a decision sits in the system."""

    RESERVED = "reserved", "Reserved to the ICB board"
    ICB_COMMITTEE = "icb_committee", "Delegated to an ICB committee"
    INDIVIDUAL = "individual", "Delegated to an individual executive"
    PLACE = "place", "Delegated to a place-based partnership"
    COLLABORATIVE = "collaborative", "Delegated to a provider collaborative"
    JOINT_COMMITTEE = "joint_committee", "Delegated to a joint committee"
    LEAD_PROVIDER = "lead_provider", "Delegated to a lead provider"


# The kinds of receiving body that fit each level. A reservation has no receiving body:
# the decision stays with the ICB board itself.
LEVEL_BODY_KINDS: dict[str, frozenset[str]] = {
    Level.RESERVED: frozenset(),
    Level.ICB_COMMITTEE: frozenset({BodyKind.COMMITTEE}),
    Level.INDIVIDUAL: frozenset(
        {BodyKind.ICB_BOARD, BodyKind.LOCAL_SYSTEM, BodyKind.PLACE_PARTNERSHIP, BodyKind.COMMITTEE}
    ),
    Level.PLACE: frozenset({BodyKind.PLACE_PARTNERSHIP}),
    Level.COLLABORATIVE: frozenset({BodyKind.PROVIDER_COLLABORATIVE}),
    Level.JOINT_COMMITTEE: frozenset(
        {BodyKind.COMMITTEE, BodyKind.LOCAL_SYSTEM, BodyKind.PLACE_PARTNERSHIP, BodyKind.ICP}
    ),
    Level.LEAD_PROVIDER: frozenset({BodyKind.PLACE_PARTNERSHIP, BodyKind.PROVIDER_COLLABORATIVE}),
}


class DecisionRight(models.TextChoices):
    DECIDES = "decides", "Decides"
    RECOMMENDS = "recommends", "Recommends"
    CONSULTED = "consulted", "Is consulted"
    INFORMED = "informed", "Is informed"


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"
    REVOKED = "revoked", "Revoked"


class ConditionCategory(models.TextChoices):
    OUTCOMES = "outcomes", "Outcomes"
    DELIVERY = "delivery", "Delivery"
    RESOURCES = "resources", "Resources and finance"
    QUALITY = "quality", "Quality"
    PERFORMANCE = "performance", "Performance"
    REPORTING = "reporting", "Reporting"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"
    OTHER = "other", "Other"


class AssessmentKind(models.TextChoices):
    """Who says so: the body's own view of its evidence, or the ICB's assurance of it.

    Dashboards count assured status; the self-assessment is shown beside it."""

    SELF = "self", "Self-assessment"
    ASSURED = "assured", "ICB assurance"


class AssessmentStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
