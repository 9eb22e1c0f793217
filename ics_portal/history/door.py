"""Through which door a change came in, and by whom, for the history records.

Every historical record names its door: a web page, the API, a spreadsheet import, a
bulk update, the Django admin, or the system itself (a command or a scheduled task).
The middleware sets the door from the request's path; the import and bulk-update
services say theirs explicitly with ``history_context``, which also names the person
when there is no request (a Celery worker runs an import on the uploader's behalf).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from ics_portal.types import RequestUser


class Door(models.TextChoices):
    PAGE = "page", "Web page"
    API = "api", "API"
    IMPORT = "import", "Spreadsheet import"
    BULK = "bulk", "Bulk update"
    ADMIN = "admin", "Admin"
    SYSTEM = "system", "System"


# How a change's line reads: "Priya Raman, through the API".
DOOR_PHRASES: dict[str, str] = {
    Door.PAGE: "through a web page",
    Door.API: "through the API",
    Door.IMPORT: "through a spreadsheet import",
    Door.BULK: "through a bulk update",
    Door.ADMIN: "through the admin",
    Door.SYSTEM: "by the system (a command or scheduled task)",
}

_door: contextvars.ContextVar[str] = contextvars.ContextVar("history_door", default=Door.SYSTEM)
_user: contextvars.ContextVar[Any] = contextvars.ContextVar("history_user", default=None)
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "history_request", default=None
)


def current_door() -> str:
    return _door.get()


def current_user() -> Any:
    """The person a change is recorded against: the one named by ``history_context``,
    else the request's signed-in user (DRF writes a token's user onto the request)."""
    user = _user.get()
    if user is not None:
        return user
    request = _request.get()
    request_user = getattr(request, "user", None)
    if request_user is not None and request_user.is_authenticated:
        return request_user
    return None


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """simple-history's ``get_user`` hook."""
    return current_user()


@contextmanager
def history_context(door: str, user: RequestUser | None = None) -> Iterator[None]:
    """Record the writes inside as coming through ``door``, made by ``user`` (if given)."""
    door_token = _door.set(door)
    user_token = _user.set(user) if user is not None else None
    try:
        yield
    finally:
        _door.reset(door_token)
        if user_token is not None:
            _user.reset(user_token)


def door_of_path(path: str) -> str:
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/admin/"):
        return Door.ADMIN
    return Door.PAGE


class HistoryDoorMiddleware:
    """Name the door and keep the request for the history records of this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        door_token = _door.set(door_of_path(request.path_info))
        request_token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _door.reset(door_token)
            _request.reset(request_token)
