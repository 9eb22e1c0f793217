from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet

from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem
from ics_portal.history.records import tracked

# Who may approve a scheme of reservation and delegation: the ICB board, a committee
# of the ICB board, or a joint committee — never a PCN, a place board acting alone or
# a Health and Wellbeing Board, which hold no delegated authority over the ICB's map.
APPROVING_BODIES = (
    Q(kind=BodyKind.ICB_BOARD)
    | Q(kind=BodyKind.COMMITTEE, parent__kind=BodyKind.ICB_BOARD)
    | Q(current_form=GovernanceForm.JOINT_COMMITTEE)
)


def approving_bodies(system: IntegratedCareSystem) -> QuerySet[Body]:
    return Body.objects.filter(APPROVING_BODIES, system=system).order_by("name")


class MapVersion(models.Model):
    """The map as published on a date: a frozen copy of the entries in force then.

    ``rows`` holds the entries and their conditions as they were at publication, so a
    later change to the live map never alters what a version says.
    """

    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="map_versions"
    )
    label = models.CharField(max_length=20, help_text='e.g. "v1.0".')
    approved_by = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    meeting_date = models.DateField()
    minute_reference = models.CharField(max_length=60, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    rows = models.JSONField(default=list, editable=False)

    history = tracked(system="system", excluded_fields=["rows"])

    class Meta:
        ordering = ["system", "-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["system", "label"], name="map_version_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.system.short_name} map {self.label}"

    def clean(self) -> None:
        if (
            self.approved_by_id is not None
            and self.system_id is not None
            and self.approved_by.system_id != self.system_id
        ):
            raise ValidationError(
                {"approved_by": f"{self.approved_by} is not a body of {self.system}."}
            )
        if (
            self.approved_by_id is not None
            and not Body.objects.filter(APPROVING_BODIES, pk=self.approved_by_id).exists()
        ):
            raise ValidationError(
                {
                    "approved_by": f"{self.approved_by} cannot approve the map: choose the ICB "
                    "board, one of its committees or a joint committee."
                }
            )
