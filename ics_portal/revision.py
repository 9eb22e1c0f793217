"""The data revision: one number that moves on with every committed write.

Rendered pages are cached under it (``ics_portal.page_cache``), so a page cached before
a write is never served after it, whatever the write touched: a record, a grant, a
membership, a milestone. Writes are seen where they all pass, as SQL: a wrapper on
every database connection notes each INSERT, UPDATE and DELETE (a save, a bulk update,
a raw statement, a Celery task) and moves the number on once its transaction commits.
A write rolled back moves nothing; writes no page shows (sessions, sign-in attempts,
the number itself) are left out.

django-cachalot follows table writes the same way, but it also caches every ORM query,
and keeps its invalidation times in the cache, which is per process without Redis. The
number here lives in the database, so every gunicorn worker reads the same one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.signals import post_migrate, pre_migrate

from .conditional import BUILD_ID
from .policy import remember
from .types import RequestUser

T = TypeVar("T")

# INSERT OR IGNORE INTO is SQLite's bulk_create(ignore_conflicts=True).
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE
)
# Tables whose writes no cached page shows: the session row (saved once a minute by
# ics_portal.sessions), django-axes' sign-in records, and the revision itself.
_UNSEEN = re.compile(r"django_session|axes_\w+|governance_datarevision")


def current() -> int:
    """The revision now: one primary-key read, run as plain SQL because every request
    makes it (the ORM's compiling would cost more than the read)."""
    from governance.models import DataRevision

    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(DataRevision._meta.db_table)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def of_request(user: RequestUser) -> int:
    """The revision as this request first read it: one read a request."""
    return remember(user, _OF_REQUEST, current)


# The name ``of_request`` remembers the revision under, on the request's user.
_OF_REQUEST = "ics_portal.revision"


def in_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def _keeping() -> bool:
    """Whether reads are kept: with the page cache on, and outside a transaction, which
    may have just written (a role granted, then ``policy.forget``) and moves the
    revision only when it commits."""
    return bool(settings.PAGE_CACHE_SECONDS) and not in_transaction()


def _kept_under(key: str, load: Callable[[], T]) -> T:
    """What ``load()`` gave under ``key``, loaded and kept if it is not there. Nothing
    (None) is never kept."""
    found: T | None = cache.get(key)
    if found is None:
        found = load()
        if found is not None:
            cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def kept(user: RequestUser, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once a request, and across requests until the next write.

    What a person may see (their grants, the systems in their menu) is read before
    anything else on every request, yet changes only with a write. So, with the page
    cache on (``PAGE_CACHE_SECONDS``), it is kept in the cache under the person and the
    revision; any committed write makes it be read afresh. Inside a transaction it is
    always read afresh.
    """

    def read() -> T:
        pk = getattr(user, "pk", None)
        if pk is None or not _keeping():
            return compute()
        return _kept_under(f"kept:{name}:{BUILD_ID}:{pk}:{of_request(user)}", compute)

    return remember(user, name, read)


def kept_row(
    name: str, load: Callable[[], T | None], person: Callable[[T], RequestUser]
) -> T | None:
    """``load()``'s row, kept until the next write: who is signing in, read on every
    request, found before anything else.

    With the page cache on, the revision is read first, then the row is looked up
    under it: a row changed since, or anything else written, is read afresh. A missing
    row (a bad token, a deleted user) is never kept. The revision read here is the
    request's (``of_request`` of the row's ``person``): it is not read again."""
    if not _keeping():
        return load()
    number = current()
    found = _kept_under(f"kept:{name}:{BUILD_ID}:{number}", load)
    if found is not None:
        remember(person(found), _OF_REQUEST, lambda: number)
    return found


def bump() -> None:
    from governance.models import DataRevision

    if not DataRevision.objects.filter(pk=1).update(number=F("number") + 1):
        # The first write of a new (or flushed) database makes the row.
        DataRevision.objects.bulk_create([DataRevision(pk=1, number=1)], ignore_conflicts=True)


_paused = False


def _pause(**kwargs: Any) -> None:
    # Migrating: the revision's table may not be there yet, and no page is served.
    global _paused
    _paused = True


def _resume(**kwargs: Any) -> None:
    global _paused
    if _paused:
        _paused = False
        bump()  # what the migrations wrote is a write like any other


class Queued:
    """A bump waiting for its transaction to commit, and whether it has run."""

    ran = False

    def __call__(self) -> None:
        self.ran = True
        bump()


def _note_write(connection: BaseDatabaseWrapper) -> None:
    # Once a transaction (once a savepoint, when nested): a bump already waiting at this
    # depth will do. The queue is emptied on rollback, and a savepoint's part of it on
    # rolling that back, so the next write after one queues a bump again. Outside a
    # transaction the bump runs at once.
    here = set(connection.savepoint_ids)
    for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
        queued = entry[1]
        if isinstance(queued, Queued) and not queued.ran and entry[0] == here:
            return
    transaction.on_commit(Queued(), using=connection.alias)


def _wrapper(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        write = _WRITE.match(sql)
        if write and not _paused and not _UNSEEN.fullmatch(write.group(1)):
            _note_write(connection)
        return result

    watch.is_revision_watch = True  # type: ignore[attr-defined]
    return watch


def _watch(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if not any(getattr(w, "is_revision_watch", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_wrapper(connection))


def install() -> None:
    """Watch every connection: those open now, and each one opened from now on."""
    connection_created.connect(_watch, dispatch_uid="ics_portal.revision")
    pre_migrate.connect(_pause, dispatch_uid="ics_portal.revision.pause")
    post_migrate.connect(_resume, dispatch_uid="ics_portal.revision.resume")
    for connection in connections.all(initialized_only=True):
        _watch(connection)
