"""Reads of papers, always scoped to what the user may see (404 for the rest)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from delegation.models import MapVersion
from governance.models import Body, IntegratedCareSystem
from ics_portal.types import RequestUser
from milestones.models import Programme

from . import permissions
from .models import (
    GlossaryTerm,
    Paper,
    PaperBuild,
    PaperState,
    PaperVersion,
    PublicPage,
    Recommendation,
    Section,
)


def papers_for(user: RequestUser) -> QuerySet[Paper]:
    return permissions.visible_papers(user).select_related("system", "author_body", "meeting_body")


def paper_get(user: RequestUser, pk: Any) -> Paper:
    try:
        return papers_for(user).get(pk=int(pk))
    except (Paper.DoesNotExist, ValueError, TypeError):
        raise Http404("No such paper.") from None


def section_get(paper: Paper, pk: Any) -> Section:
    try:
        return paper.sections.select_related("paper").get(pk=int(pk))
    except (Section.DoesNotExist, ValueError, TypeError):
        raise Http404("No such section.") from None


def recommendation_get(paper: Paper, pk: Any) -> Recommendation:
    try:
        return paper.recommendations.select_related("paper").get(pk=int(pk))
    except (Recommendation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such recommendation.") from None


def version_get(paper: Paper, number: Any) -> PaperVersion:
    try:
        return paper.versions.select_related("paper__meeting_body").get(number=int(number))
    except (PaperVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such version.") from None


def build_get(paper: Paper, pk: Any) -> PaperBuild:
    try:
        return paper.builds.select_related("result").get(pk=int(pk))
    except (PaperBuild.DoesNotExist, ValueError, TypeError):
        raise Http404("No such build.") from None


def builds_for(user: RequestUser) -> QuerySet[PaperBuild]:
    return PaperBuild.objects.filter(paper__in=papers_for(user).values("pk")).select_related(
        "paper", "result"
    )


def latest_build(paper: Paper) -> PaperBuild | None:
    return paper.builds.select_related("result").order_by("-requested_at", "-pk").first()


def versions_of(paper: Paper) -> QuerySet[PaperVersion]:
    return paper.versions.select_related("built_by").order_by("-number")


def glossary_of(system: IntegratedCareSystem) -> QuerySet[GlossaryTerm]:
    return system.glossary_terms.order_by("acronym")


# --- choices for forms, scoped to the paper's system --------------------------------


def bodies_of(system: IntegratedCareSystem) -> QuerySet[Body]:
    return Body.objects.filter(system=system).order_by("name")


def programmes_of(system: IntegratedCareSystem) -> QuerySet[Programme]:
    return Programme.objects.filter(system=system) | Programme.objects.filter(body__system=system)


def map_versions_of(system: IntegratedCareSystem) -> QuerySet[MapVersion]:
    return MapVersion.objects.filter(system=system).order_by("-published_at")


# --- the public page (no user) -------------------------------------------------------


def public_system(slug: str) -> IntegratedCareSystem:
    """A system whose public page is switched on; 404 otherwise, exactly as for none."""
    page = PublicPage.objects.filter(system__slug=slug, enabled=True).select_related("system")
    found = page.first()
    if found is None:
        raise Http404("No such public page.")
    return found.system


def public_page_enabled(system: IntegratedCareSystem) -> bool:
    return PublicPage.objects.filter(system=system, enabled=True).exists()


def published_papers(system: IntegratedCareSystem) -> list[tuple[Paper, PaperVersion | None]]:
    papers = (
        Paper.objects.filter(system=system, state=PaperState.PUBLISHED)
        .select_related("meeting_body", "author_body")
        .prefetch_related("versions")
        .order_by("-meeting_date", "title")
    )
    return [(p, max(p.versions.all(), key=lambda v: v.number, default=None)) for p in papers]


def public_version(system: IntegratedCareSystem, pk: Any, number: Any) -> PaperVersion:
    try:
        paper = Paper.objects.get(system=system, state=PaperState.PUBLISHED, pk=int(pk))
        return paper.versions.select_related("paper__meeting_body").get(number=int(number))
    except (Paper.DoesNotExist, PaperVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such published paper.") from None


def public_map_version(system: IntegratedCareSystem, pk: Any) -> MapVersion:
    try:
        return MapVersion.objects.get(system=system, pk=int(pk))
    except (MapVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such map version.") from None
