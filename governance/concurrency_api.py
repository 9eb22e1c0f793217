"""The API's half of ``governance.concurrency``: versions on read, 409 on a stale write.

- Every versioned record's representation carries ``version`` (``VersionedSerializer``)
  and its detail GET, PATCH and PUT answer ``ETag: "<version>"``.
- A write names the version it is based on: ``version`` in the body or an
  ``If-Match: "<version>"`` header (``expected_version``). Without either it is refused
  (400), but only after the caller is known to be allowed to write (403 first).
- A stale write answers 409 in the one error shape, with the current ``version`` and
  the ``changes`` the caller had not seen (who, when, each field's before and after).
  A stale ``If-Match`` answers 409 too, so clients handle one status for one problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ics_portal.ids import as_id

from .concurrency import StaleWrite

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read ("3"), instead of "version" in the body.',
)


def conflict_response() -> OpenApiResponse:
    from .serializers import ErrorSerializer

    return OpenApiResponse(
        ErrorSerializer,
        description="Changed since the version you gave: nothing saved. The error lists "
        "what changed, who changed it, and the current version.",
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed since you loaded it."
    default_code = "conflict"

    def __init__(self, stale: StaleWrite) -> None:
        super().__init__(str(stale))
        # Added to the error body by ics_portal.api.exception_handler.
        self.extra = {
            "version": stale.version,
            "changes": [c.as_dict() for c in stale.changes],
        }


def etag(version: int) -> str:
    return f'"{version}"'


def _if_match(request: Request) -> int | None:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip().strip('"')
    version = as_id(value)
    if version is None or version < 1:
        raise exceptions.ValidationError(
            {"version": ['If-Match must be the ETag you read, e.g. "3".']}
        )
    return version


def expected_version(request: Request) -> int:
    """The version a write is based on, from the body or If-Match; 400 if neither."""
    header = _if_match(request)
    raw = request.data.get("version") if isinstance(request.data, Mapping) else None
    body = None
    if raw is not None:
        body = raw if isinstance(raw, int) and not isinstance(raw, bool) else as_id(raw)
        if body is None or body < 1:
            raise exceptions.ValidationError(
                {"version": ["version is the whole number you read, e.g. 3."]}
            )
    if header is not None and body is not None and header != body:
        raise exceptions.ValidationError(
            {"version": ["version and If-Match disagree: send the one you read."]}
        )
    version = body if body is not None else header
    if version is None:
        raise exceptions.ValidationError(
            {
                "version": [
                    "version is required: give the version you read (or send it as "
                    "If-Match), so a change made since is not overwritten."
                ]
            }
        )
    return version


class VersionedSerializer(serializers.Serializer):
    """Adds ``version``: read with the record, sent back with a change."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version you read. Send it back with a change (or as If-Match); "
        "a stale one answers 409.",
    )


class VersionedViewSetMixin:
    """ETag on detail reads; writes authorised, then versioned, then validated.

    Subclasses say who may write in ``check_write(instance)`` (raise PermissionDenied).
    The serializer's ``update`` receives ``version`` and ``by`` in ``validated_data``.
    """

    def check_write(self, instance: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag(instance.version)
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()  # 404 for what the caller may not see
        self.check_write(instance)  # 403 before anything about the request's content
        version = expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            serializer.save(version=version, by=request.user)
        except StaleWrite as stale:
            raise Conflict(stale) from None
        return self.fresh_response(instance.pk)

    def fresh_response(self, pk: Any, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as the caller now reads it, with its new ETag."""
        fresh = self.get_queryset().get(pk=pk)
        response = Response(self.get_serializer(fresh).data, status=status_code)
        response["ETag"] = etag(fresh.version)
        return response
