"""The OpenAPI schema says what the API really answers, errors included.

Every operation can answer the error statuses below in the one JSON error shape
(ics_portal.api); spelling them out on each view was forgotten more often than not,
so the schema adds those that apply to every operation. A view's own description of
a status (e.g. a 409 on a stale write) wins over the generic one.
"""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

_GENERIC = {
    "400": "The request has errors (bad fields, filters or body); see error.fields.",
    "401": "Not signed in, or a bad, expired or revoked token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or not one the caller may see.",
    "405": "This method is not allowed here.",
    "409": "Changed since the version you sent; nothing saved.",
    "406": "The Accept header asks for a format the API does not give.",
    "413": "The request body is too large.",
    "415": "The body's content type is not one the API reads.",
    "429": "Too many requests; wait and try again (see Retry-After).",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        from governance.serializers import ErrorSerializer

        bodies = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return bodies
        for code, description in _GENERIC.items():
            if code in bodies:
                continue
            if code in ("409", "413", "415") and self.method not in ("POST", "PUT", "PATCH"):
                continue
            bodies[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                OpenApiResponse(ErrorSerializer, description=description), code
            )
        return bodies

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # DRF drops allow_blank from read-only model fields, so a blank choice ("" for
        # "not recorded") was answered but not in the schema's enum.
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                field.allow_blank = field.allow_blank or model_field.blank
                field.allow_null = field.allow_null or model_field.null
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]
            field, direction, bypass_extensions
        )
        return schema


def _model_field(field: Any) -> Any:
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or len(field.source_attrs) != 1:
        return None
    try:
        return model._meta.get_field(field.source_attrs[0])
    except Exception:  # not a model field (a property, an annotation)
        return None
