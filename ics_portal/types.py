"""Types shared by every app.

``RequestUser`` is whoever ``request.user`` is: a signed-in ``User`` (the project keeps
Django's own user model) or ``AnonymousUser``. Policies and selectors take it as it
comes from the request, so they must not assume a signed-in user; the policy plumbing
answers "no" for anonymous and deactivated users alike (``ics_portal.policy.is_active``,
which also tells mypy the user is a ``User`` past that check). It is the union
django-stubs gives ``request.user``, so a view hands it on without a cast. Code that
stores or names a person (a role's holder, a job's creator) takes ``User`` itself.

``AuthenticatedHttpRequest`` is the request a ``login_required`` view receives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# A string, so importing this module never imports the auth models (it is imported by
# policy modules that load before the app registry is ready).
RequestUser: TypeAlias = "User | AnonymousUser"


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations only: behind ``login_required`` the user is signed in."""

    user: User
