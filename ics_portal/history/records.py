"""How a model gets a history: one line on the model, ``history = tracked(system=...)``.

django-simple-history writes a historical row on every save and delete from Django
itself, so the same code records history on SQLite and PostgreSQL (pghistory's
triggers would leave the SQLite default without any). Each historical row carries the
door it came through (``history_door``); ``system`` is the lookup from the historical
row to its integrated care system, so the governance lead's list of everything that
changed in the system can ask every tracked model the same question.

Writes that bypass ``save()`` (``bulk_create``, ``bulk_update``, ``QuerySet.update``)
leave no record by themselves: use ``bulk_create_with_history`` /
``bulk_update_with_history`` below, or ``record_changes`` after an ``update()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.dispatch import receiver
from simple_history import utils
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .door import Door, current_door, current_user, history_user


class DoorFields(models.Model):
    """Fields every historical row of the portal has beside simple-history's own."""

    history_door = models.CharField(
        "door", max_length=16, choices=Door.choices, default=Door.SYSTEM
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    # The historical model simple-history builds at run time: its manager and m2m
    # bookkeeping are in no stub.
    history: Any
    # Lookups from the historical row to the system it belongs to (any one matches).
    system_paths: tuple[str, ...]
    records: HistoricalRecords

    @property
    def kind(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()


REGISTRY: dict[str, Tracked] = {}


class PortalHistory(HistoricalRecords):  # type: ignore[misc]  # simple-history is untyped
    def __init__(self, *, system: str | tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("bases", [DoorFields])
        kwargs.setdefault("get_user", history_user)
        super().__init__(**kwargs)
        self.system_paths = (system,) if isinstance(system, str) else tuple(system)

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            history = getattr(sender, self.manager_name).model
            # For models in a package (governance/models/) simple-history names the app
            # as the historical model's module but leaves it elsewhere; put it where it
            # says it is, so `manage.py shell` (and pickling) can import it.
            setattr(importlib.import_module(history.__module__), history.__name__, history)
            # The same for the histories of its many-to-many links (a paper's priorities).
            for m2m in self.m2m_models.values():
                setattr(importlib.import_module(m2m.__module__), m2m.__name__, m2m)
            tracked = Tracked(
                model=sender, history=history, system_paths=self.system_paths, records=self
            )
            REGISTRY[tracked.kind] = tracked


M = TypeVar("M", bound=models.Model)


def tracked(*, system: str | tuple[str, ...], **kwargs: Any) -> PortalHistory:
    """The history of a model. ``system``: the lookup from the model to its system
    (``"system"``, ``"function__system"``, or several for an owner that is one of two)."""
    return PortalHistory(system=system, **kwargs)


def tracked_of(model: type[models.Model]) -> Tracked:
    return REGISTRY[model._meta.label_lower]


@receiver(pre_create_historical_record)
def _stamp_door(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if isinstance(history_instance, DoorFields):
        history_instance.history_door = current_door()


@contextmanager
def without_history(instance: models.Model) -> Iterator[None]:
    """Writes to ``instance`` (and its many-to-many links) leave no record inside; the
    caller records the outcome once with ``record_now``."""
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]


def record_now(instance: models.Model, history_type: str = "~") -> None:
    """One record of ``instance`` as it is now (``+`` created, ``~`` changed)."""
    tracked_of(type(instance)).records.create_historical_record(instance, history_type)


def _attrs() -> dict[str, Any]:
    return {"history_door": current_door()}


def bulk_create_with_history(objs: list[M], model: type[M], **kwargs: Any) -> list[M]:
    """``bulk_create`` that leaves a creation record per object, door and person included."""
    created: list[M] = utils.bulk_create_with_history(
        objs,
        model,
        default_user=current_user(),
        custom_historical_attrs=_attrs(),
        **kwargs,
    )
    return created


def bulk_update_with_history(
    objs: list[models.Model], model: type[models.Model], fields: list[str], **kwargs: Any
) -> int:
    """``bulk_update`` that leaves a change record per object, door and person included."""
    updated: int = utils.bulk_update_with_history(
        objs,
        model,
        fields,
        default_user=current_user(),
        custom_historical_attrs=_attrs(),
        **kwargs,
    )
    return updated


def record_changes(model: type[models.Model], pks: Iterable[int]) -> None:
    """Record the current state of rows changed by a ``QuerySet.update()``."""
    objs = list(model._default_manager.filter(pk__in=list(pks)))
    if objs:
        utils.get_history_manager_for_model(model).bulk_history_create(
            objs,
            update=True,
            default_user=current_user(),
            custom_historical_attrs=_attrs(),
        )
