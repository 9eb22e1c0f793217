"""A board paper: the cover sheet, recommendations, sections (narrative and data) and
where it was considered before. Every editable record carries a version (optimistic
concurrency, as milestones do) and every write is logged in ``PaperEvent``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from governance.models import Body, IntegratedCareSystem
from ics_portal.history.records import tracked

from .choices import (
    DATA_KINDS,
    IMPLICATIONS,
    Classification,
    PaperState,
    RecommendationAction,
    SectionKind,
    Template,
)
from .reference import StrategicPriority


class Paper(models.Model):
    system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="papers"
    )
    author_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="papers_written",
        verbose_name="written by",
        help_text="The body whose programme office writes the paper, e.g. Tower Hamlets Together.",
    )
    meeting_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="papers_received",
        verbose_name="meeting of",
        help_text="The board the paper goes to, e.g. Tower Hamlets HWBB.",
    )
    meeting_date = models.DateField()
    title = models.CharField(max_length=200)
    template = models.CharField(max_length=32, choices=Template.choices)
    report_of = models.CharField(
        max_length=300, blank=True, help_text="Who presents it, e.g. a director and their title."
    )
    # [{"name": …, "title": …, "email": …}, …]: several officers, in order.
    officers = models.JSONField("originating officers", default=list, blank=True)
    classification = models.CharField(
        max_length=16, choices=Classification.choices, default=Classification.UNRESTRICTED
    )
    state = models.CharField(max_length=16, choices=PaperState.choices, default=PaperState.DRAFT)
    purpose = models.TextField(blank=True)
    summary = models.TextField("executive summary", blank=True)
    priorities = models.ManyToManyField(
        StrategicPriority, blank=True, related_name="papers", verbose_name="strategic priorities"
    )
    implication_equality = models.TextField(blank=True)
    implication_risk = models.TextField(blank=True)
    implication_people = models.TextField(blank=True)
    implication_financial = models.TextField(blank=True)
    implication_quality = models.TextField(blank=True)
    implication_legal = models.TextField(blank=True)
    implication_data_protection = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # PaperEvent is the short log the 409 page reads; the history keeps every field's
    # before and after, with the door (page, API, admin) and the person.
    history = tracked(system="system", m2m_fields=["priorities"])

    class Meta:
        ordering = ["-meeting_date", "title", "pk"]
        indexes = [models.Index(fields=["system", "state"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_body}, {self.meeting_date:%-d %b %Y})"

    @property
    def implications(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in IMPLICATIONS]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("author_body", "meeting_body"):
            body = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if body is not None and self.system_id and body.system_id != self.system_id:
                errors[name] = f"{body} is not a body of {self.system}."
        if errors:
            raise ValidationError(errors)


class Recommendation(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=16, choices=RecommendationAction.choices)
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)

    history = tracked(system="paper__system")

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "number"], name="recommendation_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_action_display()} {self.text[:60]}"


class PreviouslyConsidered(models.Model):
    """Where the paper was considered before: the seeds' "Committees/meetings" table."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="considered")
    meeting = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)

    history = tracked(system="paper__system")

    class Meta:
        ordering = ["paper", "date", "pk"]
        verbose_name_plural = "previously considered"

    def __str__(self) -> str:
        return f"{self.meeting} {self.date or ''}".strip()


class Section(models.Model):
    """A numbered section of the body of the paper, or an appendix.

    A narrative section is text the officer writes; a data section renders live data
    at the moment the paper is built (``papers.gather``), with its own parameters.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=SectionKind.choices)
    heading = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    is_appendix = models.BooleanField(default=False)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey(
        "milestones.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateField(null=True, blank=True)
    from_version = models.ForeignKey(
        "delegation.MapVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_version = models.ForeignKey(
        "delegation.MapVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = tracked(system="paper__system")

    class Meta:
        ordering = ["paper", "is_appendix", "order", "pk"]

    def __str__(self) -> str:
        return self.heading

    @property
    def is_data(self) -> bool:
        return self.kind in DATA_KINDS

    def clean(self) -> None:
        system_id = self.paper.system_id if self.paper_id else None
        errors: dict[str, str] = {}
        if system_id is None:
            return
        if self.body_id and self.body.system_id != system_id:
            errors["body"] = "Choose a body of the paper's system."
        if self.programme_id and self.programme.owning_system_id != system_id:
            errors["programme"] = "Choose a programme of the paper's system."
        for name in ("from_version", "to_version"):
            version = getattr(self, name) if getattr(self, f"{name}_id") else None
            if version is not None and version.system_id != system_id:
                errors[name] = "Choose a map version of the paper's system."
        if errors:
            raise ValidationError(errors)


class PaperEvent(models.Model):
    """One recorded change to a paper or its parts. Written by the services only."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=300)
    # The part changed ("paper", "section:12", "recommendation:3") and the version the
    # change produced: a stale write shows exactly the events above the writer's version.
    part = models.CharField(max_length=40, default="paper")
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["paper", "part", "version"])]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.what}"
