from django.db import models


class DataRevision(models.Model):
    """One row: a number moved on by every committed write (``ics_portal.revision``).

    Cached pages are keyed on it, so a page cached before a write is never served after
    it. Plumbing, not a record anyone edits: no version, no history.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data revision"

    def __str__(self) -> str:
        return str(self.number)
