"""Idle sign-out without a database write on every request.

A session ends ``SESSION_COOKIE_AGE`` seconds after its last save. Saving it on every
request (``SESSION_SAVE_EVERY_REQUEST``) makes that "after the last request", but turns
every page view into a write and a commit. Instead a signed-in session is saved again
only when its last save is ``SESSION_REFRESH_SECONDS`` old or more: the idle limit then
holds to within that many seconds, and a page read is a read.

Hand-written because the one library for it (django-session-timeout) is unmaintained
since 2020 and re-implements expiry that Django's session store already does.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

SAVED_AT = "_saved_at"


def now() -> int:
    return int(time.time())


class IdleSessionMiddleware:
    """Placed after ``SessionMiddleware``, so the save it asks for happens on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.SESSION_REFRESH_SECONDS:
            return response
        session = getattr(request, "session", None)
        # Only a signed-in session: an anonymous visitor is given no session by a read,
        # and one the view has just ended (sign-out) has no key left.
        if session is None or not session.session_key or not session.get(SESSION_KEY):
            return response
        stamp = now()
        if stamp - session.get(SAVED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[SAVED_AT] = stamp  # marks it modified: SessionMiddleware saves it
        return response
