"""/api/v1/programmes/ and /api/v1/milestones/: lists hold exactly what the caller may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from governance.concurrency_api import (
    IF_MATCH,
    Conflict,
    conflict_response,
    etag,
    expected_version,
)
from ics_portal.api import CachedListMixin
from ics_portal.history.api import HistoryMixin

from . import permissions, selectors, services
from .filters import MilestoneFilter, ProgrammeFilter
from .models import UpdateSource
from .permissions import Action
from .serializers import (
    BulkUpdateSerializer,
    MilestonePatchSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
    ProgrammeSerializer,
)


class ProgrammeViewSet(CachedListMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = self.get_object()
        response = Response(self.get_serializer(programme).data)
        response["ETag"] = etag(programme.version)
        return response

    def get_queryset(self):
        return selectors.programmes_for(self.request.user)


class MilestoneViewSet(
    CachedListMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return selectors.milestone_rows_for(self.request.user).order_by("due_date", "title", "pk")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = self.get_object()
        response = Response(self.get_serializer(milestone).data)
        response["ETag"] = etag(milestone.version)
        return response

    @extend_schema(
        request=MilestonePatchSerializer,
        parameters=[IF_MATCH],
        responses={200: MilestoneSerializer, 409: conflict_response()},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = selectors.milestone_get(request.user, kwargs["pk"])
        user = request.user
        # Authorise before reading the request: whoever may change nothing here is
        # refused whatever they sent; which change they may make is checked below.
        if not (
            permissions.can(user, Action.UPDATE, milestone)
            or permissions.can(user, Action.EDIT, milestone)
        ):
            raise exceptions.PermissionDenied("You may not change this milestone.")
        version = expected_version(request)
        patch = MilestonePatchSerializer(data=request.data, context=self.get_serializer_context())
        patch.is_valid(raise_exception=True)
        changes = patch.changes()
        if not permissions.can(user, permissions.action_for_changes(changes), milestone):
            raise exceptions.PermissionDenied("You may not change this milestone.")
        try:
            services.milestone_update(
                milestone=milestone,
                by=user,
                version=version,
                note=patch.validated_data["note"],
                source=UpdateSource.API,
                **changes,
            )
        except services.StaleMilestone as stale:
            raise Conflict(stale) from None
        fresh = selectors.milestone_rows_for(user).get(pk=milestone.pk)
        response = Response(MilestoneSerializer(fresh).data)
        response["ETag"] = etag(fresh.version)
        return response

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed("PUT")

    @extend_schema(
        request=BulkUpdateSerializer,
        responses={200: MilestoneSerializer(many=True)},
        description=(
            "Set status and/or progress on many milestones with one note, all or none. "
            "A refusal (400) names each milestone that could not change and why."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-update",
        filterset_class=None,
        pagination_class=None,
    )
    def bulk_update(self, request: Request) -> Response:
        if not permissions.updatable_milestones(request.user).exists():
            raise exceptions.PermissionDenied("You may not update any milestone.")
        body = BulkUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ids = list(dict.fromkeys(data["ids"]))
        visible = {m.pk: m for m in selectors.milestones_for(request.user).filter(pk__in=ids)}
        allowed = selectors.updatable_ids(request.user, list(visible.values()))
        problems = [f"Milestone {pk}: not found." for pk in ids if pk not in visible]
        problems += [
            f"“{visible[pk].title}”: you may not update it."
            for pk in ids
            if pk in visible and pk not in allowed
        ]
        if problems:
            raise exceptions.ValidationError(
                {"ids": [f"None of the {len(ids)} milestones were changed.", *problems]}
            )
        try:
            services.milestone_bulk_update(
                milestones=[visible[pk] for pk in ids],
                by=request.user,
                status=data.get("status"),
                progress=data.get("progress"),
                note=data["note"],
                versions=data["versions"],
                source=UpdateSource.API,
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"ids": error.messages}) from None
        fresh = selectors.milestone_rows_for(request.user).filter(pk__in=ids)
        return Response(MilestoneSerializer(fresh, many=True).data)

    @extend_schema(responses={200: MilestoneUpdateSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None)
    def updates(self, request: Request, pk: str | None = None) -> Response:
        milestone = selectors.milestone_get(request.user, pk)
        page = self.paginate_queryset(selectors.updates_of(milestone))
        return self.get_paginated_response(MilestoneUpdateSerializer(page, many=True).data)


def register(router: BaseRouter) -> None:
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("milestones", MilestoneViewSet, basename="milestone")
