"""Back office for operators: read papers and versions; versions are never edited."""

from django.contrib import admin

from .models import GlossaryTerm, Paper, PaperBuild, PaperVersion, PublicPage, StrategicPriority


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting_body", "meeting_date", "state", "system"]
    list_filter = ["system", "state", "template"]
    search_fields = ["title"]
    raw_id_fields = ["author_body", "meeting_body", "created_by"]


@admin.register(PaperVersion)
class PaperVersionAdmin(admin.ModelAdmin):
    list_display = ["paper", "number", "built_at", "built_by", "page_count", "size", "sha256"]
    readonly_fields = [f.name for f in PaperVersion._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PaperBuild)
class PaperBuildAdmin(admin.ModelAdmin):
    list_display = ["paper", "state", "stage", "requested_at", "attempts"]
    list_filter = ["state"]
    readonly_fields = ["key"]


admin.site.register(GlossaryTerm)
admin.site.register(StrategicPriority)
admin.site.register(PublicPage)
