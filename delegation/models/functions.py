from django.core.validators import RegexValidator
from django.db import models

from governance.models import IntegratedCareSystem
from ics_portal.history.records import tracked

function_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{0,5}-[0-9]{1,3}[A-Z]?$",
    "A function code is a short prefix, a hyphen and a number, e.g. F-03 or KF-10.",
)


class Function(models.Model):
    """One entry of a system's function catalogue: something a decision can be about."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="functions"
    )
    code = models.CharField(max_length=12, validators=[function_code_validator])
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    statutory_basis = models.CharField(
        max_length=200, blank=True, help_text="e.g. NHS Act 2006 s.65Z5 (joint working)."
    )
    display_order = models.PositiveIntegerField(default=0)

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "display_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="function_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
