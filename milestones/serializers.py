from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance import permissions as landscape
from governance.scoping import ScopedFieldsMixin
from ics_portal.api import IdField, IdKeyedDictField
from ics_portal.quarters import QuarterError, parse_quarter
from ics_portal.types import RequestUser

from .models import Milestone, MilestoneUpdate, Programme, Status

# A version is a PositiveIntegerField: larger numbers cannot match, and must not reach
# the database as a comparison it cannot store.
MAX_VERSION = 2**31 - 1
# One bulk update is one screenful of ticks, not the whole database.
MAX_BULK = 1000


class ProgrammeSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    system = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "name", "owner", "system", "body", "lead", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_owner(self, obj: Programme) -> str:
        return str(obj.owner)

    @extend_schema_field(serializers.CharField())
    def get_system(self, obj: Programme) -> str:
        return (obj.body.system if obj.body_id else obj.system).slug


class MilestoneSerializer(serializers.ModelSerializer):
    rag = serializers.CharField(
        read_only=True, help_text="Derived: red, amber, green, complete or cancelled."
    )
    due_quarter = serializers.CharField(read_only=True)
    lead = serializers.CharField(source="lead_display", read_only=True)
    owner_body_name = serializers.CharField(source="owner_body.name", read_only=True)
    dependencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "programme",
            "title",
            "description",
            "owner_body",
            "owner_body_name",
            "lead",
            "lead_user",
            "lead_name",
            "start_date",
            "due_date",
            "due_quarter",
            "due_by_quarter",
            "status",
            "progress",
            "weight",
            "rag",
            "parent",
            "dependencies",
            "function",
            "map_entry",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


def leads_visible_to(user: RequestUser) -> Any:
    """People the caller may name as a lead: active users with a role in a system the
    caller sees. Anyone else is "not found", like a user who does not exist."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__revoked_at__isnull=True,
            role_assignments__system__in=landscape.systems_visible_to(user).values("pk"),
        )
        .distinct()
    )


class MilestonePatchSerializer(ScopedFieldsMixin, serializers.Serializer):
    """A change to one milestone, based on the version the caller loaded."""

    scopes = {"lead_user": leads_visible_to}
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        max_value=MAX_VERSION,
        help_text="The version you loaded (or send it as If-Match); a stale one answers 409.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False)
    due_quarter = serializers.CharField(
        required=False,
        help_text='Instead of due_date: "Q3 2021/22" sets the due date to the quarter\'s last day.',
    )
    title = serializers.CharField(required=False, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    weight = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    lead_user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    lead_name = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_due_quarter(self, value: str) -> str:
        try:
            parse_quarter(value)
        except QuarterError as error:
            raise serializers.ValidationError(str(error)) from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "due_date" in attrs and "due_quarter" in attrs:
            raise serializers.ValidationError(
                {"due_quarter": ["Give due_date or due_quarter, not both."]}
            )
        return attrs

    def changes(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("version", None)
        data.pop("note", None)
        if "due_quarter" in data:
            data["due_date"] = parse_quarter(data.pop("due_quarter")).last_day
            data["due_by_quarter"] = True
        elif "due_date" in data:
            data["due_by_quarter"] = False
        return data


class BulkUpdateSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=MAX_BULK)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    versions = IdKeyedDictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_VERSION),
        help_text="Milestone id → the version you loaded, for every id: one changed "
        "since is refused, never overwritten.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "status" not in attrs and "progress" not in attrs:
            raise serializers.ValidationError("Give a status, a progress, or both.")
        missing = [str(pk) for pk in dict.fromkeys(attrs["ids"]) if pk not in attrs["versions"]]
        if missing:
            raise serializers.ValidationError(
                {
                    "versions": [
                        "Give the version you loaded for every milestone; missing for "
                        f"{', '.join(missing[:20])}."
                    ]
                }
            )
        return attrs


class MilestoneUpdateSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.get_username", default="", read_only=True)

    class Meta:
        model = MilestoneUpdate
        fields = [
            "id",
            "changed_at",
            "changed_by",
            "field",
            "old_value",
            "new_value",
            "note",
            "source",
            "version",
        ]
        read_only_fields = fields
