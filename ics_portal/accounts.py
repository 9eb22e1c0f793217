"""Signing in safely: lockout after repeated failures, API tokens that expire and can be
revoked, and the pages for both.

- django-axes counts failed sign-ins on the login form, the admin and the token
  endpoint, per account and per IP address, and locks out after
  ``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``. A governance lead unlocks
  the accounts of people with a role in their system (``lockouts``); an operator
  unlocks anything in the admin ("Access attempts").
- API tokens (DRF's authtoken) expire ``API_TOKEN_DAYS`` after they were issued, are
  revoked on request (``DELETE /api/v1/auth/token/`` or the "API token" page) and
  whenever the password changes.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from governance import permissions
from governance.models import RoleAssignment
from ics_portal.types import AuthenticatedHttpRequest, RequestUser

from .backends import token_row
from .errors import is_api, json_error

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def token_expires_at(token: Token) -> dt.datetime:
    created: dt.datetime = token.created
    return created + dt.timedelta(days=settings.API_TOKEN_DAYS)


def token_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token past its expiry. Its token is read
    as DRF reads it, kept until the next write (``backends.token_row``)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        token = token_row(key)
        # DRF's own checks and words.
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed("The token has expired; obtain a new one.")
        return user, token


def token_for(user: User) -> Token:
    """The user's live token: an expired one is replaced, never handed out again."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def token_revoke(user: User) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def revoke_token_on_password_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A new password ends every way in that the old one could have handed out."""
    if not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, trusting only the proxies we run (TRUSTED_PROXY_COUNT).

    None when there is no valid address (a request built in code, a forged header):
    axes stores it in an address column, which PostgreSQL refuses for anything that is
    not an address, so "unknown" or a crafted X-Forwarded-For would be a 500."""
    count = settings.TRUSTED_PROXY_COUNT
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    candidate = hops[-count] if count and len(hops) >= count else request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(candidate or ""))
    except ValueError:
        return None


# --- lockout ---------------------------------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out sign-in gets: the JSON error shape for the API, a page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-in attempts. Try again in {minutes} minutes, or ask your "
        "governance lead to unlock your account."
    )
    response: HttpResponse
    if is_api(request):
        response = json_error(429, message, code="locked_out")
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _locked(attempts: Any) -> Any:
    return attempts.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)


def _unlockable_usernames(user: RequestUser) -> set[str]:
    """Usernames of people with a role in a system ``user`` leads."""
    systems = permissions.systems_led_by(user)
    return set(
        RoleAssignment.objects.filter(system__in=systems).values_list("user__username", flat=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Locked-out accounts a governance lead may unlock."""
    allowed = _unlockable_usernames(request.user)
    if not allowed and not request.user.is_superuser:
        raise PermissionDenied("Only a governance lead unlocks accounts.")
    locked = _locked(AccessAttempt.objects.all())
    if not request.user.is_superuser:
        locked = locked.filter(username__in=allowed)
    if request.method == "POST":
        username = request.POST.get("username", "")
        if not locked.filter(username=username).exists():
            raise PermissionDenied("That account is not one you may unlock.")
        axes_reset(username=username)
        messages.success(request, f"Unlocked {username}: they can sign in again.")
        return HttpResponseRedirect(reverse("lockouts"))
    rows = locked.order_by("-attempt_time").values("username", "ip_address", "attempt_time")
    return render(request, "registration/lockouts.html", {"locked": list(rows)})


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """See your API token's age and expiry; create a new one or revoke it."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token_revoke(request.user)
            messages.success(request, "Your API token is revoked: it no longer works.")
        else:
            token_revoke(request.user)
            fresh = token_for(request.user)
            # Shown once, on this response only: it is a password.
            return render(
                request,
                "registration/api_token.html",
                {"token": fresh, "expires": token_expires_at(fresh), "new_key": fresh.key},
            )
        return HttpResponseRedirect(reverse("api-token-page"))
    token = Token.objects.filter(user=request.user).first()
    context: dict[str, Any] = {
        "token": token,
        "expires": token_expires_at(token) if token else None,
    }
    if token is not None:
        context["expired"] = token_expired(token)
    return render(request, "registration/api_token.html", context)
