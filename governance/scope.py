"""What django-guardian grants a user, read once per request.

The policy modules decide; this module only reads the grant rows they decide from.
One query gives every system and body grant of the user (their own rows and their
groups'); the policies derive each list and each yes/no from these ids, so no page
rebuilds guardian's nested subqueries statement by statement. Kept on the user object
(``ics_portal.policy.remember``), which Django makes afresh for every request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Model, QuerySet, Value

from ics_portal.policy import is_active
from ics_portal.revision import kept
from ics_portal.types import RequestUser

from .models import (
    Body,
    BodyGroupObjectPermission,
    BodyUserObjectPermission,
    IntegratedCareSystem,
    SystemGroupObjectPermission,
    SystemUserObjectPermission,
)

EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Grants:
    """System ids and body ids per permission codename; the system of each granted body."""

    systems: dict[str, frozenset[int]] = field(default_factory=dict)
    bodies: dict[str, frozenset[int]] = field(default_factory=dict)
    body_system: dict[int, int] = field(default_factory=dict)

    def system_ids(self, codename: str) -> frozenset[int]:
        return self.systems.get(codename, EMPTY)

    def body_ids(self, codename: str) -> frozenset[int]:
        return self.bodies.get(codename, EMPTY)


def _group(rows: Any, key_of: Any) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for row in rows:
        codename, pk = key_of(row)
        found.setdefault(codename, set()).add(pk)
    return {codename: frozenset(ids) for codename, ids in found.items()}


# A user id no row has: it marks where the real id goes in a statement compiled once.
# Within a 32-bit column's range, so no lookup treats it as out of range and drops it.
_ANY_USER = -1_234_567_891
_compiled: dict[str, tuple[str, tuple[Any, ...]]] = {}


def _run_for(user: RequestUser, name: str, build: Callable[[int], QuerySet]) -> list[tuple]:
    """Rows of ``build(user id)``, with its SQL compiled by the ORM once a process.

    Every request reads its grants before anything else; compiling the union of four
    joined querysets cost more than running it (about 3 ms of 5 on PostgreSQL). The
    statement is the ORM's own, compiled for a placeholder user and kept; each request
    runs it with its user's id in the placeholder's parameters.
    """
    if name not in _compiled:
        queryset = build(_ANY_USER)
        _compiled[name] = queryset.query.sql_with_params()
    sql, params = _compiled[name]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [user.pk if p == _ANY_USER else p for p in params])
        return cursor.fetchall()


def _grant_rows(user_id: int) -> QuerySet:
    """The user's own system and body grant rows and their groups', in one statement."""
    columns = ("kind", "permission__codename", "content_object_id", "system")
    tables = (
        (SystemUserObjectPermission, {"user_id": user_id}, "s", "content_object_id"),
        (SystemGroupObjectPermission, {"group__user": user_id}, "s", "content_object_id"),
        (BodyUserObjectPermission, {"user_id": user_id}, "b", "content_object__system_id"),
        (BodyGroupObjectPermission, {"group__user": user_id}, "b", "content_object__system_id"),
    )
    parts = [
        table.objects.filter(**who)
        .annotate(kind=Value(kind), system=F(system))
        .values_list(*columns)
        for table, who, kind, system in tables
    ]
    return parts[0].union(*parts[1:])


def _read(user: RequestUser) -> Grants:
    if not is_active(user):
        return Grants()
    if user.is_superuser:
        # Guardian grants a superuser every permission on every object.
        systems = frozenset(IntegratedCareSystem.objects.values_list("pk", flat=True))
        body_system = dict(Body.objects.values_list("pk", "system_id"))
        bodies = frozenset(body_system)
        codenames = ("view_body", "act_as_programme_office", "act_as_board_member")
        return Grants(
            systems=dict.fromkeys(("view_system", "lead_system", "change_system"), systems),
            bodies=dict.fromkeys(codenames, bodies),
            body_system=body_system,
        )
    rows = _run_for(user, "governance.grants", _grant_rows)
    system_rows = [(codename, pk) for kind, codename, pk, _ in rows if kind == "s"]
    body_rows = [(codename, pk, system) for kind, codename, pk, system in rows if kind == "b"]
    return Grants(
        systems=_group(system_rows, lambda r: (r[0], r[1])),
        bodies=_group(body_rows, lambda r: (r[0], r[1])),
        body_system={r[1]: r[2] for r in body_rows},
    )


def grants_of(user: RequestUser) -> Grants:
    """The user's system and body grants: one query, once per request, and none while
    nothing has been written since (``ics_portal.revision.kept``)."""
    return kept(user, "governance.grants", lambda: _read(user))


def object_grants(
    user: RequestUser, user_table: type[Model], group_table: type[Model], codename: str
) -> frozenset[int]:
    """Ids of objects in another direct-FK grant table (a milestone's lead, say) on
    which the user holds ``codename``: one query, once per request. A superuser holds
    every grant, so callers treat them apart."""
    key = f"grants:{user_table._meta.label}:{codename}"

    def rows(user_id: int) -> QuerySet:
        return (
            user_table.objects.filter(user_id=user_id, permission__codename=codename)
            .values_list("content_object_id", flat=True)
            .union(
                group_table.objects.filter(
                    group__user=user_id, permission__codename=codename
                ).values_list("content_object_id", flat=True)
            )
        )

    def read() -> frozenset[int]:
        if not is_active(user):
            return EMPTY
        return frozenset(pk for (pk,) in _run_for(user, key, rows))

    return kept(user, key, read)
