"""/api/v1/papers/ (with sections, recommendations and versions) and
/api/v1/paper-builds/: lists hold exactly what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from ics_portal.api import CachedListMixin

from . import permissions, selectors, services
from .filters import PaperFilter
from .models import PaperVersion
from .permissions import Action
from .serializers import PaperBuildSerializer, PaperSerializer


class PaperViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaperSerializer
    filterset_class = PaperFilter

    def get_queryset(self):
        return (
            selectors.papers_for(self.request.user)
            .prefetch_related(
                "recommendations",
                "sections",
                "priorities",
                Prefetch("versions", queryset=PaperVersion.objects.select_related("built_by")),
            )
            .order_by("-meeting_date", "title", "pk")
        )

    @extend_schema(
        request=None,
        responses={202: PaperBuildSerializer},
        description=(
            "Queue a build of the paper's PDF and return the job at once; read its state at "
            "/api/v1/paper-builds/{id}/. The finished job names the version it made."
        ),
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def build(self, request: Request, pk: Any = None) -> Response:
        paper = selectors.paper_get(request.user, pk)
        if not permissions.can(request.user, Action.BUILD, paper):
            raise exceptions.PermissionDenied("You may not build this paper.")
        job = services.build_request(paper=paper, by=request.user)
        job.refresh_from_db()
        return Response(
            PaperBuildSerializer(job, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class PaperBuildViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaperBuildSerializer

    def get_queryset(self):
        return selectors.builds_for(self.request.user).order_by("-requested_at", "-pk")


def register(router: BaseRouter) -> None:
    router.register("papers", PaperViewSet, basename="paper")
    router.register("paper-builds", PaperBuildViewSet, basename="paper-job")
