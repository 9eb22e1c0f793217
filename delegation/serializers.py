"""API shapes of the map. Writes go through ``services``; these only parse and present."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import Body, IntegratedCareSystem

from . import services
from .models import (
    AssessmentKind,
    AssessmentStatus,
    Condition,
    ConditionAssessment,
    EntryStatus,
    Function,
    MapEntry,
    MapVersion,
)


class FunctionSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(
        slug_field="slug", queryset=IntegratedCareSystem.objects.all()
    )

    class Meta:
        model = Function
        fields = [
            "id",
            "system",
            "code",
            "name",
            "group",
            "description",
            "statutory_basis",
            "display_order",
        ]
        validators: list = []  # the service validates, with the model's messages

    def create(self, validated_data: dict[str, Any]) -> Function:
        return services.function_create(**validated_data)

    def update(self, instance: Function, validated_data: dict[str, Any]) -> Function:
        validated_data.pop("system", None)
        return services.function_update(function=instance, **validated_data)


class FunctionUpdateSerializer(FunctionSerializer):
    system = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class MapEntrySerializer(serializers.ModelSerializer):
    function_code = serializers.CharField(source="function.code", read_only=True)
    receiving_body_name = serializers.CharField(
        source="receiving_body.name", read_only=True, default=None
    )
    status = serializers.ChoiceField(choices=EntryStatus.choices, default=EntryStatus.PROPOSED)

    class Meta:
        model = MapEntry
        fields = [
            "id",
            "function",
            "function_code",
            "level",
            "receiving_body",
            "receiving_body_name",
            "governance_form",
            "decision_right",
            "delegated_budget",
            "financial_limit",
            "effective_from",
            "review_by",
            "status",
            "notes",
            "superseded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["superseded_by", "created_at", "updated_at"]
        validators: list = []

    def create(self, validated_data: dict[str, Any]) -> MapEntry:
        return services.map_entry_create(created_by=self.context["request"].user, **validated_data)

    def update(self, instance: MapEntry, validated_data: dict[str, Any]) -> MapEntry:
        validated_data.pop("function", None)
        return services.map_entry_update(entry=instance, **validated_data)


class MapEntryUpdateSerializer(MapEntrySerializer):
    function = serializers.PrimaryKeyRelatedField(read_only=True)


class MapEntrySupersedeSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=MapEntry._meta.get_field("level").choices, required=False
    )
    receiving_body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), required=False, allow_null=True
    )
    governance_form = serializers.CharField(required=False, allow_blank=True)
    decision_right = serializers.ChoiceField(
        choices=MapEntry._meta.get_field("decision_right").choices, required=False
    )
    delegated_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    financial_limit = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    effective_from = serializers.DateField(required=False)
    review_by = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class MapEntryRevokeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConditionSerializer(serializers.ModelSerializer):
    owner_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner_body_id = serializers.PrimaryKeyRelatedField(
        source="owner_body", queryset=Body.objects.all(), write_only=True
    )
    status = serializers.SerializerMethodField()
    self_status = serializers.SerializerMethodField()

    class Meta:
        model = Condition
        fields = [
            "id",
            "map_entry",
            "category",
            "requirement",
            "evidence_expected",
            "owner_body",
            "owner_body_id",
            "due_date",
            "status",
            "self_status",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=AssessmentStatus.choices))
    def get_status(self, condition: Condition) -> str:
        """The ICB's latest assurance: the status that counts."""
        return getattr(condition, "latest_status", AssessmentStatus.NOT_ASSESSED)

    @extend_schema_field(serializers.ChoiceField(choices=AssessmentStatus.choices))
    def get_self_status(self, condition: Condition) -> str:
        """The owner body's latest self-assessment."""
        return getattr(condition, "self_status", AssessmentStatus.NOT_ASSESSED)

    def create(self, validated_data: dict[str, Any]) -> Condition:
        return services.condition_create(**validated_data)

    def update(self, instance: Condition, validated_data: dict[str, Any]) -> Condition:
        validated_data.pop("map_entry", None)
        return services.condition_update(condition=instance, **validated_data)


class ConditionUpdateSerializer(ConditionSerializer):
    map_entry = serializers.PrimaryKeyRelatedField(read_only=True)


class ConditionAssessmentSerializer(serializers.ModelSerializer):
    assessed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # The service refuses "not assessed": an assessment cannot un-assess.
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)
    # "self": the owner body's programme office; "assured": the ICB's governance lead.
    kind = serializers.ChoiceField(choices=AssessmentKind.choices, default=AssessmentKind.SELF)

    class Meta:
        model = ConditionAssessment
        fields = [
            "id",
            "condition",
            "kind",
            "status",
            "note",
            "evidence_link",
            "assessed_by",
            "assessed_at",
        ]
        read_only_fields = ["condition", "assessed_by", "assessed_at"]


class MapVersionSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(
        slug_field="slug", queryset=IntegratedCareSystem.objects.all()
    )
    approved_by = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all())
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MapVersion
        fields = [
            "id",
            "system",
            "label",
            "approved_by",
            "meeting_date",
            "minute_reference",
            "published_by",
            "published_at",
        ]
        read_only_fields = ["published_by", "published_at"]
        validators: list = []


class MapVersionDetailSerializer(MapVersionSerializer):
    rows = serializers.JSONField(read_only=True)

    class Meta(MapVersionSerializer.Meta):
        fields = [*MapVersionSerializer.Meta.fields, "rows"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class RowChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class MapDiffSerializer(serializers.Serializer):
    old = serializers.CharField()
    new = serializers.CharField()
    added = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    changed = RowChangeSerializer(many=True)
    unchanged = serializers.IntegerField()
