"""Per-system reference data for papers: glossary, strategic priorities, public page."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from governance.models import IntegratedCareSystem
from ics_portal.history.records import tracked


class GlossaryTerm(models.Model):
    """An acronym and its meaning; a built paper ends with the ones it uses."""

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    acronym = models.CharField(max_length=20)
    meaning = models.CharField(max_length=300)

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "acronym"]
        constraints = [
            models.UniqueConstraint(fields=["system", "acronym"], name="glossary_acronym_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.acronym}: {self.meaning}"


class StrategicPriority(models.Model):
    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.CASCADE, related_name="strategic_priorities"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    history = tracked(system="system")

    class Meta:
        ordering = ["system", "order", "name"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="priority_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PublicPage(models.Model):
    """Whether a system's public page (no sign-in) is switched on. Off unless a row says so."""

    system = models.OneToOneField(
        IntegratedCareSystem, on_delete=models.CASCADE, related_name="public_page"
    )
    enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    history = tracked(system="system")

    def __str__(self) -> str:
        return f"{self.system}: public page {'on' if self.enabled else 'off'}"
