"""What django-guardian grants a user, read once per request.

The policy modules decide; this module only reads the grant rows they decide from.
One query gives every system and body grant of the user (their own rows and their
groups'); the policies derive each list and each yes/no from these ids, so no page
rebuilds guardian's nested subqueries statement by statement. Kept on the user object
(``ics_portal.policy.remember``), which Django makes afresh for every request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Model, Value

from ics_portal.policy import is_active, remember
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
    # One statement: the user's own rows and their groups', for systems and for bodies.
    columns = ("kind", "permission__codename", "content_object_id", "system")
    tables = (
        (SystemUserObjectPermission, {"user": user}, "s", "content_object_id"),
        (SystemGroupObjectPermission, {"group__user": user}, "s", "content_object_id"),
        (BodyUserObjectPermission, {"user": user}, "b", "content_object__system_id"),
        (BodyGroupObjectPermission, {"group__user": user}, "b", "content_object__system_id"),
    )
    parts = [
        table.objects.filter(**who)
        .annotate(kind=Value(kind), system=F(system))
        .values_list(*columns)
        for table, who, kind, system in tables
    ]
    rows = list(parts[0].union(*parts[1:]))
    system_rows = [(codename, pk) for kind, codename, pk, _ in rows if kind == "s"]
    body_rows = [(codename, pk, system) for kind, codename, pk, system in rows if kind == "b"]
    return Grants(
        systems=_group(system_rows, lambda r: (r[0], r[1])),
        bodies=_group(body_rows, lambda r: (r[0], r[1])),
        body_system={r[1]: r[2] for r in body_rows},
    )


def grants_of(user: RequestUser) -> Grants:
    """The user's system and body grants: one query, once per request."""
    return remember(user, "governance.grants", lambda: _read(user))


def object_grants(
    user: RequestUser, user_table: type[Model], group_table: type[Model], codename: str
) -> frozenset[int]:
    """Ids of objects in another direct-FK grant table (a milestone's lead, say) on
    which the user holds ``codename``: one query, once per request. A superuser holds
    every grant, so callers treat them apart."""
    key = f"grants:{user_table._meta.label}:{codename}"

    def read() -> frozenset[int]:
        if not is_active(user):
            return EMPTY
        rows = (
            user_table.objects.filter(user=user, permission__codename=codename)
            .values_list("content_object_id", flat=True)
            .union(
                group_table.objects.filter(
                    group__user=user, permission__codename=codename
                ).values_list("content_object_id", flat=True)
            )
        )
        return frozenset(rows)

    return remember(user, key, read)
