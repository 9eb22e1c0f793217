"""The map's REST API: /api/v1/functions/, map-entries/, conditions/, map-versions/.

Lists hold exactly what the caller may see (the policy's querysets); an object the
caller may not see answers 404; one they see but may not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from governance.concurrency import StaleWrite
from governance.concurrency_api import (
    IF_MATCH,
    Conflict,
    VersionedViewSetMixin,
    conflict_response,
    etag,
    expected_version,
)
from ics_portal.api import AccessMixin, CachedListMixin
from ics_portal.history.api import HistoryMixin
from ics_portal.ids import as_id
from ics_portal.policy import require

from . import permissions, selectors, services
from . import serializers as s
from .diff import diff_rows
from .filters import ConditionFilter, FunctionFilter, MapEntryFilter, MapVersionFilter
from .models import AssessmentKind, MapVersion
from .permissions import Action
from .proposals import api as proposals_api

_WRITE_SCHEMA = extend_schema(parameters=[IF_MATCH], responses={409: conflict_response()})


class _Base(
    CachedListMixin,
    AccessMixin,
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy = permissions.policy

    def check_write(self, instance: Model) -> None:
        permissions.authorise(self.request.user, Action.EDIT, instance)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(permissions.may_edit_some_map(request.user))
        return super().create(request, *args, **kwargs)

    @_WRITE_SCHEMA
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


class FunctionViewSet(HistoryMixin, _Base):
    filterset_class = FunctionFilter

    def get_queryset(self) -> QuerySet:
        return (
            permissions.visible_functions(self.request.user)
            .select_related("system")
            .order_by("system__name", "display_order", "code")
        )

    def get_serializer_class(self) -> type:
        if self.action in ("update", "partial_update"):
            return s.FunctionUpdateSerializer
        return s.FunctionSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        # The serializer offers only visible systems: one seen but not led → 403.
        permissions.authorise(self.request.user, Action.EDIT, serializer.validated_data["system"])
        serializer.save()


class MapEntryViewSet(HistoryMixin, _Base):
    filterset_class = MapEntryFilter

    def get_queryset(self) -> QuerySet:
        return selectors.entries_queryset(self.request.user).order_by(
            "function__system__name", "function__display_order", "function__code", "pk"
        )

    def get_serializer_class(self) -> type:
        if self.action in ("update", "partial_update"):
            return s.MapEntryUpdateSerializer
        return s.MapEntrySerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        # The serializer offers only visible functions: one seen but not editable → 403.
        permissions.authorise(self.request.user, Action.EDIT, serializer.validated_data["function"])
        serializer.save()

    def _versioned_action(self, request: Request, body_class: type) -> tuple[Any, int, dict]:
        entry = self.access(Action.EDIT)
        version = expected_version(request)
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        return entry, version, data

    @extend_schema(
        request=s.MapEntrySupersedeSerializer,
        parameters=[IF_MATCH],
        responses={201: s.MapEntrySerializer, 409: conflict_response()},
    )
    @action(detail=True, methods=["post"])
    def supersede(self, request: Request, pk: str | None = None) -> Response:
        """Replace this in-force entry with a new one carrying the changes given."""
        entry, version, data = self._versioned_action(request, s.MapEntrySupersedeSerializer)
        try:
            new = services.map_entry_supersede(
                entry=entry, created_by=request.user, version=version, **data
            )
        except StaleWrite as stale:
            raise Conflict(stale) from None
        response = Response(s.MapEntrySerializer(new).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag(new.version)
        return response

    @extend_schema(
        request=s.MapEntryRevokeSerializer,
        parameters=[IF_MATCH],
        responses={200: s.MapEntrySerializer, 409: conflict_response()},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        entry, version, data = self._versioned_action(request, s.MapEntryRevokeSerializer)
        try:
            services.map_entry_revoke(
                entry=entry, note=data["note"], version=version, by=request.user
            )
        except StaleWrite as stale:
            raise Conflict(stale) from None
        return self.fresh_response(entry.pk)


class ConditionViewSet(HistoryMixin, _Base):
    filterset_class = ConditionFilter

    def get_queryset(self) -> QuerySet:
        return (
            selectors.with_latest_status(permissions.visible_conditions(self.request.user))
            .select_related("owner_body", "map_entry__function__system")
            .order_by("due_date", "pk")
        )

    def get_serializer_class(self) -> type:
        if self.action == "assessments":
            return s.ConditionAssessmentSerializer
        if self.action in ("update", "partial_update"):
            return s.ConditionUpdateSerializer
        return s.ConditionSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        # The serializer offers only visible entries: one seen but not editable → 403.
        permissions.authorise(
            self.request.user, Action.EDIT, serializer.validated_data["map_entry"]
        )
        serializer.save()

    @extend_schema(methods=["GET"], responses={200: s.ConditionAssessmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ConditionAssessmentSerializer,
        responses={201: s.ConditionAssessmentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request: Request, pk: str | None = None) -> Response:
        """The condition's assessments, newest first; POST records a new one: the owner
        body's self-assessment (``kind=self``) or the ICB's assurance (``kind=assured``)."""
        condition = self.get_object()
        if request.method == "POST":
            # Authorise before validating: someone with neither right learns nothing
            # from the validation of a body they may not send.
            require(
                any(
                    permissions.can(request.user, a, condition)
                    for a in (Action.ASSESS, Action.ASSURE)
                )
            )
            body = s.ConditionAssessmentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            is_self = body.validated_data["kind"] == AssessmentKind.SELF
            permissions.authorise(
                request.user, Action.ASSESS if is_self else Action.ASSURE, condition
            )
            assessment = services.condition_assess(
                condition=condition, assessed_by=request.user, **body.validated_data
            )
            return Response(
                s.ConditionAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED
            )
        page = self.paginate_queryset(selectors.assessments_of(condition))
        return self.get_paginated_response(s.ConditionAssessmentSerializer(page, many=True).data)


class MapVersionViewSet(
    CachedListMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Published versions. POST publishes the live map as a new version."""

    filterset_class = MapVersionFilter

    def get_queryset(self) -> QuerySet:
        versions = permissions.visible_map_versions(self.request.user).select_related(
            "system", "published_by"
        )
        if self.action == "list":
            versions = versions.defer("rows")
        return versions.order_by("system__name", "-published_at", "-pk")

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return s.MapVersionDetailSerializer
        if self.action == "diff":
            return s.MapDiffSerializer
        return s.MapVersionSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(permissions.may_edit_some_map(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        # The serializer offers only visible systems: one seen but not led → 403.
        permissions.authorise(self.request.user, Action.PUBLISH, data["system"])
        serializer.instance = services.map_version_publish(published_by=self.request.user, **data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against",
                OpenApiTypes.STR,
                description='Another version\'s id, or "live" for the live map.',
                required=True,
            )
        ],
        responses={200: s.MapDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> Response:
        """What changed from this version to another version, or to the live map."""
        version: MapVersion = self.get_object()
        against = request.query_params.get("against", "")
        if against == "live":
            # For a system, VIEW is reading its live map.
            permissions.authorise(request.user, Action.VIEW, version.system)
            new_rows, new_label = selectors.live_rows(version.system), "live"
        elif (other_pk := as_id(against)) is not None:
            other = selectors.version_get(request.user, other_pk)
            if other.system_id != version.system_id:
                raise serializers.ValidationError(
                    {"against": ["Compare versions of the same system."]}
                )
            new_rows, new_label = other.rows, other.label
        else:
            raise serializers.ValidationError(
                {"against": ['Give another version\'s id or "live".']}
            )
        result = diff_rows(version.rows, new_rows)
        return Response(
            s.MapDiffSerializer(
                {
                    "old": version.label,
                    "new": new_label,
                    "added": result.added,
                    "removed": result.removed,
                    "changed": result.changed,
                    "unchanged": result.unchanged,
                }
            ).data
        )


def register(router: BaseRouter) -> None:
    router.register("functions", FunctionViewSet, basename="function")
    router.register("map-entries", MapEntryViewSet, basename="map-entry")
    router.register("conditions", ConditionViewSet, basename="condition")
    router.register("map-versions", MapVersionViewSet, basename="map-version")
    proposals_api.register(router)
