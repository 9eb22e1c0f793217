from django.core.exceptions import ValidationError
from django.db import models

from ics_portal.history.records import tracked

from .systems import IntegratedCareSystem


class BodyKind(models.TextChoices):
    ICB_BOARD = "icb_board", "ICB board"
    ICP = "icp", "Integrated care partnership"
    LOCAL_SYSTEM = "local_system", "Local system"
    PLACE_PARTNERSHIP = "place_partnership", "Place-based partnership"
    PROVIDER_COLLABORATIVE = "provider_collaborative", "Provider collaborative"
    PCN = "pcn", "Primary care network"
    HWBB = "hwbb", "Health and wellbeing board"
    COMMITTEE = "committee", "Committee or subgroup"


class GovernanceForm(models.TextChoices):
    """The five forms of the ICS design framework, from least to most delegated."""

    CONSULTATIVE_FORUM = "consultative_forum", "Consultative forum"
    COMMITTEE = "committee", "Committee of the ICB"
    INDIVIDUAL_EXECUTIVES = "individual_executives", "Individual executives"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    LEAD_PROVIDER = "lead_provider", "Lead provider"


class ChairType(models.TextChoices):
    INDEPENDENT = "independent", "Independent chair"
    ELECTED_MEMBER = "elected_member", "Elected member"
    NHS_NON_EXECUTIVE = "nhs_non_executive", "NHS non-executive"
    NHS_EXECUTIVE = "nhs_executive", "NHS executive"
    CLINICAL = "clinical", "Clinical or care professional lead"
    CO_CHAIRS = "co_chairs", "Co-chairs"
    OTHER = "other", "Other"


# Governance forms describe how a partnership decides; they mean nothing for a PCN,
# a council's HWBB or a workstream.
KINDS_WITH_FORM = frozenset(
    {BodyKind.LOCAL_SYSTEM, BodyKind.PLACE_PARTNERSHIP, BodyKind.PROVIDER_COLLABORATIVE}
)

# Which kinds of body may sit directly under which. Absent means "no parent allowed";
# a committee or subgroup may sit under any body.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    BodyKind.ICB_BOARD: frozenset(),
    BodyKind.ICP: frozenset(),
    BodyKind.HWBB: frozenset(),
    BodyKind.LOCAL_SYSTEM: frozenset({BodyKind.ICB_BOARD}),
    BodyKind.PLACE_PARTNERSHIP: frozenset({BodyKind.ICB_BOARD, BodyKind.LOCAL_SYSTEM}),
    BodyKind.PROVIDER_COLLABORATIVE: frozenset({BodyKind.ICB_BOARD}),
    BodyKind.PCN: frozenset({BodyKind.PLACE_PARTNERSHIP}),
    BodyKind.COMMITTEE: frozenset(BodyKind.values),
}


class Body(models.Model):
    """A governance body inside one system: a board, partnership, collaborative or subgroup."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="bodies"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=32, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    accountable_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountable_bodies",
        help_text="e.g. a place partnership is accountable to its borough's HWBB.",
    )
    current_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    target_form = models.CharField(max_length=32, choices=GovernanceForm.choices, blank=True)
    chair_name = models.CharField(max_length=200, blank=True)
    chair_type = models.CharField(max_length=32, choices=ChairType.choices, blank=True)
    terms_of_reference = models.TextField("terms of reference summary", blank=True)
    is_published = models.BooleanField(
        default=True,
        help_text=(
            "Published bodies are visible to everyone with a role in the system; an "
            "unpublished one only to its own members and the governance lead."
        ),
    )

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["system", "slug"], name="body_slug_unique_in_system"),
            models.UniqueConstraint(fields=["system", "name"], name="body_name_unique_in_system"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="body_not_own_parent"
            ),
        ]
        permissions = [
            ("act_as_programme_office", "Work as the body's programme office"),
            ("act_as_board_member", "Review as a member of the body's board"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_form(self) -> bool:
        return self.kind in KINDS_WITH_FORM

    def ancestors(self) -> list["Body"]:
        """Parents from the nearest up; stops at a repeat so a corrupt tree cannot loop."""
        chain: list[Body] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        if not self.has_form:
            for field in ("current_form", "target_form"):
                if getattr(self, field):
                    errors.setdefault(field, []).append(
                        f"A {self.get_kind_display().lower()} has no governance form; "
                        "forms apply to local systems, place-based partnerships and "
                        "provider collaboratives."
                    )

        if self.parent_id is not None and self.system_id is not None:
            parent = self.parent
            if parent.system_id != self.system_id:
                errors.setdefault("parent", []).append(
                    f"{parent} belongs to {parent.system}; a body's parent must be in "
                    "the same system."
                )
            elif self.pk is not None and parent.pk == self.pk:
                errors.setdefault("parent", []).append("A body cannot be its own parent.")
            elif self.pk is not None and self.pk in {b.pk for b in parent.ancestors()}:
                errors.setdefault("parent", []).append(
                    f"{parent} already sits under {self}; making it the parent would create a loop."
                )
            allowed = ALLOWED_PARENT_KINDS.get(self.kind, frozenset())
            if self.kind and parent.kind not in allowed:
                if allowed:
                    names = (
                        ", ".join(sorted(BodyKind(k).label.lower() for k in allowed))
                        if self.kind != BodyKind.COMMITTEE
                        else "any body"
                    )
                    message = (
                        f"A {self.get_kind_display().lower()} can sit under {names}, "
                        f"not under a {parent.get_kind_display().lower()}."
                    )
                else:
                    message = (
                        f"A {self.get_kind_display().lower()} sits at the top of the "
                        "system and has no parent body."
                    )
                errors.setdefault("parent", []).append(message)

        if self.accountable_to_id is not None and self.system_id is not None:
            target = self.accountable_to
            if target.system_id != self.system_id:
                errors.setdefault("accountable_to", []).append(
                    f"{target} belongs to {target.system}; accountability stays within the system."
                )
            elif self.pk is not None and target.pk == self.pk:
                errors.setdefault("accountable_to", []).append(
                    "A body cannot be accountable to itself."
                )

        if errors:
            raise ValidationError(errors)
