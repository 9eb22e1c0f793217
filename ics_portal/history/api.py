"""The API of a record's history: ``GET /api/v1/<things>/<id>/history/``.

Add ``HistoryMixin`` to a viewset: the record is found by the viewset's own
``get_object``, so its history is scoped exactly like the record (404 for one the
caller may not see), and the changes come a page at a time, newest first.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .changes import describe, object_records
from .door import Door


class HistoryFieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="The field's name in the API and the database.")
    # A declared field, though Field has a ``label`` attribute of its own.
    label = serializers.CharField(help_text="The field's name as the pages show it.")  # type: ignore[assignment]
    before = serializers.CharField(help_text="The value before, as shown; — for none.")
    after = serializers.CharField(help_text="The value after, as shown; — for none.")


class HistoryChangeSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="Unique across kinds: kind and record number.")
    kind = serializers.CharField(help_text='The kind of record, e.g. "delegation.mapentry".')
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField()
    object = serializers.CharField(help_text="The record's name.")
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text="Null for a change by the system.")
    door = serializers.ChoiceField(choices=Door.choices)
    door_label = serializers.CharField()
    action = serializers.ChoiceField(choices=["Created", "Changed", "Deleted"])
    changes = HistoryFieldChangeSerializer(many=True)


class HistoryMixin:
    @extend_schema(
        summary="The record's history, newest first",
        description=(
            "Every recorded change: who, when, through which door (page, API, import, "
            "bulk update, admin, system) and each field before and after, with labels."
        ),
        responses={
            200: HistoryChangeSerializer(many=True),
            404: OpenApiResponse(description="No such record, or not one the caller may see."),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        tracked, rows = object_records(obj)
        page = self.paginate_queryset(rows)  # type: ignore[attr-defined]
        changes = describe([(tracked, list(page))], keep_empty=True)
        response: Response = self.get_paginated_response([c.as_dict() for c in changes])  # type: ignore[attr-defined]
        return response
