"""Every edit form, saved unchanged, leaves its object exactly as it was.

The cases are in ``<app>/tests/edit_forms.py`` (see tests/edit_forms.py). A form class,
an edit-like page or an admin model without a case fails here, like a URL without a row
in the route-coverage table.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver, reverse

from tests.edit_forms import EditForm, form_submission, snapshot
from tests.test_route_coverage import _patterns

PROJECT = Path(settings.BASE_DIR).resolve()


def _project_apps() -> list[str]:
    names = ["ics_portal"]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if PROJECT in path.parents and len(path.relative_to(PROJECT).parts) == 1:
            names.append(config.name)  # a top-level app of ours, not one in .venv
    return names


def _tables() -> tuple[list[EditForm], dict, dict, dict]:
    cases: list[EditForm] = []
    not_edit: dict = {}  # form classes, and page names, that edit nothing
    admin_exempt: dict = {}
    admin_objects: dict = {}
    for app in _project_apps():
        try:
            module = importlib.import_module(f"{app}.tests.edit_forms")
        except ModuleNotFoundError:
            continue
        cases.extend(getattr(module, "EDIT_FORMS", []))
        not_edit.update(getattr(module, "NOT_EDIT_FORMS", {}))
        not_edit.update(getattr(module, "NOT_EDIT_PAGES", {}))
        admin_exempt.update(getattr(module, "ADMIN_EXEMPT", {}))
        admin_objects.update(getattr(module, "ADMIN_OBJECTS", {}))
    return cases, not_edit, admin_exempt, admin_objects


CASES, NOT_EDIT, ADMIN_EXEMPT, ADMIN_OBJECTS = _tables()
# A page route whose name says it edits something.
EDIT_LIKE = re.compile(r"(^|[_-])(edit|correct|supersede|change|update|amend)($|[_-])")


def _form_classes() -> set[type]:
    found: set[type] = set()
    for app in _project_apps():
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if re.search(r"\.(tests|migrations|management)(\.|$)", info.name):
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(f"{app}."):
                    found.add(cls)
    return found


def test_every_form_class_has_a_round_trip_case_or_a_reason():
    covered = {cls for case in CASES for cls in case.forms} | set(NOT_EDIT)
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in _form_classes() - covered)
    assert not missing, (
        "Form classes without a round-trip case (EDIT_FORMS) or a reason they edit nothing "
        "(NOT_EDIT_FORMS) in <app>/tests/edit_forms.py:\n" + "\n".join(missing)
    )


def test_every_edit_page_has_a_round_trip_case():
    covered = {case.name for case in CASES} | {name for name in NOT_EDIT if isinstance(name, str)}
    missing = [
        f"{name} ({pattern})"
        for name, pattern in _patterns(get_resolver())
        if name
        and ":" in name  # pages live in an app namespace; the API's names have none
        and not name.startswith("admin:")
        and EDIT_LIKE.search(name.rsplit(":", 1)[1])
        and name not in covered
    ]
    assert not missing, "Edit pages without a round-trip case:\n" + "\n".join(missing)


def _case_id(case: EditForm) -> str:
    return case.id


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_saving_an_edit_form_unchanged_changes_nothing(case: EditForm, client_as):
    obj = case.obj()
    before = snapshot(obj, skip=frozenset(case.changes))
    action = reverse(case.name, kwargs=case.kwargs(obj))
    page = case.page(obj) if case.page else action
    client = client_as(case.editor)
    shown = client.get(page)
    assert shown.status_code == 200, f"GET {page}: {shown.status_code}"
    data = form_submission(shown.content.decode(), action, own_page=case.page is None)
    saved = client.post(action, data)
    assert saved.status_code == 302, f"POST {action} unchanged: {saved.status_code}\n" + _errors(
        saved.content.decode()
    )
    written = case.written(obj) if case.written else obj
    assert written is not None, f"{case.id}: the save wrote nothing"
    after = snapshot(written, skip=frozenset(case.changes))
    assert after == before


def _errors(html: str) -> str:
    """The error summary's messages, to say why a save was refused."""
    items = re.findall(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", html)
    return "\n".join(item for item in items if item)[:2000]


# --- the Django admin: every model's change form ------------------------------------

ADMIN_MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _editable_in_admin(model) -> bool:
    """Whether a superuser may change this model in the admin (some are read-only)."""
    request = type(
        "Request",
        (),
        {
            "user": type(
                "Op",
                (),
                {"is_active": True, "is_superuser": True, "has_perm": lambda *a, **k: True},
            )()
        },
    )()
    return bool(admin.site._registry[model].has_change_permission(request))


EDITABLE = [m for m in ADMIN_MODELS if m not in ADMIN_EXEMPT and _editable_in_admin(m)]


def test_every_admin_model_has_an_object_to_round_trip_or_a_reason(db):
    missing = [
        m._meta.label
        for m in EDITABLE
        if m not in ADMIN_OBJECTS and not m._default_manager.exists()
    ]
    assert not missing, (
        "Admin models with no demo object to round-trip: add one in ADMIN_OBJECTS or a "
        "reason in ADMIN_EXEMPT:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("model", EDITABLE, ids=lambda m: m._meta.label)
def test_saving_an_admin_change_form_unchanged_changes_nothing(model, db):
    make = ADMIN_OBJECTS.get(model)
    obj = make() if make else model._default_manager.order_by("pk").first()
    before = snapshot(obj)
    operator = get_user_model().objects.create_superuser("roundtrip.admin", password="x")
    client = Client()
    client.force_login(operator)
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    shown = client.get(url)
    assert shown.status_code == 200
    data = form_submission(shown.content.decode(), url)
    saved = client.post(url, data)
    assert saved.status_code == 302, f"POST {url} unchanged: {saved.status_code}\n" + _errors(
        saved.content.decode()
    )
    assert snapshot(obj) == before


def test_the_table_is_not_empty():
    # Guard against a table that silently runs nothing.
    assert len(CASES) >= 5
    assert len(EDITABLE) >= 5
