"""/api/v1/proposals/ with nested items, comments, positions and the log, an action for
each transition, and /api/v1/proposal-items/ and /api/v1/proposal-comments/.

Lists hold exactly what the caller may see; an object they may not see answers 404;
one they see but may not change answers 403; a stale write or an approval the map
moved under answers 409 and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from governance.models import Body, BodyKind
from ics_portal.api import AccessMixin

from .. import permissions
from ..models import Proposal, ProposalItem
from ..permissions import Action
from . import selectors, services, transitions
from . import serializers as s
from .approval import ApprovalRefused
from .filters import ProposalFilter

_CONFLICT = {409: OpenApiResponse(description="Changed since the given version; nothing saved.")}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The proposal changed since you loaded it."
    default_code = "conflict"


def _guard(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except services.Stale as stale:
        raise Conflict(str(stale)) from None
    except ApprovalRefused as refused:
        raise Conflict(str(refused), code="map_changed") from None


class ProposalViewSet(
    AccessMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = ProposalFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy = permissions.policy

    def get_queryset(self) -> QuerySet[Proposal]:
        return selectors.proposals_queryset(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self) -> type:
        return {
            "create": s.ProposalCreateSerializer,
            "partial_update": s.ProposalPatchSerializer,
        }.get(self.action, s.ProposalSerializer)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        if self.action == "create":
            scope = permissions.proposal_scope(self.request.user)
            serializer.fields["body"].queryset = Body.objects.filter(pk__in=scope.office)
        return serializer

    @extend_schema(responses={201: s.ProposalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_create(drafted_by=request.user, **body.validated_data)
        return Response(s.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ProposalSerializer, **_CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.access(Action.EDIT)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposal = _guard(
            services.proposal_update,
            proposal=proposal,
            by=request.user,
            version=data.pop("version"),
            **data,
        )
        return Response(s.ProposalSerializer(proposal).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(methods=["GET"], responses={200: s.ProposalItemSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ProposalItemWriteSerializer,
        responses={201: s.ProposalItemSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        """The proposal's items in order; POST adds one (draft only)."""
        if request.method == "POST":
            proposal = self.access(Action.EDIT)
            body = s.ProposalItemWriteSerializer(data=request.data)
            body.scope(proposal)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
            data.pop("version", None)
            if "kind" not in data:
                raise exceptions.ValidationError({"kind": ["Choose what the item does."]})
            item = services.item_create(proposal=proposal, by=request.user, **data)
            return Response(s.ProposalItemSerializer(item).data, status=status.HTTP_201_CREATED)
        proposal = self.get_object()
        page = self.paginate_queryset(proposal.items.order_by("order", "pk"))
        return self.get_paginated_response(s.ProposalItemSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses={200: s.CommentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=s.CommentWriteSerializer, responses={201: s.CommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        """Comments oldest first (withdrawn ones keep their place, without their words)."""
        if request.method == "POST":
            proposal = self.access(Action.COMMENT)
            body = s.CommentWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            item = proposal.items.filter(pk=data.get("item")).first() if data.get("item") else None
            parent = (
                proposal.comments.filter(pk=data.get("parent")).first()
                if data.get("parent")
                else None
            )
            if (data.get("item") and item is None) or (data.get("parent") and parent is None):
                raise exceptions.ValidationError({"item": ["No such item or comment."]})
            comment = services.comment_add(
                proposal=proposal, author=request.user, text=data["text"], item=item, parent=parent
            )
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        proposal = self.get_object()
        rows = proposal.comments.select_related("author").order_by("created_at", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.CommentSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses={200: s.PositionSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=s.PositionSerializer, responses={201: s.PositionSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def positions(self, request: Request, pk: str | None = None) -> Response:
        """Every position recorded, oldest first; the current ones have no ``replaced_at``."""
        if request.method == "POST":
            proposal = self.access(Action.POSITION)
            body = s.PositionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            position = services.position_record(
                proposal=proposal, member=request.user, **body.validated_data
            )
            return Response(s.PositionSerializer(position).data, status=status.HTTP_201_CREATED)
        proposal = self.get_object()
        rows = proposal.positions.select_related("member").order_by("recorded_at", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.PositionSerializer(page, many=True).data)

    @extend_schema(responses={200: s.TransitionLogSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def log(self, request: Request, pk: str | None = None) -> Response:
        """Every change of state: who, when, from → to, note."""
        proposal = self.get_object()
        rows = proposal.log.select_related("by").order_by("at", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.TransitionLogSerializer(page, many=True).data)

    def _transition(self, request: Request, name: str, serializer: type) -> Response:
        proposal = self.access(name)
        body = serializer(data=request.data)
        if name == "decide":
            system = proposal.system_id
            body.fields["deciding_body"].queryset = Body.objects.filter(
                system=system, kind__in=[BodyKind.ICB_BOARD, BodyKind.COMMITTEE]
            )
        body.is_valid(raise_exception=True)
        fire = getattr(transitions, f"proposal_{name}")
        _guard(fire, proposal=proposal, by=request.user, **body.validated_data)
        return Response(s.ProposalSerializer(Proposal.objects.get(pk=proposal.pk)).data)

    @extend_schema(
        request=s.TransitionSerializer, responses={200: s.ProposalSerializer, **_CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "submit", s.TransitionSerializer)

    @extend_schema(
        request=s.OpenReviewSerializer, responses={200: s.ProposalSerializer, **_CONFLICT}
    )
    @action(detail=True, methods=["post"], url_path="open-review", url_name="open-review")
    def open_review(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "open_review", s.OpenReviewSerializer)

    @extend_schema(
        request=s.RecommendSerializer, responses={200: s.ProposalSerializer, **_CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def recommend(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "recommend", s.RecommendSerializer)

    @extend_schema(
        request=s.DecideSerializer,
        responses={
            200: s.ProposalSerializer,
            409: OpenApiResponse(
                description="Stale, or the map changed under items: nothing written."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Record the ICB's decision; an approval applies every item and publishes a map
        version in one transaction, or is refused whole (409) with the items in conflict."""
        return self._transition(request, "decide", s.DecideSerializer)

    @extend_schema(
        request=s.TransitionSerializer, responses={200: s.ProposalSerializer, **_CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "withdraw", s.TransitionSerializer)

    @extend_schema(
        request=s.TransitionSerializer, responses={200: s.ProposalSerializer, **_CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request: Request, pk: str | None = None) -> Response:
        """Re-base the items on the live map and return the proposal to review."""
        return self._transition(request, "refresh", s.TransitionSerializer)


class ProposalItemViewSet(
    AccessMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "patch", "delete", "head", "options"]
    policy = permissions.policy

    def get_queryset(self) -> QuerySet[ProposalItem]:
        return permissions.visible_proposal_items(self.request.user).select_related(
            "proposal__body", "proposal__system"
        )

    def get_serializer_class(self) -> type:
        if self.action == "partial_update":
            return s.ProposalItemWriteSerializer
        return s.ProposalItemSerializer

    @extend_schema(responses={200: s.ProposalItemSerializer, **_CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.access(Action.EDIT)
        body = s.ProposalItemWriteSerializer(data=request.data)
        body.scope(item.proposal)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("kind", None)
        version = data.pop("version", None)
        if version is None:
            raise exceptions.ValidationError({"version": ["Give the version you loaded."]})
        item = _guard(services.item_update, item=item, by=request.user, version=version, **data)
        return Response(s.ProposalItemSerializer(item).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: ProposalItem) -> None:
        permissions.authorise(self.request.user, Action.EDIT, instance)
        services.item_delete(item=instance, by=self.request.user)


class ProposalCommentViewSet(AccessMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CommentSerializer
    policy = permissions.policy

    def get_queryset(self) -> QuerySet:
        return permissions.visible_proposal_comments(self.request.user).select_related(
            "author", "proposal"
        )

    @extend_schema(request=None, responses={200: s.CommentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw your own comment: it stays in its thread, marked withdrawn."""
        comment = self.access(Action.WITHDRAW)
        comment = services.comment_withdraw(comment=comment, by=request.user)
        return Response(s.CommentSerializer(comment).data)


def register(router: BaseRouter) -> None:
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("proposal-items", ProposalItemViewSet, basename="proposal-item")
    router.register("proposal-comments", ProposalCommentViewSet, basename="proposal-comment")
