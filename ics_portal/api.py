"""Project-wide API conventions: pagination and the one JSON shape of every error.

Every error answers::

    {"error": {"status": 404, "code": "not_found", "message": "…", "fields": {…}}}

``fields`` appears only for validation errors and maps a field (or
``non_field_errors``) to its messages, so a client has one thing to parse.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import page_cache
from .ids import ID_MAX, as_id
from .policy import Action, Policy


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int:
        # DRF quietly ignores ?page_size=false or 1.9; a client that typed it wants to
        # know. Over the maximum is capped, as documented.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = as_id(raw)
        if size is None or size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Give a whole number of at least 1."]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters


class AccessMixin:
    """``self.access(action)``: the viewset's object and the right to act on it in one
    call. 404 for an object the caller may not see, exactly like a missing one (the
    queryset holds only what they see); 403 for one they see but may not ``action``.
    ``policy`` is the app's ``Policy``."""

    policy: Policy

    def access(self, action: Action | str) -> Any:
        view: Any = self  # a GenericViewSet: it has the request and get_object
        return self.policy.authorise(view.request.user, action, view.get_object())


class CachedListMixin:
    """List answers kept by ``ics_portal.page_cache``: looked up inside the view, once
    DRF has authenticated the caller (a token can expire with nothing written), and
    kept once rendered."""

    _page_key: str = ""

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self._page_key, hit = page_cache.find(request, csrf=False)
        if hit is not None:
            return hit
        return super().list(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._page_key and isinstance(response, Response) and response.status_code == 200:
            response.render()
            page_cache.keep(request, self._page_key, response)
        return response


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class FilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter is untyped
    """django-filter's backend, minus its one way to turn a bad query string into a 500.

    django-filter renders each form error as ``message % params`` even when there are no
    params, so any message that quotes what was typed ("50%") raised TypeError. The
    form's own rendering applies params only when there are some.
    """

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = {name: list(errors) for name, errors in filterset.form.errors.items()}
        # A page's filter form sends every field, empty or not; an API client that
        # sends ?parent= for a number filter has made a mistake worth saying.
        for name, item in filterset.filters.items():
            typed = not isinstance(item.field, forms.CharField)
            if typed and request.query_params.get(name, None) == "":
                errors.setdefault(name, []).append("Give a value, or leave the parameter out.")
        if errors:
            raise exceptions.ValidationError(errors)
        return filterset.qs


class IdField(serializers.IntegerField):
    """A record id: a whole number the database can hold."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice, as ``get_<field>_display()`` says it.

    ``CharField(source="get_kind_display")`` makes DRF call a bound method for every
    row, and DRF inspects each one's signature first: in a list of a hundred bodies that
    was a tenth of the answer's time. This reads the stored value and looks its label up.
    """

    def __init__(self, field: str, **kwargs: Any) -> None:
        super().__init__(source=field, read_only=True, **kwargs)

    def bind(self, field_name: str, parent: serializers.BaseSerializer[Any]) -> None:
        super().bind(field_name, parent)
        model = parent.Meta.model  # type: ignore[attr-defined]
        self.labels = dict(model._meta.get_field(self.source).flatchoices)

    def to_representation(self, value: Any) -> str:
        return str(self.labels.get(value, value))


class IdKeyedDictField(serializers.DictField):
    """A JSON object keyed by record ids; JSON keys are strings, so each is checked
    here rather than trusted to ``int()`` later."""

    def to_internal_value(self, data: Any) -> dict[int, Any]:
        value = super().to_internal_value(data)
        bad = [key for key in value if as_id(key) is None]  # as_id: at most 18 digits
        if bad:
            raise serializers.ValidationError(
                "Keys must be record ids (whole numbers); not: "
                + ", ".join(repr(key)[:40] for key in bad[:5])
                + "."
            )
        return {int(key): item for key, item in value.items()}


def _messages(detail: Any, where: str = "") -> list[str]:
    """A field's errors as the documented flat list of strings: an error inside a list
    or an object (``ids`` item 2, a ``versions`` key) says where it is."""
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _messages(value, f"{where}{key}: ")
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item, where)]
    return [f"{where}{detail}"]


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # A service refused the write: report it like a serializer's validation error.
        detail: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE refused the body before anyone parsed it.
        exc = PayloadTooLarge(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."
        )
    elif isinstance(exc, SuspiciousOperation):
        # Too many fields, a malformed multipart body…: the client's fault, not ours.
        exc = exceptions.ParseError(str(exc) or "The request could not be read.")

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["message"] = "The request has errors; see fields."
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["fields"] = {
            str(name): _messages(messages) for name, messages in _flatten(detail).items()
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else "error"
        body["message"] = str(exc.detail)
    else:  # pragma: no cover - DRF only returns responses for APIException
        body["code"] = "error"
        body["message"] = "The request failed."
    # A stale write (409) adds the current version and what changed since.
    body.update(getattr(exc, "extra", None) or {})
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        body["message"] = body["message"] or "Sign in first."
    response.data = {"error": body}
    return response
