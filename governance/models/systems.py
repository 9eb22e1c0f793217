from django.db import models
from django.utils import timezone

from ics_portal.history.records import tracked
from ics_portal.validators import validate_no_bidi_controls

from .changes import Versioned


class IntegratedCareSystem(Versioned):
    """An ICS: the unit of isolation. Nobody sees anything of a system they hold no role in."""

    name = models.CharField(max_length=200, unique=True, validators=[validate_no_bidi_controls])
    short_name = models.CharField(
        max_length=20, unique=True, help_text="How the papers abbreviate it, e.g. NEL."
    )
    slug = models.SlugField(max_length=40, unique=True)
    # When anything shown on the system's decision map last changed: the map's revision
    # in cache keys and ETags, and its Last-Modified. Set by ``delegation.revisions``.
    map_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    # map_changed_at is the matrix cache's revision stamp, bumped by every map write: it
    # is plumbing, not something a person changed about the system.
    history = tracked(system="id", excluded_fields=["map_changed_at"])

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
