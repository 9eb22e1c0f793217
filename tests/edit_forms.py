"""The edit-form round-trip table: every edit form, opened for a filled-in object and
saved unchanged, leaves the object exactly as it was.

Each app lists its cases in ``<app>/tests/edit_forms.py``:

- ``EDIT_FORMS``: one :class:`EditForm` per edit page (a route that shows a form filled
  from an existing object), with the form classes it renders;
- ``NOT_EDIT_FORMS``: every other form class of the app (filters, "add" forms, imports),
  each with the reason it is not an edit form; ``NOT_EDIT_PAGES`` likewise for a page
  whose name sounds like an edit page;
- ``ADMIN_OBJECTS`` / ``ADMIN_EXEMPT``: the object to round-trip through a model's admin
  change form when the demo has none or leaves fields blank, or why a model has none.

``tests/test_edit_form_roundtrip.py`` fails when a form class of the project, an edit-like
URL (its name says edit, correct, supersede or change) or a model in the admin has no
case, and runs every case: open the page, submit the form as a browser would (the same
values a browser keeps: it drops a ``type="date"`` value that is not ISO, which is how
every edit form blanked its dates), and compare the object field by field.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.db import models


@dataclass(frozen=True)
class EditForm:
    # URL name of the edit page, and the form classes it renders.
    name: str
    forms: tuple[type, ...]
    # Called inside the test: the demo object, every field filled (the case fills any
    # the demo leaves blank, and saves it).
    obj: Callable[[], models.Model]
    editor: str
    kwargs: Callable[[models.Model], dict[str, Any]] = lambda obj: {"pk": obj.pk}
    # The object the save writes when it is not ``obj`` itself (supersede makes a new
    # entry); returns the record to compare with ``obj`` as it was.
    written: Callable[[models.Model], models.Model] | None = None
    # Fields a save is expected to change (a new id, status, a version counter).
    changes: tuple[str, ...] = ()
    label: str = ""
    # The page that shows the form, when it is not the form's own URL (a table whose
    # rows each carry a form posting elsewhere).
    page: Callable[[models.Model], str] | None = None

    @property
    def id(self) -> str:
        return f"{self.name}{' ' + self.label if self.label else ''}"


# Fields any save may move on: timestamps and optimistic-concurrency counters.
ALWAYS_CHANGES = frozenset({"version", "updated_at", "modified", "updated_by_id"})


def snapshot(obj: models.Model, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every concrete and many-to-many field of the object, read fresh from the database."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.attname in skip or f.name in skip or f.attname in ALWAYS_CHANGES:
            continue
        if getattr(f, "auto_now", False):
            continue
        values[f.name] = getattr(obj, f.attname)
    for f in obj._meta.many_to_many:
        if f.name not in skip:
            values[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return values


# --- submitting a page's form the way a browser does --------------------------------

_ISO_DATE = re.compile(r"^\d{4,}-\d{2}-\d{2}$")


def _valid_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip() == value and value.lower() not in {"nan", "inf", "-inf", "infinity"}


def browser_value(kind: str, value: str) -> str:
    """The value a browser keeps for an input (HTML's value sanitization algorithm)."""
    if kind == "date":
        return value if _valid_date(value) else ""
    if kind == "datetime-local":
        return value if re.match(r"^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}", value) else ""
    if kind == "number":
        return value if _valid_number(value) else ""
    if kind in {"email", "url"}:
        return value.strip().replace("\n", "").replace("\r", "")
    if kind in {"text", "search", "tel", "password", "hidden"}:
        return value if kind == "hidden" else value.replace("\n", "").replace("\r", "")
    return value


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "submits": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input":
            self._form["fields"].append(("input", a))
            if a.get("type", "text").lower() in {"submit", "image"}:
                self._form["submits"].append(a)
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self._form["submits"].append(a)
        elif tag == "select":
            self._select = {"attrs": a, "options": []}
            self._form["fields"].append(("select", self._select))
        elif tag == "option" and self._select is not None:
            self._option = {"attrs": a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"attrs": a, "text": ""}
            self._form["fields"].append(("textarea", self._textarea))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data


def _field_values(kind: str, spec: Any) -> list[tuple[str, str]]:
    if kind == "input":
        a = spec
        name, typ = a.get("name"), a.get("type", "text").lower()
        if not name or "disabled" in a or typ in {"submit", "image", "button", "reset", "file"}:
            return []
        if typ in {"checkbox", "radio"}:
            return [(name, a.get("value", "on"))] if "checked" in a else []
        return [(name, browser_value(typ, a.get("value", "")))]
    a = spec["attrs"]
    name = a.get("name")
    if not name or "disabled" in a:
        return []
    if kind == "textarea":
        # The HTML parser drops one newline straight after <textarea>.
        text = spec["text"]
        return [(name, text[1:] if text.startswith("\n") else text)]
    options = [o for o in spec["options"] if "disabled" not in o["attrs"]]
    chosen = [o for o in options if "selected" in o["attrs"]]
    if not chosen and "multiple" not in a and options:
        chosen = options[:1]
    return [(name, o["attrs"].get("value", o["text"].strip())) for o in chosen]


def form_submission(html: str, action: str, *, own_page: bool = True) -> dict[str, list[str]]:
    """What a browser posts when the page's edit form is saved without a change.

    The edit form is the page's POST form aimed at ``action`` (on its own page, also one
    with no action; never the header's sign-out form); its "Save" button is pressed.
    """
    parser = _FormParser()
    parser.feed(html)
    actions = {"", action} if own_page else {action}
    candidates = [
        f
        for f in parser.forms
        if f["attrs"].get("method", "get").lower() == "post"
        and f["attrs"].get("action", "") in actions
    ]
    path = action
    assert len(candidates) == 1, f"expected one edit form on {path}, found {len(candidates)}"
    form = candidates[0]
    data: dict[str, list[str]] = {}
    for kind, spec in form["fields"]:
        for name, value in _field_values(kind, spec):
            data.setdefault(name, []).append(value)
    submits = [s for s in form["submits"] if s.get("name")]
    save = next((s for s in submits if s["name"] == "_save"), submits[0] if submits else None)
    if save is not None:
        data.setdefault(save["name"], []).append(save.get("value", ""))
    return data


@dataclass
class Cases:
    edit_forms: list[EditForm] = field(default_factory=list)
    not_edit_forms: dict[type, str] = field(default_factory=dict)
    admin_exempt: dict[type, str] = field(default_factory=dict)
    admin_fill: dict[type, Callable[[], models.Model]] = field(default_factory=dict)
