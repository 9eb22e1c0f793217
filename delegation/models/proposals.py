"""Delegation proposals: a body asks for changes to the map, its board reviews them,
the ICB decides, and an approval applies every item to the map in one step.

The workflow's states, transitions and roles are declared in
``delegation.proposals.workflow``. The transition log, comments, positions and sent
notices are append-only records: nothing here is ever edited or deleted after the fact.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from governance.models import Body, GovernanceForm, IntegratedCareSystem
from ics_portal.history.records import tracked

from ..proposals.workflow import Outcome, State
from .choices import ConditionCategory, DecisionRight, Level
from .conditions import Condition
from .entries import MapEntry
from .functions import Function
from .versions import MapVersion

reference_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{0,9}-[0-9]{4}-[0-9]{2,3}$",
    "A reference is the body's short name, the year and a number, e.g. THT-2026-03.",
)
_MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}
_NOT_NEGATIVE = [MinValueValidator(Decimal("0"), "An amount cannot be negative.")]


class ItemKind(models.TextChoices):
    DELEGATE = "delegate", "Delegate a function"
    CHANGE = "change", "Change an entry in force"
    REVOKE = "revoke", "Revoke an entry"
    ADD_CONDITION = "add_condition", "Add a condition to an entry"
    CHANGE_CONDITION = "change_condition", "Change a condition"
    REMOVE_CONDITION = "remove_condition", "Remove a condition"


class Position(models.TextChoices):
    SUPPORT = "support", "Support"
    SUPPORT_WITH_CONDITIONS = "support_with_conditions", "Support with conditions"
    OBJECT = "object", "Object"
    ABSTAIN = "abstain", "Abstain"


# Positions that must say why.
POSITIONS_WITH_REASON = frozenset({Position.SUPPORT_WITH_CONDITIONS, Position.OBJECT})


class Proposal(models.Model):
    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="proposals"
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="proposals", verbose_name="proposing body"
    )
    reference = models.CharField(max_length=20, validators=[reference_validator])
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    readiness_evidence = models.TextField(blank=True)
    readiness_links = models.TextField(blank=True, help_text="One web address a line.")
    current_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    requested_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    review_closes_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    reopened_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reopened_as"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every write bumps it; a write based on an older one is
    # refused with what changed (see ``services.StaleProposal``).
    version = models.PositiveIntegerField(default=1)

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "reference"], name="proposal_reference_unique_in_system"
            ),
        ]
        indexes = [models.Index(fields=["system", "state"], name="proposal_system_state")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.readiness_links.splitlines() if line.strip()]


class ProposalItem(models.Model):
    """One change to the map, applied as written when the proposal is approved.

    Empty change fields leave the entry's value as it is. ``based_on`` is the entry (or
    condition) as it stood when the proposal was submitted: an approval refuses an item
    whose entry has changed since.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=24, choices=ItemKind.choices)
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        MapEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_items",
        verbose_name="map entry",
    )
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal_items"
    )
    level = models.CharField(
        "where the decision sits", max_length=24, choices=Level.choices, blank=True
    )
    governance_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    decision_right = models.CharField(max_length=16, choices=DecisionRight.choices, blank=True)
    delegated_budget = models.DecimalField(
        "delegated budget (£)", validators=_NOT_NEGATIVE, **_MONEY
    )
    financial_limit = models.DecimalField("financial limit (£)", validators=_NOT_NEGATIVE, **_MONEY)
    effective_from = models.DateField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=32, choices=ConditionCategory.choices, blank=True)
    requirement = models.TextField(blank=True)
    evidence_expected = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    based_on = models.JSONField(null=True, blank=True, editable=False)
    based_on_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the approval made of it: the new entry or condition.
    result_entry = models.OneToOneField(
        MapEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="made_by_item",
        editable=False,
    )
    result_condition = models.OneToOneField(
        Condition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="made_by_item",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked(system="proposal__system")

    class Meta:
        ordering = ["proposal", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal.reference} item {self.order}: {self.get_kind_display()}"


class ProposalChange(models.Model):
    """Every edit of a proposal or one of its items: who, when, which fields, from → to.

    The row carries the version the edit produced, so a stale write is told exactly the
    changes made since the version it was based on.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes")
    item = models.ForeignKey(
        ProposalItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    item_label = models.CharField(max_length=120, blank=True)
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    summary = models.TextField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.version}: {self.summary[:60]}"


class ProposalTransition(models.Model):
    """The log: every change of state, never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="log")
    name = models.CharField(max_length=24)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal.reference}: {self.from_state or '—'} → {self.to_state}"


class ProposalComment(models.Model):
    """A comment on the proposal or one item. Never edited or deleted: withdrawing one
    keeps a visible trace."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        ProposalItem, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.proposal_id}"


class ProposalPosition(models.Model):
    """A board member's position. A change adds a row and marks the old one replaced, so
    every position ever recorded is kept; the current one has ``replaced_at`` empty."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=32, choices=Position.choices)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                condition=models.Q(replaced_at__isnull=True),
                name="proposal_one_current_position",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.proposal_id}: {self.position}"


class Recommendation(models.Model):
    """The partnership board's recommendation, with the tally as it stood."""

    # Several if a refresh sent the proposal back to review; the newest one stands.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="recommendations")
    recommends = models.CharField(max_length=32, choices=Outcome.choices)
    note = models.TextField(blank=True)
    tally = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Recommendation on {self.proposal_id}: {self.recommends}"


class Decision(models.Model):
    """The ICB's decision. An approval links the map version it published."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    deciding_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    meeting_date = models.DateField()
    minute_reference = models.CharField(max_length=60)
    conditions = models.TextField(
        blank=True, help_text="Conditions attached by the decision, one a line."
    )
    note = models.TextField(blank=True)
    map_version = models.OneToOneField(
        MapVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.outcome}"

    @property
    def condition_lines(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]

    @property
    def citation(self) -> str:
        """ "ICB board 12 March 2026, minute 7.2"."""
        return (
            f"{self.deciding_body.short_name or self.deciding_body.name} "
            f"{self.meeting_date:%-d %B %Y}, minute {self.minute_reference}"
        )


class NoticeSent(models.Model):
    """An email sent for one logged transition: claimed before sending, so a retried or
    repeated task never sends the same notice twice."""

    transition = models.OneToOneField(
        ProposalTransition, on_delete=models.CASCADE, related_name="notice"
    )
    event = models.CharField(max_length=24)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event} notice for transition {self.transition_id}"
