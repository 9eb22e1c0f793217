"""Who is signing in, read once a write: the user behind a session, the token of an API call.

Every signed-in request loads its user (Django's ``ModelBackend.get_user``) or its
token and user (DRF's token authentication) before anything else: a compiled query and
a round trip each time, for a row that changes only with a write. Both are kept here
under the data revision (``ics_portal.revision.kept_row``), which the request reads
anyway for its pages and its scope, so a kept page costs the session and the revision.

A change to the person (deactivated, a new password, a token revoked or reissued) is a
write: the next request reads the row afresh, and Django's session check and DRF's
active check run on it as before. Inside a transaction, in tests with the page cache
off, and without ``PAGE_CACHE_SECONDS`` nothing is kept.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.backends import ModelBackend
from rest_framework.authtoken.models import Token

from . import revision


class KeptUserBackend(ModelBackend):
    """``ModelBackend`` (passwords, ``is_active``, model permissions) whose ``get_user``
    is kept until the next write."""

    def get_user(self, user_id: Any) -> Any:
        def load() -> Any:
            return super(KeptUserBackend, self).get_user(user_id)

        return revision.kept_row(f"user:{user_id}", load, person=lambda user: user)


def token_row(key: str) -> Token | None:
    """The API token whose key is ``key``, with its user, read once a write. The cache
    key holds a digest of the token, never the token."""

    def load() -> Token | None:
        return Token.objects.select_related("user").filter(key=key).first()

    digest = hashlib.sha256(key.encode()).hexdigest()
    return revision.kept_row(f"token:{digest}", load, person=lambda token: token.user)
