from django.core.validators import RegexValidator
from django.db import models

from ics_portal.history.records import tracked

from .systems import IntegratedCareSystem


class OrganisationKind(models.TextChoices):
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    GP_FEDERATION = "gp_federation", "GP federation"
    VCSE = "vcse", "Voluntary, community and social enterprise organisation"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other"


ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "An ODS code is 3 to 6 capital letters or digits, e.g. R1H for Barts Health.",
)


class Organisation(models.Model):
    """A partner organisation as it takes part in one system's governance."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    ods_code = models.CharField(
        "ODS code", max_length=6, blank=True, validators=[ods_code_validator]
    )

    history = tracked(system="system")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "name"], name="organisation_name_unique_in_system"
            ),
        ]

    def __str__(self) -> str:
        return self.name
