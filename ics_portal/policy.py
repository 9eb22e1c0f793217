"""The plumbing every app's policy module is built on; the rules stay in those modules.

- ``Action``: one vocabulary of what a person may do, shared by every policy, view and
  template (templates read it as ``may_<action>`` flags).
- ``is_active``: anonymous and deactivated users may do nothing.
- ``remember`` / ``forget``: what a policy worked out for a user is kept on that user
  object, which Django builds afresh for each request, so a page asks the database
  once per request whatever number of checks, lists and template tags it makes.
- ``Policy``: one app's rules as two tables (may this user do this to this object;
  which objects of a kind may this user see), and ``access``: an object and the right
  to act on it in one step, 404 for missing and invisible alike, 403 when seen but not
  the user's to act on (``authorise`` for an object already found, ``require`` for a
  right asked of no object).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.signals import request_started
from django.db.models import Model, QuerySet
from django.dispatch import receiver

from ics_portal.types import RequestUser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

T = TypeVar("T")
M = TypeVar("M", bound=Model)


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE_ROLES = "manage_roles"
    # Programme-office work for a body: drafting its proposals, updating its milestones.
    ACT_AS_PROGRAMME_OFFICE = "act_as_programme_office"
    # Board-member work for a body: reviewing and recording positions.
    ACT_AS_BOARD_MEMBER = "act_as_board_member"
    # Record the owner body's self-assessment of a condition.
    ASSESS = "assess"
    # Record the ICB's assurance of a condition.
    ASSURE = "assure"
    # Publish a version of the map (asked of a system).
    PUBLISH = "publish"
    # A milestone's status, progress, dates and a note: what its lead may do.
    UPDATE = "update"
    # Add milestones to a programme.
    ADD_MILESTONE = "add_milestone"
    # Proposals: draft one for a body (asked of a system), the workflow's activities
    # and transitions (named as in ``delegation.proposals.workflow``), and withdrawing
    # a comment.
    PROPOSE = "propose"
    COMMENT = "comment"
    POSITION = "position"
    REOPEN = "reopen"
    SUBMIT = "submit"
    OPEN_REVIEW = "open_review"
    RECOMMEND = "recommend"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    REFRESH = "refresh"
    # Board papers: build a PDF version; mark ready (and back to draft).
    BUILD = "build"
    MARK_READY = "mark_ready"


def is_active(user: RequestUser | None) -> TypeGuard[User]:
    # A TypeGuard, not a TypeIs: False does not make the user anonymous (it may be a
    # deactivated User), but True lets the rules use the user as a signed-in one.
    return bool(user is not None and user.is_authenticated and user.is_active)


_MEMO = "_policy_memo"
# A fresh token at the start of every request: a user object that outlives a request
# (a test client's forced login, a cached object) is worked out afresh in the next one.
_request: ContextVar[object | None] = ContextVar("policy_request", default=None)


@receiver(request_started)
def _new_request(**kwargs: Any) -> None:
    _request.set(object())


def remember(user: RequestUser, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per user object and request, then kept."""
    token = _request.get()
    held: tuple[object | None, dict[str, Any]] | None = getattr(user, _MEMO, None)
    if held is None or held[0] is not token:
        held = (token, {})
        try:
            setattr(user, _MEMO, held)
        except AttributeError:  # AnonymousUser and friends: nothing worth keeping
            return compute()
    memo = held[1]
    if key not in memo:
        memo[key] = compute()
    kept: T = memo[key]
    return kept


def forget(user: RequestUser) -> None:
    """Drop what was remembered: after the user's roles change within one request."""
    if user is not None and hasattr(user, _MEMO):
        delattr(user, _MEMO)


Rule = Callable[[RequestUser, Action, Any], bool]


class Policy:
    """One app's rules: ``can`` for one object, ``visible`` for a list."""

    def __init__(
        self,
        name: str,
        *,
        rules: dict[type[Model], Rule],
        lists: dict[type[Model], Callable[[RequestUser], QuerySet[Any]]] | None = None,
    ) -> None:
        self.name = name
        self.rules = rules
        self.lists = lists or {}

    def can(self, user: RequestUser, action: Action | str, obj: Model) -> bool:
        """May ``user`` do ``action`` to ``obj``? Unknown actions are denied."""
        rule = self.rules.get(type(obj))
        if rule is None:
            raise TypeError(f"The {self.name} policy does not cover {type(obj).__name__}")
        try:
            action = Action(action)
        except ValueError:
            return False
        return is_active(user) and rule(user, action, obj)

    def visible(self, user: RequestUser, model: type[Model]) -> QuerySet[Any]:
        """Every object of ``model`` the user may see."""
        try:
            return self.lists[model](user)
        except KeyError:
            raise TypeError(f"The {self.name} policy does not cover {model.__name__}") from None

    def access(
        self,
        user: RequestUser,
        action: Action | str,
        get: Callable[..., M],
        *args: Any,
        **kwargs: Any,
    ) -> M:
        """An object and the right to act on it in one step. ``get`` is a selector,
        ``<entity>_get(user, ...)``, which answers 404 for a missing object and an
        invisible one alike; seen but not the user's to ``action`` answers 403."""
        return self.authorise(user, action, get(user, *args, **kwargs))

    def authorise(self, user: Any, action: Action | str, obj: M) -> M:
        """``obj`` (already found among what the user may see), if theirs to
        ``action``; 403 if not. API actions use it on ``get_object()``."""
        require(self.can(user, action, obj))
        return obj


def require(allowed: bool, message: str = "") -> None:
    """403 unless ``allowed``: for a right asked of no one object (may this user add
    to any map at all?), checked before anything they sent is read."""
    if not allowed:
        raise PermissionDenied(message)


def ids_in(ids: Iterable[int]) -> list[int]:
    """Ids for an ``__in`` filter, sorted so equal scopes give equal SQL."""
    return sorted(ids)
