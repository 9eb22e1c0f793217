from django.core.exceptions import ValidationError
from django.db import models

from ics_portal.history.records import tracked

from .bodies import Body
from .organisations import Organisation


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    CO_CHAIR = "co_chair", "Co-chair"
    ATTENDEE = "attendee", "Attendee"
    OBSERVER = "observer", "Observer"


class Membership(models.Model):
    """An organisation's seat on a body, for a period."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default="member")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    history = tracked(system="body__system")

    class Meta:
        ordering = ["body", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organisation", "role", "start_date"],
                name="membership_unique_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()} of {self.body}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The membership cannot end before it starts."
        if (
            self.body_id is not None
            and self.organisation_id is not None
            and self.body.system_id != self.organisation.system_id
        ):
            errors["organisation"] = (
                f"{self.organisation} is a partner in {self.organisation.system}, "
                f"not in {self.body.system}."
            )
        if errors:
            raise ValidationError(errors)
