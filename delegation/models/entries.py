from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from governance.models import Body, BodyKind, GovernanceForm
from governance.models.changes import Versioned
from ics_portal.history.records import tracked
from ics_portal.validators import validate_sane_date

from .choices import LEVEL_BODY_KINDS, DecisionRight, EntryStatus, Level
from .functions import Function

IN_FORCE = models.Q(status=EntryStatus.IN_FORCE)


class MapEntry(Versioned):
    """A row of the functions and decision map: a reservation or a delegation.

    Entries are never deleted. A change in force is made by superseding: the old row
    stays readable, marked superseded, and points at its successor.
    """

    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="entries")
    level = models.CharField("where the decision sits", max_length=24, choices=Level.choices)
    receiving_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="map_entries",
        help_text="Empty for a function reserved to the ICB board.",
    )
    governance_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    decision_right = models.CharField(
        max_length=16, choices=DecisionRight.choices, default=DecisionRight.DECIDES
    )
    delegated_budget = models.DecimalField(
        "delegated budget (£)",
        max_digits=14,
        decimal_places=2,
        # Empty when never recorded: shown as "not recorded", never as £0.
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "A delegated budget cannot be negative.")],
    )
    financial_limit = models.DecimalField(
        "financial limit (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "A financial limit cannot be negative.")],
    )
    effective_from = models.DateField(validators=[validate_sane_date])
    review_by = models.DateField(null=True, blank=True, validators=[validate_sane_date])
    status = models.CharField(
        max_length=16, choices=EntryStatus.choices, default=EntryStatus.PROPOSED
    )
    notes = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = tracked(system="function__system")

    class Meta:
        ordering = ["function__display_order", "function__code", "receiving_body__name"]
        verbose_name = "map entry"
        verbose_name_plural = "map entries"
        constraints = [
            models.UniqueConstraint(
                fields=["function", "receiving_body"],
                condition=IN_FORCE & models.Q(receiving_body__isnull=False),
                name="map_entry_one_in_force_per_body",
            ),
            models.UniqueConstraint(
                fields=["function"],
                condition=IN_FORCE & models.Q(receiving_body__isnull=True),
                name="map_entry_one_in_force_reservation",
            ),
            models.CheckConstraint(
                condition=models.Q(delegated_budget__gte=0), name="map_entry_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(review_by__isnull=True)
                | models.Q(review_by__gte=models.F("effective_from")),
                name="map_entry_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = self.receiving_body or "ICB board (reserved)"
        return f"{self.function.code} → {where}"

    @property
    def key(self) -> str:
        """How versions and spreadsheets name this entry: function code and where."""
        return entry_key(
            self.function.code, self.receiving_body.slug if self.receiving_body_id else None
        )

    def clean(self) -> None:
        errors = self.rule_errors()
        clash = self.in_force_clash()
        if clash:
            errors.setdefault("status", []).append(clash)
        if errors:
            raise ValidationError(errors)

    def in_force_clash(self) -> str:
        """The message if another entry is already in force for this function and body."""
        if self.status != EntryStatus.IN_FORCE or self.function_id is None:
            return ""
        clash = MapEntry.objects.filter(
            function_id=self.function_id,
            receiving_body_id=self.receiving_body_id,
            status=EntryStatus.IN_FORCE,
        ).exclude(pk=self.pk)
        if not clash.exists():
            return ""
        where = self.receiving_body or "the ICB board"
        return (
            f"{self.function.code} already has an entry in force for {where}; "
            "supersede or revoke it instead of adding a second one."
        )

    def rule_errors(self) -> dict[str, list[str]]:
        """The entry's own rules (level and body, dates, money).

        Reads nothing beyond the receiving body's parent (for an ICB committee), so a
        caller checking many entries selects ``receiving_body__parent`` once.
        """
        errors: dict[str, list[str]] = {}
        for field, message in [*self._level_errors(), *self._date_and_money_errors()]:
            errors.setdefault(field, []).append(message)
        return errors

    def _level_errors(self) -> list[tuple[str, str]]:
        """The level and the receiving body agree: none for a reserved function, one of
        the level's kinds within the function's system otherwise."""
        if self.level == Level.RESERVED:
            errors = []
            if self.receiving_body_id is not None:
                errors.append(
                    (
                        "receiving_body",
                        "A function reserved to the ICB board has no receiving body; "
                        "choose a delegation level to name one.",
                    )
                )
            if self.delegated_budget:
                errors.append(
                    ("delegated_budget", "A reserved function carries no delegated budget.")
                )
            return errors
        if self.level not in Level.values:
            return []
        level_label = Level(self.level).label.lower()
        if self.receiving_body_id is None:
            return [("receiving_body", f"Name the body the function is {level_label} to.")]
        return [("receiving_body", m) for m in self._receiving_body_errors(level_label)]

    def _receiving_body_errors(self, level_label: str) -> list[str]:
        body = self.receiving_body
        errors = []
        if self.function_id is not None and body.system_id != self.function.system_id:
            errors.append(
                f"{body} belongs to {body.system}; a function of "
                f"{self.function.system} can only be delegated within that system."
            )
        allowed = LEVEL_BODY_KINDS[self.level]
        if body.kind not in allowed:
            kinds = " or ".join(sorted(BodyKind(k).label.lower() for k in allowed))
            errors.append(
                f"{body} is a {body.get_kind_display().lower()}; a function "
                f"{level_label} goes to a {kinds}."
            )
        elif self.level == Level.ICB_COMMITTEE and not _reports_to_icb_board(body):
            # A place's workstream is a committee too, but not one of the ICB's.
            errors.append(
                f"{body} is not a committee of the ICB board; a function "
                f"{level_label} goes to one of the board's own committees."
            )
        return errors

    def _date_and_money_errors(self) -> list[tuple[str, str]]:
        errors = []
        if self.review_by and self.effective_from and self.review_by < self.effective_from:
            errors.append(("review_by", "The review date cannot be before the entry takes effect."))
        if (
            self.financial_limit is not None
            and self.delegated_budget is not None
            and self.financial_limit > self.delegated_budget > 0
        ):
            errors.append(
                (
                    "financial_limit",
                    "A single-decision financial limit cannot exceed the delegated budget.",
                )
            )
        return errors


def _reports_to_icb_board(body: Body) -> bool:
    return body.parent_id is not None and body.parent.kind == BodyKind.ICB_BOARD


def entry_key(function_code: str, body_slug: str | None) -> str:
    return f"{function_code}/{body_slug or 'reserved'}"
