"""Error pages that Django itself answers (outside a DRF view), API-aware.

DRF's exception handler shapes every error a view raises. Some errors never reach a
view: an unknown URL under /api/, a body too large to read, a crash in middleware. With
DEBUG off Django answers those with the HTML templates; an API client must get the
one JSON error shape instead (see ics_portal/api.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"

_MESSAGES = {
    400: ("bad_request", "The request could not be read."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    413: ("too_large", "The request body is too large."),
    500: ("server_error", "The server failed; the error has been logged."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, message: str = "", code: str = "") -> JsonResponse:
    default_code, default_message = _MESSAGES.get(status, ("error", "The request failed."))
    body = {"status": status, "code": code or default_code, "message": message or default_message}
    return JsonResponse({"error": body}, status=status)


def bad_request(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if is_api(request):
        return json_error(400)
    return defaults.bad_request(request, exception, **kwargs)


def permission_denied(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if is_api(request):
        return json_error(403)
    return defaults.permission_denied(request, exception, **kwargs)


def page_not_found(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if is_api(request):
        return json_error(404)
    return defaults.page_not_found(request, exception, **kwargs)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    if is_api(request):
        return json_error(500)
    return defaults.server_error(request, **kwargs)
