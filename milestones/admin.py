"""Back office. The update log is read-only: it is a record, never edited."""

from django.contrib import admin
from django.http import HttpRequest

from governance.concurrency_admin import VersionedAdminMixin

from .models import DigestSent, Milestone, MilestoneUpdate, Programme


@admin.register(Programme)
class ProgrammeAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "system", "body", "lead"]
    list_filter = ["system"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Milestones change through the portal's services (rules, log, lead grants)."""

    list_display = ["title", "programme", "owner_body", "status", "progress", "due_date"]
    list_filter = ["status", "owner_body__system"]
    search_fields = ["title"]


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "milestone",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "source",
        "version",
    ]
    list_filter = ["field", "source"]
    search_fields = ["milestone__title", "note"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["date", "body", "recipients", "milestones", "sent_at"]
