from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from .models import Paper, PaperBuild, PaperVersion, Recommendation, Section


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "number", "action", "text", "version"]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = [
            "id",
            "order",
            "kind",
            "heading",
            "text",
            "is_appendix",
            "body",
            "programme",
            "since",
            "from_version",
            "to_version",
            "version",
        ]
        read_only_fields = fields


class PaperVersionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    built_by = serializers.CharField(source="built_by.username", read_only=True)

    class Meta:
        model = PaperVersion
        fields = ["number", "built_by", "built_at", "sha256", "size", "page_count", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, obj: PaperVersion) -> str:
        return reverse(
            "papers:download", args=[obj.paper_id, obj.number], request=self.context.get("request")
        )


class PaperBuildSerializer(serializers.ModelSerializer):
    """A build job: its state and stage, and the version it made when done."""

    state = serializers.SerializerMethodField()
    progress = serializers.IntegerField(read_only=True, help_text="Per cent, 0 to 100.")
    result = PaperVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PaperBuild
        fields = [
            "id",
            "paper",
            "state",
            "stage",
            "progress",
            "message",
            "attempts",
            "requested_at",
            "finished_at",
            "result",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["queued", "running", "done", "failed"]))
    def get_state(self, obj: PaperBuild) -> str:
        # A build whose worker vanished is failed (and may be retried), not running.
        return "failed" if obj.vanished() else obj.state


class PaperSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    versions = PaperVersionSerializer(many=True, read_only=True)
    priorities = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Paper
        fields = [
            "id",
            "system",
            "author_body",
            "meeting_body",
            "meeting_date",
            "title",
            "template",
            "report_of",
            "officers",
            "classification",
            "state",
            "purpose",
            "summary",
            "priorities",
            "implication_equality",
            "implication_risk",
            "implication_people",
            "implication_financial",
            "implication_quality",
            "implication_legal",
            "implication_data_protection",
            "version",
            "recommendations",
            "sections",
            "versions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
