"""Historical rows turned into changes a person can read: labels, never codes.

A change names when, who, the door, the kind and name of the record, and each field
that changed with its value before and after: the field's verbose name, a choice's
label, a related record's name, dates as the papers write them. Every related name is
looked up once per related model for a whole list, so describing 10 or 1,000 changes
costs the same number of queries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from simple_history import utils

from .door import DOOR_PHRASES, Door
from .records import REGISTRY, Tracked

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# Bookkeeping, not content: the version counter, timestamps the record already has,
# and the copy of the map a published version freezes.
HIDDEN = frozenset({"id", "version", "created_at", "updated_at", "rows"})
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
EMPTY = "—"
# What a record's name reads from its related rows, so naming many takes one query.
LABEL_RELATED: dict[str, tuple[str, ...]] = {
    "delegation.mapentry": ("function", "receiving_body"),
    "delegation.mapversion": ("system",),
    "delegation.conditionassessment": (),
    "governance.membership": ("organisation", "body"),
    "governance.roleassignment": ("user", "body", "system"),
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class Change:
    history_id: int
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    when: dt.datetime
    who: str
    who_id: int | None
    door: str
    door_label: str
    action: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def door_phrase(self) -> str:
        return DOOR_PHRASES.get(self.door, self.door_label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": f"{self.kind}:{self.history_id}",
            "kind": self.kind,
            "kind_label": self.kind_label,
            "object_id": self.object_id,
            "object": self.object_label,
            "when": self.when.isoformat(),
            "who": self.who or None,
            "door": self.door,
            "door_label": self.door_label,
            "action": self.action,
            "changes": [
                {"field": f.name, "label": f.label, "before": f.before, "after": f.after}
                for f in self.fields
            ],
        }


def with_previous(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each historical row with the id of the same object's row before it."""
    model: Any = queryset.model
    before = (
        model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    annotated: QuerySet[Any] = queryset.annotate(previous_history_id=Subquery(before))
    return annotated.select_related("history_user")


def shown_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    # A field left out of the history (``excluded_fields``) has nothing to show.
    historical = getattr(getattr(model, "history", None), "model", None)
    kept = {f.attname for f in historical._meta.concrete_fields} if historical else None
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN and (kept is None or f.attname in kept)
    ]


def _links(tracked: Tracked, history_ids: list[int]) -> dict[tuple[str, int], frozenset[int]]:
    """The many-to-many links each historical row recorded, one query per field."""
    links: dict[tuple[str, int], set[int]] = defaultdict(set)
    for m2m_field in tracked.history._history_m2m_fields:
        rows = getattr(tracked.history, m2m_field.name).model.objects
        target = utils.get_m2m_reverse_field_name(m2m_field)
        for history_id, pk in rows.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"
        ):
            links[(m2m_field.name, history_id)].add(pk)
    return {key: frozenset(pks) for key, pks in links.items()}


def _user_label(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class _Names:
    """Names of related records, fetched once per model for everything asked."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}

    # ``model`` is a field's related_model: a class once the apps are loaded.
    def want(self, model: Any, pk: Any) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        user_model = get_user_model()
        for model, pks in self.wanted.items():
            rows = model._base_manager.filter(pk__in=pks)
            related = LABEL_RELATED.get(model._meta.label_lower)
            if related:
                rows = rows.select_related(*related)
            for row in rows:
                label = _user_label(cast("User", row)) if model is user_model else str(row)
                self.names[(model, row.pk)] = label

    def get(self, model: Any, pk: Any) -> str:
        if pk is None:
            return EMPTY
        return self.names.get((model, pk), f"{model._meta.verbose_name} #{pk} (deleted)")


def _plain(model_field: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _show(model_field: models.Field[Any, Any], value: Any, names: _Names) -> str:
    if model_field.is_relation:
        return names.get(model_field.related_model, value)
    return _plain(model_field, value)


def _link_changes(
    tracked: Tracked, row: Any, before: Any, links: dict[Any, Any], names: _Names
) -> list[FieldChange]:
    found = []
    for m2m_field in tracked.history._history_m2m_fields:
        new = links.get((m2m_field.name, row.history_id), frozenset())
        old = links.get((m2m_field.name, before.history_id), frozenset()) if before else None
        if row.history_type == "-" or new == old or (old is None and not new):
            continue
        model = m2m_field.related_model
        found.append(
            FieldChange(
                name=m2m_field.name,
                label=str(m2m_field.verbose_name).capitalize(),
                before=_names_of(model, old, names),
                after=_names_of(model, new, names),
            )
        )
    return found


def _names_of(model: Any, pks: frozenset[int] | None, names: _Names) -> str:
    return "; ".join(sorted(names.get(model, pk) for pk in pks)) if pks else EMPTY


# A group's rows, the rows they follow (by history id) and their links.
_Loaded = tuple[Tracked, list[Any], dict[int, Any], dict[Any, Any]]


def _load(groups: Iterable[tuple[Tracked, list[Any]]], names: _Names) -> list[_Loaded]:
    """Each group's rows with the rows they follow and their links, asking ``names`` for
    every object they mention (fetched together afterwards)."""
    loaded: list[_Loaded] = []
    for tracked, rows in groups:
        previous_ids = [r.previous_history_id for r in rows if r.previous_history_id]
        previous = {
            p.history_id: p for p in tracked.history.objects.filter(history_id__in=previous_ids)
        }
        relations = [f for f in shown_fields(tracked.model) if f.is_relation]
        links = _links(tracked, [r.history_id for r in [*rows, *previous.values()]])
        for row in [*rows, *previous.values()]:
            names.want(tracked.model, row.id)
            for f in relations:
                names.want(f.related_model, getattr(row, f.attname))
        for (name, _), pks in links.items():
            for pk in pks:
                names.want(tracked.model._meta.get_field(name).related_model, pk)
        loaded.append((tracked, rows, previous, links))
    return loaded


def _field_changes(
    fields: list[models.Field[Any, Any]], row: Any, before: Any, names: _Names
) -> list[FieldChange]:
    """The shown fields a row changed from the one before it (all set ones, if first)."""
    found: list[FieldChange] = []
    for f in fields:
        new = getattr(row, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if row.history_type == "-" or (before is not None and old == new):
            continue
        if before is None and new in (None, ""):
            continue
        found.append(
            FieldChange(
                name=f.name,
                label=str(f.verbose_name).capitalize(),
                before=_show(f, old, names) if before is not None else EMPTY,
                after=_show(f, new, names),
            )
        )
    return found


def _change(tracked: Tracked, row: Any, names: _Names) -> Change:
    """A row's change without its fields: what, when, who, through which door."""
    return Change(
        history_id=row.history_id,
        kind=tracked.kind,
        kind_label=tracked.label,
        object_id=row.id,
        object_label=names.get(tracked.model, row.id),
        when=row.history_date,
        who=_user_label(row.history_user),
        who_id=row.history_user_id,
        door=row.history_door,
        door_label=str(Door(row.history_door).label),
        action=ACTIONS.get(row.history_type, row.history_type),
    )


def describe(
    groups: Iterable[tuple[Tracked, list[Any]]], *, keep_empty: bool = False
) -> list[Change]:
    """Readable changes of historical rows (each annotated by ``with_previous``),
    newest first. A row that changed nothing shown (only its version, say) is left out
    unless ``keep_empty``."""
    names = _Names()
    loaded = _load(groups, names)
    names.fetch()

    changes: list[Change] = []
    for tracked, rows, previous, links in loaded:
        fields = shown_fields(tracked.model)
        for row in rows:
            before = previous.get(row.previous_history_id)
            change = _change(tracked, row, names)
            change.fields.extend(_field_changes(fields, row, before, names))
            change.fields.extend(_link_changes(tracked, row, before, links, names))
            if change.fields or row.history_type != "~" or keep_empty:
                changes.append(change)
    changes.sort(key=lambda c: (c.when, c.history_id), reverse=True)
    return changes


def object_records(obj: models.Model) -> tuple[Tracked, QuerySet[Any]]:
    tracked = REGISTRY[obj._meta.label_lower]
    rows = tracked.history.objects.filter(id=obj.pk).order_by("-history_date", "-history_id")
    return tracked, with_previous(rows)
