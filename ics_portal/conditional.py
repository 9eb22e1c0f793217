"""Conditional GETs: ETags, so a browser or client that has the page already gets 304.

- ``ConditionalGetMiddleware`` gives every successful GET an ETag from its content
  (API lists and pages alike) and answers 304 when it matches. Pages carry a CSRF
  token whose mask changes with every response, so it is left out of the hash and
  the CSRF secret it stands for is put in instead: a cached page's token stays valid
  for as long as that secret does.
- A view that can tell what its page depends on before building it (the matrix) sets
  ``page_etag`` itself and skips the work with ``not_modified``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

_CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def _build_id() -> str:
    """Changes with a deploy: the templates and static files the pages are made of."""
    digest = hashlib.sha256(getattr(settings, "RELEASE", "").encode())
    for folder in (Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"):
        for path in sorted(folder.rglob("*")) if folder.exists() else ():
            if path.is_file():
                digest.update(f"{path}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


BUILD_ID = _build_id()


def _csrf_secret(request: HttpRequest) -> str:
    return request.META.get("CSRF_COOKIE", "") or request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")


def page_etag(request: HttpRequest, parts: Iterable[Any], *, csrf: bool = True) -> str:
    """A strong ETag from what a page depends on, plus who asks and the build. ``csrf``:
    the page carries forms, so their CSRF secret is part of it (an API answer has none,
    and a token-authenticated client is given no CSRF cookie for it)."""
    user = getattr(request, "user", None)
    secret = ""
    if csrf:
        get_token(request)  # the page's forms will need the secret: settle it now
        secret = _csrf_secret(request)
    digest = hashlib.sha256()
    for part in (BUILD_ID, getattr(user, "pk", None), secret, *parts):
        digest.update(repr(part).encode())
        digest.update(b"\x00")
    digest.update(request.get_full_path().encode())
    return f'"{digest.hexdigest()[:40]}"'


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: datetime | None = None
) -> HttpResponse | None:
    """304 if the client's copy is current; None to build the page. A page with a
    message waiting is always built, so the message is shown."""
    if request.method not in ("GET", "HEAD") or has_messages(request):
        return None
    stamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=stamp)


def stamp(response: HttpResponse, *, etag: str, last_modified: datetime | None = None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())


def has_messages(request: HttpRequest) -> bool:
    return hasattr(request, "_messages") and len(get_messages(request)) > 0


class ConditionalGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming or "no-store" in response.get("Cache-Control", ""):
            return response
        if not response.has_header("ETag"):
            content = _CSRF_INPUT.sub(b"", response.content)
            digest = hashlib.sha256(content)
            digest.update(_csrf_secret(request).encode())
            response["ETag"] = f'W/"{digest.hexdigest()[:40]}"'
        etag = response["ETag"]
        last_modified = response.get("Last-Modified")
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
        return conditional or response
