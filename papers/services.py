"""Every write to papers, their parts, glossaries and public pages.

Services validate and save atomically, and log every change in ``PaperEvent``. Each
editable record carries a version: a write based on an older one raises ``Stale``
(nothing saved) with the changes the writer had not seen. Services do not decide who
may call them: views, the API and tasks ask ``papers.permissions`` first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max

from governance.concurrency import StaleWrite, user_name
from governance.models import Body, IntegratedCareSystem
from ics_portal.history.records import bulk_create_with_history, record_changes

from .blueprints import BLUEPRINTS
from .glossary import DEFAULT_TERMS
from .models import (
    IMPLICATIONS,
    KIND_PARAMS,
    GlossaryTerm,
    Paper,
    PaperBuild,
    PaperEvent,
    PaperState,
    PreviouslyConsidered,
    PublicPage,
    Recommendation,
    Section,
    StrategicPriority,
)

if TYPE_CHECKING:
    from milestones.models import Programme


PAPER_FIELDS = frozenset(
    {
        "title",
        "meeting_body",
        "meeting_date",
        "report_of",
        "officers",
        "classification",
        "purpose",
        "summary",
        "priorities",
        *(name for name, _label in IMPLICATIONS),
    }
)
SECTION_FIELDS = frozenset(
    {"heading", "text", "is_appendix", "order", *{p for ps in KIND_PARAMS.values() for p in ps}}
)
RECOMMENDATION_FIELDS = frozenset({"action", "text"})

# The state a paper may move to from each state.
TRANSITIONS: dict[str, frozenset[str]] = {
    PaperState.DRAFT: frozenset({PaperState.READY, PaperState.WITHDRAWN}),
    PaperState.READY: frozenset({PaperState.DRAFT, PaperState.PUBLISHED, PaperState.WITHDRAWN}),
    PaperState.PUBLISHED: frozenset({PaperState.WITHDRAWN}),
    PaperState.WITHDRAWN: frozenset(),
}


class Stale(StaleWrite):
    """The record changed after the caller loaded it; nothing was saved.

    The shared ``StaleWrite`` (so pages handle it like any other), told from the
    paper's own events: ``changes`` are those the caller had not seen (newest first),
    so the page can say what changed and by whom, and keep what they typed.
    """

    def __init__(self, obj: models.Model, part: str, paper: Paper, based_on: int) -> None:
        self.obj = obj
        self.based_on = based_on
        events = list(paper.events.filter(part=part, version__gt=based_on).select_related("by"))
        self.changes = events  # type: ignore[assignment]  # events stand in for RecordChange rows
        # The paper's parts (a section, a recommendation) are not named: "It was changed".
        self.told(who=(user_name(e.by) for e in events), what=(e.what for e in reversed(events)))


def _log(paper: Paper, by: Any, what: str, part: str = "paper", version: int | None = None) -> None:
    PaperEvent.objects.create(paper=paper, by=by, what=what[:300], part=part, version=version)


M = TypeVar("M", bound=models.Model)


def _claim(obj: M, version: int | None, *, part: str, paper: Paper) -> M:
    """Take the row for this write, refusing it if it changed since ``version``: one
    conditional UPDATE checks and bumps, so two writers cannot both succeed."""
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if version is None:
        rows.update(version=F("version") + 1)
    elif not rows.filter(version=version).update(version=F("version") + 1):
        raise Stale(type(obj)._default_manager.get(pk=obj.pk), part, paper, version)
    return type(obj)._default_manager.get(pk=obj.pk)


def _require_draft(paper: Paper) -> None:
    if paper.state != PaperState.DRAFT:
        raise ValidationError(
            f"The paper is {paper.get_state_display().lower()}; only a draft can be edited. "
            "Return it to draft first."
        )


def _set(instance: models.Model, allowed: frozenset[str], changes: dict[str, Any]) -> list[str]:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- papers ------------------------------------------------------------------------


def _default_programme(body: Body) -> Programme | None:
    from milestones.models import Programme

    return Programme.objects.filter(body=body).order_by("pk").first()


@transaction.atomic
def paper_create(
    *,
    author_body: Body,
    meeting_body: Body,
    meeting_date: dt.date,
    title: str,
    template: str,
    by: Any,
    **fields: Any,
) -> Paper:
    """A new draft from a template, its recommendations and sections in place."""
    blueprint = BLUEPRINTS.get(template)
    if blueprint is None:
        raise ValidationError({"template": "Choose one of the paper templates."})
    priorities = fields.pop("priorities", None)
    unknown = set(fields) - PAPER_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be set here: {', '.join(sorted(unknown))}.")
    fields.setdefault("purpose", blueprint.purpose)
    paper = Paper(
        system=author_body.system,
        author_body=author_body,
        meeting_body=meeting_body,
        meeting_date=meeting_date,
        title=title,
        template=template,
        created_by=by,
        **fields,
    )
    paper.full_clean()
    paper.save()
    if priorities is not None:
        paper.priorities.set(priorities)
    for number, (action, text) in enumerate(blueprint.recommendations, start=1):
        Recommendation.objects.create(paper=paper, number=number, action=action, text=text)
    programme = _default_programme(author_body)
    for order, plan in enumerate(blueprint.sections, start=1):
        params = KIND_PARAMS[plan.kind]
        Section.objects.create(
            paper=paper,
            order=order,
            kind=plan.kind,
            heading=plan.heading,
            text=plan.text,
            is_appendix=plan.is_appendix,
            body=author_body if "body" in params else None,
            programme=programme if "programme" in params else None,
            since=meeting_date - dt.timedelta(days=90) if "since" in params else None,
        )
    _log(paper, by, f"Created from the “{paper.get_template_display()}” template", version=1)
    return paper


@transaction.atomic
def paper_update(*, paper: Paper, by: Any, version: int | None, **changes: Any) -> Paper:
    _require_draft(paper)
    priorities = changes.pop("priorities", None)
    paper = _claim(paper, version, part="paper", paper=paper)
    changed = _set(paper, PAPER_FIELDS - {"priorities"}, changes)
    paper.full_clean()
    paper.save()
    if priorities is not None and set(paper.priorities.all()) != set(priorities):
        paper.priorities.set(priorities)
        changed.append("priorities")
    names = dict(IMPLICATIONS)
    labels = [
        (
            names.get(n)
            or str(cast("models.Field[Any, Any]", Paper._meta.get_field(n)).verbose_name)
        ).lower()
        for n in changed
    ]
    _log(paper, by, f"Changed {', '.join(labels) or 'nothing'}", version=paper.version)
    return paper


@transaction.atomic
def paper_set_state(*, paper: Paper, to: str, by: Any) -> Paper:
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if to not in TRANSITIONS.get(paper.state, frozenset()):
        target = PaperState(to).label.lower() if to in PaperState.values else repr(to)
        raise ValidationError(
            f"A {paper.get_state_display().lower()} paper cannot become {target}."
        )
    if to == PaperState.PUBLISHED and not paper.versions.exists():
        raise ValidationError("Build the paper before publishing it: there is no PDF yet.")
    before = paper.get_state_display()
    paper.state = to
    paper.version += 1
    paper.save(update_fields=["state", "version", "updated_at"])
    _log(paper, by, f"State {before} → {paper.get_state_display()}", version=paper.version)
    return paper


# --- parts -------------------------------------------------------------------------


@transaction.atomic
def section_add(*, paper: Paper, by: Any, kind: str, heading: str, **fields: Any) -> Section:
    _require_draft(paper)
    last = paper.sections.aggregate(m=Max("order"))["m"] or 0
    order = fields.pop("order", None) or last + 1
    # Inserted at a place: the sections from there on move down one.
    moved = list(paper.sections.filter(order__gte=order).values_list("pk", flat=True))
    Section.objects.filter(pk__in=moved).update(order=F("order") + 1)
    record_changes(Section, moved)
    section = Section(paper=paper, kind=kind, heading=heading, order=order)
    _set(section, SECTION_FIELDS, fields)
    section.full_clean()
    section.save()
    _log(paper, by, f"Added section “{heading}”", part=f"section:{section.pk}", version=1)
    return section


@transaction.atomic
def section_update(*, section: Section, by: Any, version: int | None, **changes: Any) -> Section:
    paper = section.paper
    _require_draft(paper)
    part = f"section:{section.pk}"
    section = _claim(section, version, part=part, paper=paper)
    allowed = frozenset({"heading", "text", "is_appendix", "order", *KIND_PARAMS[section.kind]})
    changed = _set(section, allowed, changes)
    section.full_clean()
    section.save()
    what = f"Changed {', '.join(changed) or 'nothing'} of “{section.heading}”"
    _log(paper, by, what, part=part, version=section.version)
    return section


@transaction.atomic
def section_delete(*, section: Section, by: Any) -> None:
    _require_draft(section.paper)
    _log(section.paper, by, f"Removed section “{section.heading}”", part=f"section:{section.pk}")
    section.delete()


@transaction.atomic
def recommendation_add(*, paper: Paper, by: Any, action: str, text: str) -> Recommendation:
    _require_draft(paper)
    Paper.objects.select_for_update().filter(pk=paper.pk).first()
    number = (paper.recommendations.aggregate(m=Max("number"))["m"] or 0) + 1
    rec = Recommendation(paper=paper, number=number, action=action, text=text)
    rec.full_clean()
    rec.save()
    _log(paper, by, f"Added recommendation {number}", part=f"recommendation:{rec.pk}", version=1)
    return rec


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, by: Any, version: int | None, **changes: Any
) -> Recommendation:
    paper = recommendation.paper
    _require_draft(paper)
    part = f"recommendation:{recommendation.pk}"
    rec = _claim(recommendation, version, part=part, paper=paper)
    changed = _set(rec, RECOMMENDATION_FIELDS, changes)
    rec.full_clean()
    rec.save()
    what = f"Changed {', '.join(changed) or 'nothing'} of recommendation {rec.number}"
    _log(paper, by, what, part=part, version=rec.version)
    return rec


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by: Any) -> None:
    paper = recommendation.paper
    _require_draft(paper)
    number = recommendation.number
    recommendation.delete()
    # Renumber so the printed list has no gap.
    renumbered = []
    for n, rec in enumerate(paper.recommendations.order_by("number"), start=1):
        if rec.number != n:
            Recommendation.objects.filter(pk=rec.pk).update(number=n)
            renumbered.append(rec.pk)
    record_changes(Recommendation, renumbered)
    _log(paper, by, f"Removed recommendation {number}")


@transaction.atomic
def considered_add(*, paper: Paper, by: Any, meeting: str, date: dt.date | None) -> None:
    _require_draft(paper)
    row = PreviouslyConsidered(paper=paper, meeting=meeting, date=date)
    row.full_clean()
    row.save()
    _log(paper, by, f"Added previously considered: {row}")


@transaction.atomic
def considered_delete(*, row: PreviouslyConsidered, by: Any) -> None:
    _require_draft(row.paper)
    _log(row.paper, by, f"Removed previously considered: {row}")
    row.delete()


# --- builds ------------------------------------------------------------------------


def build_request(*, paper: Paper, by: Any) -> PaperBuild:
    """Queue a build and return at once; the worker writes the version (``building``)."""
    from . import tasks

    with transaction.atomic():
        build = PaperBuild.objects.create(paper=paper, key=uuid.uuid4().hex, requested_by=by)
        _log(paper, by, "Asked for a PDF build")
        transaction.on_commit(lambda: tasks.enqueue(build.pk))
    return build


def build_retry(*, build: PaperBuild, by: Any) -> PaperBuild:
    """Run a failed (or vanished) build again under the same key: never two versions."""
    from . import tasks
    from .models import BuildStage, BuildState

    if build.result_id is not None:
        raise ValidationError("This build finished; build the paper again for a new version.")
    if build.working and not build.vanished():
        raise ValidationError("This build is still running.")
    with transaction.atomic():
        PaperBuild.objects.filter(pk=build.pk).update(
            state=BuildState.QUEUED, stage=BuildStage.WAITING, message="", heartbeat_at=None
        )
        _log(build.paper, by, "Retried a failed build")
        transaction.on_commit(lambda: tasks.enqueue(build.pk))
    build.refresh_from_db()
    return build


# --- glossary, priorities, public page ---------------------------------------------


def glossary_seed(*, system: IntegratedCareSystem) -> int:
    """Add the domain glossary's terms the system does not have yet."""
    have = set(system.glossary_terms.values_list("acronym", flat=True))
    new = [
        GlossaryTerm(system=system, acronym=a, meaning=m) for a, m in DEFAULT_TERMS if a not in have
    ]
    bulk_create_with_history(new, GlossaryTerm)
    return len(new)


@transaction.atomic
def glossary_term_set(
    *, system: IntegratedCareSystem, acronym: str, meaning: str, by: Any
) -> GlossaryTerm:
    acronym, meaning = acronym.strip(), meaning.strip()
    term = GlossaryTerm.objects.filter(system=system, acronym=acronym).first() or GlossaryTerm(
        system=system, acronym=acronym
    )
    term.meaning = meaning
    term.full_clean()
    term.save()
    return term


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, by: Any) -> None:
    term.delete()


def priority_add(*, system: IntegratedCareSystem, name: str, by: Any) -> StrategicPriority:
    last = system.strategic_priorities.aggregate(m=Max("order"))["m"] or 0
    priority = StrategicPriority(system=system, name=name, order=last + 1)
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def public_page_set(*, system: IntegratedCareSystem, enabled: bool, by: Any) -> PublicPage:
    page, _created = PublicPage.objects.select_for_update().get_or_create(system=system)
    page.enabled = enabled
    page.changed_by = by
    page.save()
    return page
