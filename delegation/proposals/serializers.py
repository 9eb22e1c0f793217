"""API shapes of proposals. Writes go through the services; these parse and present.
Related fields are scoped to the caller (``scope_fields``), so an id they may not see
is refused exactly like a missing one."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from governance.models import Body

from ..models import (
    Condition,
    Decision,
    Function,
    ItemKind,
    MapEntry,
    Position,
    Proposal,
    ProposalComment,
    ProposalItem,
    ProposalPosition,
    ProposalTransition,
    Recommendation,
)
from .workflow import Outcome

PROPOSAL_FIELDS = [
    "title",
    "summary",
    "rationale",
    "readiness_evidence",
    "readiness_links",
    "current_form",
    "requested_form",
    "review_closes_on",
]
ITEM_FIELDS = [
    "kind",
    "function",
    "entry",
    "condition",
    "level",
    "governance_form",
    "decision_right",
    "delegated_budget",
    "financial_limit",
    "effective_from",
    "review_by",
    "category",
    "requirement",
    "evidence_expected",
    "due_date",
    "rationale",
]


class ProposalSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "system",
            "body",
            "reference",
            *PROPOSAL_FIELDS,
            "state",
            "outcome",
            "reopened_from",
            "submitted_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.ModelSerializer):
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.none(), help_text="The proposing body's id (your office's)."
    )
    reference = serializers.CharField(max_length=20, required=False, allow_blank=True)

    class Meta:
        model = Proposal
        fields = ["body", "reference", *PROPOSAL_FIELDS]


class ProposalPatchSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you loaded; a stale one answers 409."
    )

    class Meta:
        model = Proposal
        fields = [*PROPOSAL_FIELDS, "version"]
        extra_kwargs = {name: {"required": False} for name in PROPOSAL_FIELDS}


class ProposalItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalItem
        fields = [
            "id",
            "proposal",
            "order",
            *ITEM_FIELDS,
            "based_on",
            "based_on_updated_at",
            "result_entry",
            "result_condition",
            "version",
        ]
        read_only_fields = fields


class ProposalItemWriteSerializer(serializers.ModelSerializer):
    """An item to add (POST) or a change to one (PATCH, with ``version``)."""

    function = serializers.PrimaryKeyRelatedField(
        queryset=Function.objects.none(), required=False, allow_null=True
    )
    entry = serializers.PrimaryKeyRelatedField(
        queryset=MapEntry.objects.none(), required=False, allow_null=True
    )
    condition = serializers.PrimaryKeyRelatedField(
        queryset=Condition.objects.none(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="For a change: the version you loaded."
    )

    class Meta:
        model = ProposalItem
        fields = [*ITEM_FIELDS, "version"]
        extra_kwargs = {name: {"required": False} for name in ITEM_FIELDS}

    def scope(self, proposal: Proposal) -> None:
        """Only the proposing body's own entries and conditions, and the system's functions."""
        entries = MapEntry.objects.filter(receiving_body=proposal.body_id)
        self.fields["function"].queryset = Function.objects.filter(system=proposal.system_id)
        self.fields["entry"].queryset = entries
        self.fields["condition"].queryset = Condition.objects.filter(map_entry__in=entries)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    text = serializers.CharField()

    class Meta:
        model = ProposalComment
        fields = ["id", "item", "parent", "author", "text", "created_at", "withdrawn_at"]
        read_only_fields = ["id", "author", "created_at", "withdrawn_at"]

    def to_representation(self, instance: ProposalComment) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.withdrawn_at is not None:
            data["text"] = ""  # withdrawn: the trace stays, the words do not
        return data


class CommentWriteSerializer(serializers.Serializer):
    text = serializers.CharField()
    item = serializers.IntegerField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True)


class PositionSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.username", read_only=True)
    position = serializers.ChoiceField(choices=Position.choices)

    class Meta:
        model = ProposalPosition
        fields = ["id", "member", "position", "reason", "recorded_at", "replaced_at"]
        read_only_fields = ["id", "member", "recorded_at", "replaced_at"]


class TransitionLogSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = ProposalTransition
        fields = ["id", "name", "from_state", "to_state", "by", "at", "note"]
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you loaded; a stale one answers 409."
    )


class OpenReviewSerializer(TransitionSerializer):
    review_closes_on = serializers.DateField()


class RecommendSerializer(TransitionSerializer):
    recommends = serializers.ChoiceField(choices=Outcome.choices)


class DecideSerializer(TransitionSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    deciding_body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none())
    meeting_date = serializers.DateField()
    minute_reference = serializers.CharField(max_length=60)
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "recommends", "note", "tally", "recorded_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "deciding_body",
            "meeting_date",
            "minute_reference",
            "conditions",
            "map_version",
            "recorded_at",
        ]
        read_only_fields = fields
