from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ics_portal.history.records import tracked

from .bodies import Body
from .systems import IntegratedCareSystem


class Role(models.TextChoices):
    GOVERNANCE_LEAD = "governance_lead", "Governance lead"
    PROGRAMME_OFFICE = "programme_office", "Programme office"
    BOARD_MEMBER = "board_member", "Board member"
    VIEWER = "viewer", "Viewer"


# Roles held for one body; the others are held for a whole system.
BODY_ROLES = frozenset({Role.PROGRAMME_OFFICE, Role.BOARD_MEMBER})


class RoleAssignment(models.Model):
    """A user's role in a system or one of its bodies.

    Rows are never deleted: revoking stamps ``revoked_at`` so the record of who could
    do what, and when, survives. The object permissions guardian checks are derived
    from the active rows by ``governance.services.role_grant`` / ``role_revoke``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.CASCADE, related_name="role_assignments"
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "body", "role", "user"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(BODY_ROLES), body__isnull=False)
                    | (~models.Q(role__in=sorted(BODY_ROLES)) & models.Q(body__isnull=True))
                ),
                name="role_body_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "body"],
                condition=models.Q(revoked_at__isnull=True, body__isnull=False),
                name="role_active_unique_per_body",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "system"],
                condition=models.Q(revoked_at__isnull=True, body__isnull=True),
                name="role_active_unique_per_system",
            ),
        ]

    def __str__(self) -> str:
        where = self.body or self.system
        return f"{self.user} — {self.get_role_display()}, {where}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope(self) -> Body | IntegratedCareSystem:
        return self.body if self.body_id else self.system

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role in BODY_ROLES and self.body_id is None:
            errors["body"] = f"A {self.get_role_display().lower()} role is held for a body."
        if self.role and self.role not in BODY_ROLES and self.body_id is not None:
            errors["body"] = (
                f"A {self.get_role_display().lower()} role is held for the whole system, "
                "not for one body."
            )
        if (
            self.body_id is not None
            and self.system_id is not None
            and self.body.system_id != self.system_id
        ):
            errors["body"] = f"{self.body} is not part of {self.system}."
        if errors:
            raise ValidationError(errors)
