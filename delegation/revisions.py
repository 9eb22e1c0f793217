"""The decision map's revision: ``IntegratedCareSystem.map_changed_at``.

Any write to what the matrix shows (a function, an entry, a condition, a body) moves
it on, in the same transaction as the write, so the cached matrix and the ETags keyed
on it change with the data. Saves and deletes are caught by signals; bulk writes, which
send none, call ``map_changed`` themselves (``services.map_entries_bulk_create``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from governance.models import Body, IntegratedCareSystem

from .models import Condition, ConditionAssessment, Function, MapEntry


def map_changed(*system_ids: int | None) -> None:
    ids = sorted({pk for pk in system_ids if pk is not None})
    if ids:
        IntegratedCareSystem.objects.filter(pk__in=ids).update(map_changed_at=timezone.now())


def _system_of(instance: Model) -> int | None:
    if isinstance(instance, Function | Body):
        return instance.system_id
    if isinstance(instance, MapEntry):
        return (
            Function.objects.filter(pk=instance.function_id)
            .values_list("system_id", flat=True)
            .first()
        )
    if isinstance(instance, Condition):
        return (
            MapEntry.objects.filter(pk=instance.map_entry_id)
            .values_list("function__system_id", flat=True)
            .first()
        )
    if isinstance(instance, ConditionAssessment):
        return (
            Condition.objects.filter(pk=instance.condition_id)
            .values_list("map_entry__function__system_id", flat=True)
            .first()
        )
    return None


def _on_write(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures
        return
    map_changed(_system_of(instance))


def connect() -> None:
    for model in (Function, MapEntry, Condition, ConditionAssessment, Body):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"map-revision-save-{model}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"map-revision-del-{model}")
