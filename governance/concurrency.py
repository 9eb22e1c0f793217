"""Optimistic concurrency for every editable record: nothing anyone typed is lost.

One mechanism, used by every app:

- A model inherits ``Versioned``: a ``version`` that every accepted write bumps.
- A service writes inside ``versioned_write(obj, version=…, by=…)``. It takes the row
  with one conditional UPDATE (``version = loaded`` → ``version + 1``), so of two
  writers based on the same version exactly one succeeds, on any database; the other
  gets ``StaleWrite`` and nothing of theirs is saved over the first.
- Each accepted write leaves a ``RecordChange`` (who, and each field's before/after),
  so ``StaleWrite`` can say what changed since the writer's version and who changed it.
  Milestones, proposals and papers keep their own logs and raise subclasses built
  from them.
- Pages add a hidden ``version`` (``version_field``) and, on ``StaleWrite``, show the
  form again with what the person typed, the changes they missed, and the current
  version (``governance.forms.submit``): saving again is then a deliberate choice,
  answered 409 until then. The API's half is ``governance.concurrency_api``.

``version=None`` skips the check; only writes no person based on a page or a read use
it (imports that check their own plan, roll-ups, the demo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, QuerySet

from .models.changes import RecordChange, Versioned

if TYPE_CHECKING:
    from django.contrib.auth.models import User

M = TypeVar("M", bound=models.Model)

__all__ = [
    "Change",
    "StaleWrite",
    "Versioned",
    "claim",
    "version_field",
    "versioned_write",
]

# Bookkeeping fields: never listed as "what changed".
UNTRACKED = frozenset({"version", "created_at", "updated_at", "created_by"})


@dataclass(frozen=True)
class Change:
    """One field one person changed, as a page or the API tells it."""

    field: str
    label: str
    old: str
    new: str
    by: str
    at: dt.datetime | None
    note: str = ""
    version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "changed_by": self.by,
            "changed_at": self.at.isoformat() if self.at else None,
            "note": self.note,
            "version": self.version,
        }


def user_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class StaleWrite(Exception):
    """The record changed after the caller loaded it; nothing was saved.

    ``obj`` is the record as it is now; ``changes`` what the caller had not seen,
    newest first; ``who`` and ``what`` say it in a sentence. A record that keeps its
    own log (a milestone's updates, a proposal's changes, a paper's events) tells it
    from that log with ``told``, so every 409 says it the same way.
    """

    def __init__(self, obj: Any, based_on: int, changes: list[Change] | None = None) -> None:
        self.obj = obj
        self.based_on = based_on
        self.changes = changes if changes is not None else changes_since(obj, based_on)
        self.told(
            who=(c.by for c in self.changes),
            what=(
                f"{c.label.lower()} {c.old} → {c.new}"
                for c in reversed(self.changes)
                if c.field and c.field != "created"
            ),
            name=self.title,
        )

    def told(self, *, who: Iterable[str], what: Iterable[str], name: str = "") -> None:
        """Who changed it (each once, in order) and what, oldest first, as the message."""
        self.who = ", ".join(dict.fromkeys(w for w in who if w))
        self.what = "; ".join(what)
        subject = f"“{name}” was" if name else "It was"
        Exception.__init__(
            self,
            f"{subject} changed{f' by {self.who}' if self.who else ''} since you loaded it"
            f"{f' ({self.what})' if self.what else ''}. Nothing was saved over that change.",
        )

    @property
    def title(self) -> str:
        return str(self.obj)

    @property
    def version(self) -> int:
        return self.obj.version


# --- what a record looks like, field by field ------------------------------------


def _tracked(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in UNTRACKED
    ]


def _text(obj: models.Model, field: models.Field) -> str:
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else "—"
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{value:%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    text = str(value)
    return text if len(text) <= 200 else f"{text[:199]}…"


def snapshot(obj: models.Model) -> dict[str, tuple[str, str]]:
    """Each tracked field's label and value as people read them."""
    return {
        f.name: (str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:], _text(obj, f))
        for f in _tracked(type(obj))
    }


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def record(obj: models.Model, before: dict[str, tuple[str, str]], *, by: Any) -> RecordChange:
    """Log the write that produced ``obj.version``: who, and each field it changed."""
    after = snapshot(obj)
    rows = [
        {"field": name, "label": label, "old": old, "new": after[name][1]}
        for name, (label, old) in before.items()
        if name in after and after[name][1] != old
    ]
    return RecordChange.objects.create(
        content_type=_content_type(obj),
        object_id=obj.pk,
        version=obj.version,
        changed_by=by if getattr(by, "pk", None) else None,
        changes=rows,
    )


def changes_since(obj: models.Model, version: int) -> list[Change]:
    """The logged changes to ``obj`` after ``version``, newest first."""
    rows = (
        RecordChange.objects.filter(
            content_type=_content_type(obj), object_id=obj.pk, version__gt=version
        )
        .select_related("changed_by")
        .order_by("-version", "-id")
    )
    found: list[Change] = []
    for row in rows:
        by = user_name(row.changed_by)
        if not row.changes:
            found.append(Change("", "Saved with no change", "", "", by, row.changed_at))
        found.extend(
            Change(c["field"], c["label"], c["old"], c["new"], by, row.changed_at, "", row.version)
            for c in row.changes
        )
    return found


# --- the write -------------------------------------------------------------------


def claim(
    obj: M,
    version: int | None,
    *,
    queryset: QuerySet[M] | None = None,
    stale: type[StaleWrite] = StaleWrite,
) -> M:
    """Take the row for this write, refusing it if someone changed it since ``version``.

    The conditional UPDATE both checks and bumps the version in one statement (and
    holds the row until the transaction ends), so two writers based on the same
    version cannot both succeed. Returns the row as it is now, version bumped.
    """
    model = type(obj)
    rows = model._base_manager.filter(pk=obj.pk)
    if version is None:
        rows.update(version=F("version") + 1)
    elif not rows.filter(version=version).update(version=F("version") + 1):
        raise stale(rows.get(), version)
    return (queryset if queryset is not None else model._base_manager).get(pk=obj.pk)


@contextmanager
def versioned_write(
    obj: M, *, version: int | None, by: Any, queryset: QuerySet[M] | None = None
) -> Iterator[M]:
    """``with versioned_write(entry, version=v, by=user) as entry: …change, save…``

    The block gets the current row; when it ends without an error the change is
    logged. Anything raised inside undoes the claim too.
    """
    with transaction.atomic():
        current = claim(obj, version, queryset=queryset)
        before = snapshot(current)
        yield current
        record(current, before, by=by)


# --- pages -----------------------------------------------------------------------


def version_field(form: forms.BaseForm, obj: models.Model) -> forms.BaseForm:
    """Give an edit form the hidden version the page was built from."""
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        initial=obj.version,
        error_messages={
            "required": "This page is out of date: open it again and make your change.",
        },
    )
    return form
