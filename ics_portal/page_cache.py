"""Rendered pages kept for a minute, and never past a write.

A heavy read page (the matrix, a body, a programme's milestones, an API list) is kept
whole, under a key made of everything it is made from:

- who asks (their id), their session's state and their browser's CSRF secret: the
  page's forms carry a token of that secret, and a session can hold something a page
  shows once (what a person typed, kept after a conflict);
- the address with its query string, and the format asked for (``Accept``);
- the data revision (``ics_portal.revision``): any committed write, to any record or
  grant, makes every key new;
- today's date, for what is due or overdue; and the build (templates, static files).

A page is served from here before its view runs, so before the view authorises. That
is sound because the key holds the person and the data revision: a hit is the page this
person was given at this address when every record and every grant was as it is now,
and anything that would change what they may see is a write. (API lists are looked up
inside the view, after DRF has authenticated the caller: a token can expire unwritten.)

Never kept: a page with a message waiting (shown once), an answer other than 200, a
page whose view wrote to the session, a page over ``PAGE_CACHE_MAX_BYTES`` (without
Redis the cache lives in each worker's memory; the 10x matrix's table is kept apart,
once for everyone with the same scope, by ``delegation.matrix``). A client sending
``Cache-Control: no-cache`` (a hard reload) gets the page built afresh. Entries live ``PAGE_CACHE_SECONDS`` (60): what
changes with the clock alone, such as a job whose worker has gone quiet, shows within
that. 0 turns the cache off.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import conditional, revision
from .sessions import SAVED_AT

HIT_HEADER = "X-Page-Cache"


def enabled(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and bool(user and user.is_authenticated)
        and not conditional.has_messages(request)
    )


def key(request: HttpRequest, *, csrf: bool = True) -> str:
    """The cache key of this request's page (see the module's docstring)."""
    session = getattr(request, "session", None)
    state = sorted((k, repr(v)) for k, v in session.items() if k != SAVED_AT) if session else []
    parts = (
        revision.of_request(request.user),
        timezone.localdate(),
        state,
        request.META.get("HTTP_ACCEPT", ""),
    )
    tag = conditional.page_etag(request, parts, csrf=csrf)
    return "page:" + tag.strip('"')


def find(request: HttpRequest, *, csrf: bool = True) -> tuple[str, HttpResponse | None]:
    """The request's key and its kept page: ("", None) when the cache is not for this
    request, the key and None when the page is to be built (and kept under the key)."""
    if not enabled(request):
        return "", None
    page_key = key(request, csrf=csrf)
    fresh_wanted = "no-cache" in request.META.get("HTTP_CACHE_CONTROL", "")
    return page_key, None if fresh_wanted else lookup(page_key)


def lookup(key: str) -> HttpResponse | None:
    kept = cache.get(key)
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content, headers=headers)
    response[HIT_HEADER] = "hit"
    return response


def keep(request: HttpRequest, key: str, response: HttpResponse) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or "no-store" in response.get("Cache-Control", "")
        or len(response.content) > settings.PAGE_CACHE_MAX_BYTES
        or getattr(getattr(request, "session", None), "modified", False)
        or conditional.has_messages(request)
    ):
        return
    if not response.has_header("ETag"):
        # The key stands for everything the page is made of: a validator for 304s that
        # spares ConditionalGetMiddleware hashing the page on every hit.
        response["ETag"] = f'W/"{key.removeprefix("page:")}"'
    headers = {name: value for name, value in response.items() if name != HIT_HEADER}
    cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the cache when it is there; keep it when it is not.
    Goes inside ``login_required``, so an anonymous visitor is sent to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page_key, hit = find(request)
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        if page_key:
            keep(request, page_key, response)
        return response

    return wrapper
