from django.db import models

from ics_portal.history.records import tracked


class IntegratedCareSystem(models.Model):
    """An ICS: the unit of isolation. Nobody sees anything of a system they hold no role in."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=20, unique=True, help_text="How the papers abbreviate it, e.g. NEL."
    )
    slug = models.SlugField(max_length=40, unique=True)

    history = tracked(system="id")

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"
        # Short codenames the policy and role services use; Django's defaults would be
        # the unwieldy view_integratedcaresystem / change_integratedcaresystem.
        permissions = [
            ("lead_system", "Govern the system (ICB governance lead)"),
            ("view_system", "See the system and its published bodies"),
            ("change_system", "Change the system's landscape"),
        ]

    def __str__(self) -> str:
        return self.name
