from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import (
    Body,
    BodyGroupObjectPermission,
    BodyUserObjectPermission,
    IntegratedCareSystem,
    Job,
    Membership,
    Organisation,
    RoleAssignment,
    SystemGroupObjectPermission,
    SystemUserObjectPermission,
)


@admin.register(IntegratedCareSystem)
class IntegratedCareSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code", "system"]
    list_filter = ["system", "kind"]
    search_fields = ["name", "short_name", "ods_code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "system",
        "parent",
        "current_form",
        "target_form",
        "is_published",
    ]
    list_filter = ["system", "kind", "current_form", "is_published"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "accountable_to"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "body", "role", "start_date", "end_date"]
    list_filter = ["role", "body__system"]
    search_fields = ["organisation__name", "body__name"]
    autocomplete_fields = ["organisation", "body"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Roles are granted and revoked through the role services, so guardian's grants
    always follow the assignments; an assignment is revoked, never deleted or edited."""

    list_display = ["user", "role", "system", "body", "granted_at", "revoked_at"]
    list_filter = ["role", "system", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "body__name"]
    autocomplete_fields = ["user", "body"]
    fields = [
        "user",
        "role",
        "system",
        "body",
        "granted_by",
        "granted_at",
        "revoked_by",
        "revoked_at",
    ]
    readonly_fields = ["granted_by", "granted_at", "revoked_by", "revoked_at"]
    actions = ["revoke_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: RoleAssignment | None = None):
        if obj is not None:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(
        self, request: HttpRequest, obj: RoleAssignment | None = None
    ) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form, change: bool) -> None:
        if change:
            return
        assignment = services.role_grant(
            user=obj.user, role=obj.role, system=obj.system, body=obj.body, granted_by=request.user
        )
        obj.pk = assignment.pk

    @admin.action(description="Revoke the selected roles")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        revoked = 0
        for assignment in queryset.filter(revoked_at__isnull=True):
            try:
                services.role_revoke(assignment=assignment, revoked_by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, f"Revoked {revoked} role(s).", messages.SUCCESS)


for model in (
    SystemUserObjectPermission,
    SystemGroupObjectPermission,
    BodyUserObjectPermission,
    BodyGroupObjectPermission,
):
    # Read-only: these rows are derived from role assignments by the role services.
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (admin.ModelAdmin,),
            {
                "list_display": [
                    "content_object",
                    "permission",
                    "user" if "User" in model.__name__ else "group",
                ],
                "has_add_permission": lambda self, request: False,
                "has_change_permission": lambda self, request, obj=None: False,
                "has_delete_permission": lambda self, request, obj=None: False,
            },
        ),
    )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read only: jobs change through governance.jobs (a stuck one is failed by its page)."""

    list_display = ["token", "kind", "state", "stage", "attempts", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["token", "filename", "created_by__username"]
    exclude = ["payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
