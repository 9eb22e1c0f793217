"""API shapes of the landscape. The API only reads, so every field is read-only.

Choices come as the stored value and a ``*_display`` label, so a client can both
filter on ``kind=place_partnership`` and print "Place-based partnership".

A body's ``parent`` and ``accountable_to`` are shown only when the caller may see
that body too (the viewset annotates ``parent_visible`` / ``accountable_to_visible``
from the policy): a hidden body is absent, as everywhere else, not half-shown.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ics_portal.api import ChoiceLabelField

from .models import Body, IntegratedCareSystem, Membership, Organisation


class SystemRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="system-detail")

    class Meta:
        model = IntegratedCareSystem
        fields = ["id", "url", "short_name", "slug"]
        read_only_fields = fields


class BodyRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="body-detail")

    class Meta:
        model = Body
        fields = ["id", "url", "name", "slug"]
        read_only_fields = fields


class OrganisationRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail")

    class Meta:
        model = Organisation
        fields = ["id", "url", "name", "short_name"]
        read_only_fields = fields


class SystemSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="system-detail")

    class Meta:
        model = IntegratedCareSystem
        fields = ["id", "url", "name", "short_name", "slug", "version"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail")
    system = SystemRefSerializer(read_only=True)
    kind_display = ChoiceLabelField("kind")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "ods_code",
            "system",
            "version",
        ]
        read_only_fields = fields


class BodySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="body-detail")
    system = SystemRefSerializer(read_only=True)
    kind_display = ChoiceLabelField("kind")
    parent = serializers.SerializerMethodField()
    accountable_to = serializers.SerializerMethodField()
    current_form_display = ChoiceLabelField("current_form")
    target_form_display = ChoiceLabelField("target_form")
    chair_type_display = ChoiceLabelField("chair_type")
    has_form = serializers.BooleanField(
        read_only=True,
        help_text="Whether governance forms apply to this kind of body.",
    )

    class Meta:
        model = Body
        fields = [
            "id",
            "url",
            "name",
            "short_name",
            "slug",
            "system",
            "kind",
            "kind_display",
            "parent",
            "accountable_to",
            "has_form",
            "current_form",
            "current_form_display",
            "target_form",
            "target_form_display",
            "chair_name",
            "chair_type",
            "chair_type_display",
            "terms_of_reference",
            "is_published",
            "version",
        ]
        read_only_fields = fields

    @cached_property
    def _body_ref(self) -> BodyRefSerializer:
        # One reference serializer for every row: building one per row (its fields, from
        # the model) was most of a long list's time.
        return BodyRefSerializer(context=self.context)

    def _visible_ref(self, body: Body, field: str) -> dict[str, Any] | None:
        if getattr(body, f"{field}_id") is None or not getattr(body, f"{field}_visible", False):
            return None
        return self._body_ref.to_representation(getattr(body, field))

    @extend_schema_field(BodyRefSerializer(allow_null=True))
    def get_parent(self, body: Body) -> dict[str, Any] | None:
        return self._visible_ref(body, "parent")

    @extend_schema_field(BodyRefSerializer(allow_null=True))
    def get_accountable_to(self, body: Body) -> dict[str, Any] | None:
        return self._visible_ref(body, "accountable_to")


class MembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="membership-detail")
    body = BodyRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    system = serializers.SerializerMethodField()
    role_display = ChoiceLabelField("role")
    is_current = serializers.SerializerMethodField(
        help_text="Whether the seat is held today (started, and not yet ended)."
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "system",
            "body",
            "organisation",
            "role",
            "role_display",
            "start_date",
            "end_date",
            "is_current",
            "version",
        ]
        read_only_fields = fields

    @cached_property
    def _system_ref(self) -> SystemRefSerializer:
        return SystemRefSerializer(context=self.context)  # one for every row, as above

    @extend_schema_field(SystemRefSerializer)
    def get_system(self, membership: Membership) -> dict[str, Any]:
        return self._system_ref.to_representation(membership.body.system)

    def get_is_current(self, membership: Membership) -> bool:
        today = timezone.localdate()
        return membership.start_date <= today and (
            membership.end_date is None or membership.end_date >= today
        )


class TokenObtainSerializer(serializers.Serializer):
    """Documents the token request; ``AuthTokenSerializer`` checks the credentials."""

    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True,
        help_text='Send it as the header "Authorization: Token <token>".',
    )
    expires = serializers.DateTimeField(
        read_only=True, help_text="When the token stops working; obtain a new one then."
    )


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    changed_by = serializers.CharField()
    changed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for validation errors: the messages for each field.",
    )
    version = serializers.IntegerField(
        required=False, help_text="Only for a stale write (409): the current version."
    )
    changes = ChangeSerializer(
        many=True,
        required=False,
        help_text="Only for a stale write (409): what changed since your version, newest first.",
    )


class ErrorSerializer(serializers.Serializer):
    """The one shape of every API error (see ics_portal.api)."""

    error = ErrorDetailSerializer()
