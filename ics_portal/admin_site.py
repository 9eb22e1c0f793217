from django.contrib.admin import AdminSite
from django.http import HttpRequest

from governance import permissions


def restrict_admin_to_policy(site: AdminSite) -> None:
    """Let the landscape policy, not the is_staff flag, decide who uses the admin."""

    def has_permission(request: HttpRequest) -> bool:
        return permissions.may_use_admin(request.user)

    # One site-wide rule instead of a subclass of AdminSite.
    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = "ICS governance portal — administration"
    site.site_title = "ICS portal admin"
