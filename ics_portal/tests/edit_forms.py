"""Admin models from the libraries the project installs (see tests/edit_forms.py)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import TokenProxy

from ics_portal.history.pages import ChangesFilter


def _group() -> Group:
    group = Group.objects.create(name="Round-trip operators")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])
    return group


def _user():
    # The admin shows times to the second; the demo's sign-up time has microseconds,
    # which no person typed.
    user = get_user_model().objects.get(username="tht.office")
    user.date_joined = user.date_joined.replace(microsecond=0)
    user.first_name, user.last_name, user.email = "Tower", "Hamlets", "tht.office@example.org"
    user.save()
    return user


ADMIN_OBJECTS = {Group: _group, get_user_model(): _user}
ADMIN_EXEMPT = {
    TokenProxy: "an API token is created or deleted, never edited: its form has only the user",
    # django-axes' records of sign-in attempts: read and deleted (to unlock), never edited.
    AccessAttempt: "a record of failed sign-ins: read, or deleted to unlock",
    AccessFailureLog: "a log of failed sign-ins: read-only",
    AccessLog: "a log of sign-ins: read-only",
}
NOT_EDIT_FORMS = {
    ChangesFilter: "filters the system's changes page (GET)",
}
