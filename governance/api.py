"""The landscape's REST API (read-only): /api/v1/systems/, organisations/, bodies/,
memberships/, and /api/v1/auth/token/ to swap a username and password for a token.

Every list is the policy's queryset (``governance.permissions.visible``), so it holds
exactly what the caller may see; a detail outside it answers 404, like a missing one.
Related rows are joined in the same query, so a page costs the same number of
queries however many rows it holds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from ics_portal import accounts
from ics_portal.accounts import ExpiringTokenAuthentication
from ics_portal.api import CachedListMixin
from ics_portal.history.api import HistoryMixin

from . import permissions
from .concurrency_api import etag
from .filters import BodyFilter, MembershipFilter, OrganisationFilter, SystemListFilter
from .models import Body, IntegratedCareSystem, Membership, Organisation
from .serializers import (
    BodySerializer,
    ErrorSerializer,
    MembershipSerializer,
    OrganisationSerializer,
    SystemSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)

_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in, or a bad token."),
}
_LIST_ERRORS = {**_ERRORS, 400: OpenApiResponse(ErrorSerializer, description="A bad filter.")}
_DETAIL_ERRORS = {
    **_ERRORS,
    404: OpenApiResponse(
        ErrorSerializer, description="No such object, or not one the caller may see."
    ),
}


def _documented(noun: str, serializer: type) -> Any:
    return extend_schema_view(
        list=extend_schema(
            tags=["landscape"],
            summary=f"List the {noun} the caller may see",
            responses={200: serializer(many=True), **_LIST_ERRORS},
        ),
        retrieve=extend_schema(
            tags=["landscape"],
            summary=f"One of the {noun}",
            responses={200: serializer, **_DETAIL_ERRORS},
        ),
    )


class _ReadOnly(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "head", "options"]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The version a later write would be based on (see governance.concurrency_api).
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag(instance.version)
        return response


@_documented("integrated care systems", SystemSerializer)
class SystemViewSet(HistoryMixin, _ReadOnly):
    serializer_class = SystemSerializer
    filterset_class = SystemListFilter

    def get_queryset(self) -> QuerySet[IntegratedCareSystem]:
        return permissions.visible(self.request.user, IntegratedCareSystem).order_by("name", "pk")


@_documented("partner organisations", OrganisationSerializer)
class OrganisationViewSet(HistoryMixin, _ReadOnly):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            permissions.visible(self.request.user, Organisation)
            .select_related("system")
            .order_by("system__name", "name", "pk")
        )


@_documented("governance bodies", BodySerializer)
class BodyViewSet(HistoryMixin, _ReadOnly):
    serializer_class = BodySerializer
    filterset_class = BodyFilter

    def get_queryset(self) -> QuerySet[Body]:
        visible = permissions.visible(self.request.user, Body)
        # A visible body may hang under a hidden one (a published subgroup of an
        # unpublished board): the serializer names the parent only if it is visible.
        return (
            visible.select_related("system", "parent", "accountable_to")
            .annotate(
                parent_visible=Exists(visible.filter(pk=OuterRef("parent_id"))),
                accountable_to_visible=Exists(visible.filter(pk=OuterRef("accountable_to_id"))),
            )
            .order_by("system__name", "name", "pk")
        )


@_documented("memberships (an organisation's seat on a body)", MembershipSerializer)
class MembershipViewSet(HistoryMixin, _ReadOnly):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self) -> QuerySet[Membership]:
        return (
            permissions.visible(self.request.user, Membership)
            .select_related("body__system", "organisation")
            .order_by("body__system__name", "body__name", "organisation__name", "role", "pk")
        )


class TokenObtainView(ObtainAuthToken):
    """Swap a username and password for the user's API token; revoke it with DELETE.

    Failed attempts count towards the sign-in lockout (django-axes), like the login form.
    """

    # The credentials are in the body: a stale token or session sent along must not
    # turn the request into a 401 or a CSRF failure.
    authentication_classes: list = []

    def get_authenticators(self) -> list:
        # DELETE revokes the caller's own token, so it needs to know who is calling.
        if self.request is not None and self.request.method == "DELETE":
            return [ExpiringTokenAuthentication(), SessionAuthentication()]
        return []

    def get_authenticate_header(self, request: Request) -> str:
        # A DELETE without credentials is a 401 (with its WWW-Authenticate), not 403.
        return 'Token realm="api"'

    def get_permissions(self) -> list:
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return []

    @extend_schema(
        summary="Obtain an API token",
        description=(
            "Post a username and password; the answer holds the user's token and when it "
            'expires. Send it on later calls as the header "Authorization: Token <token>". '
            "Repeated failures lock the account and the address out for a while (429)."
        ),
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Missing fields, or a wrong username or password."
            ),
            429: OpenApiResponse(ErrorSerializer, description="Locked out after failures."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return accounts.lockout_response(request._request)
            raise exceptions.ValidationError(serializer.errors)
        token = accounts.token_for(serializer.validated_data["user"])
        return Response({"token": token.key, "expires": accounts.token_expires_at(token)})

    @extend_schema(
        summary="Revoke your API token",
        description="The token (and any other way in through it) stops working at once.",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        accounts.token_revoke(request.user)
        return Response(status=204)


def register(router: BaseRouter) -> None:
    router.register("systems", SystemViewSet, basename="system")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("bodies", BodyViewSet, basename="body")
    router.register("memberships", MembershipViewSet, basename="membership")
