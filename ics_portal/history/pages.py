"""The History page of an object, and the system's changes with their CSV.

Apps keep the say over who may open what: their views fetch the object through their
own selectors (404 for what the user may not see), then hand it here.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .changes import Change, FieldChange, describe, object_records, with_previous
from .records import REGISTRY, Tracked

if TYPE_CHECKING:
    from governance.models import IntegratedCareSystem

# A page shows this many changes, newest first; the CSV export holds them all.
PAGE_LIMIT = 200
CSV_CHUNK = 2000


def render_object_history(
    request: HttpRequest,
    obj: models.Model,
    *,
    back_url: str,
    also: Iterable[tuple[Tracked, QuerySet[Any]]] = (),
    title: str = "",
) -> HttpResponse:
    """The History page of ``obj``; ``also`` adds records that belong to it (a body's
    memberships, a condition's assessments), each a ``(tracked, historical rows)``."""
    tracked, rows = object_records(obj)
    groups = [(tracked, list(rows[:PAGE_LIMIT]))]
    for extra, extra_rows in also:
        ordered = extra_rows.order_by("-history_date", "-history_id")
        groups.append((extra, list(with_previous(ordered)[:PAGE_LIMIT])))
    changes = describe(groups)
    return render(
        request,
        "history/object_history.html",
        {
            "object": obj,
            "kind": tracked.label,
            "title": title or str(obj),
            "back_url": back_url,
            "changes": changes[:PAGE_LIMIT],
            "truncated": len(changes) > PAGE_LIMIT,
            "limit": PAGE_LIMIT,
        },
    )


# --- the system's changes ---------------------------------------------------------


def _kind_choices() -> list[tuple[str, str]]:
    kinds = sorted(((t.kind, t.label) for t in REGISTRY.values()), key=lambda c: c[1])
    return [("", "All kinds"), *kinds]


class ChangesFilter(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind of record", required=False)

    def __init__(self, data: Any, *, people: list[tuple[int, str]]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["person"]).choices = [("", "Everyone"), *people]
        cast(forms.ChoiceField, self.fields["kind"]).choices = _kind_choices()

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the range cannot be before its start.")
        return data

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """From the start of the first day to the end of the last, in local time;
        the last 30 days when not given."""
        today = timezone.localdate()
        end = self.cleaned_data.get("end") or today
        start = self.cleaned_data.get("start") or end - dt.timedelta(days=30)
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(start, dt.time.min, zone),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone),
        )


def people_in(system: IntegratedCareSystem) -> list[tuple[int, str]]:
    """Everyone who holds or held a role in the system, for the person filter."""
    users = (
        get_user_model()
        .objects.filter(role_assignments__system=system)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [(u.pk, u.get_full_name() or u.get_username()) for u in users]


def _in_system(tracked: Tracked, system_id: int) -> Q:
    q = Q()
    for path in tracked.system_paths:
        q |= Q(**{path: system_id})
    return q


def system_rows(
    system: IntegratedCareSystem, form: ChangesFilter
) -> list[tuple[Tracked, QuerySet[Any]]]:
    """Every tracked model's historical rows in the system and the form's window."""
    start, end = form.window()
    person, kind = form.cleaned_data.get("person"), form.cleaned_data.get("kind")
    groups = []
    for tracked in REGISTRY.values():
        if kind and tracked.kind != kind:
            continue
        rows = tracked.history.objects.filter(
            _in_system(tracked, system.pk), history_date__gte=start, history_date__lt=end
        )
        if person:
            rows = rows.filter(history_user_id=person)
        groups.append((tracked, with_previous(rows.order_by("-history_date", "-history_id"))))
    return groups


def system_changes(system: IntegratedCareSystem, form: ChangesFilter) -> tuple[list[Change], bool]:
    """The newest changes of the window (at most ``PAGE_LIMIT``), and whether more exist."""
    groups = [(t, list(rows[: PAGE_LIMIT + 1])) for t, rows in system_rows(system, form)]
    changes = describe(groups)
    return changes[:PAGE_LIMIT], len(changes) > PAGE_LIMIT


# --- CSV ------------------------------------------------------------------------------

CSV_HEADER = ["When", "Who", "Door", "Kind", "Record", "Action", "Field", "Before", "After"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A spreadsheet never runs a cell as a formula: prefix one that could be with '."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def csv_lines(changes: Iterable[Change]) -> Iterator[list[str]]:
    yield CSV_HEADER
    for c in changes:
        when = f"{timezone.localtime(c.when):%Y-%m-%d %H:%M:%S}"
        head = [when, c.who, c.door_label, c.kind_label, c.object_label, c.action]
        shown: list[FieldChange | None] = [*c.fields] or [None]
        for f in shown:
            tail = [f.label, f.before, f.after] if f else ["", "", ""]
            yield [safe_cell(v) for v in head + tail]


def _chunked_changes(groups: list[tuple[Tracked, QuerySet[Any]]]) -> Iterator[Change]:
    for tracked, rows in groups:
        start = 0
        while True:
            chunk = list(rows[start : start + CSV_CHUNK])
            if not chunk:
                break
            yield from describe([(tracked, chunk)])
            start += CSV_CHUNK


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(system: IntegratedCareSystem, form: ChangesFilter) -> StreamingHttpResponse:
    """Every change of the window as CSV, one row per field changed, grouped by kind."""
    writer = csv.writer(_Echo())
    lines = csv_lines(_chunked_changes(system_rows(system, form)))
    start, end = form.window()
    name = f"{system.slug}-changes-{start:%Y%m%d}-{(end - dt.timedelta(days=1)):%Y%m%d}.csv"
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
