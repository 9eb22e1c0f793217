"""The house shape, read from the source tree (no database, no imports of the apps).

- No module is over 500 lines and no function over 60, outside migrations and the
  modules named below with their reason.
- Each app has the same parts: models, services, selectors, permissions, api,
  serializers, filters, urls and views (each a module or a package).
- Each module of an app has its own ``tests/test_<module>.py`` (or
  ``test_<module>_<topic>.py``), unless named below with the test that covers it.

Each exemption must still be needed: once a module is split or gets its tests, its
line here fails until it is removed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("governance", "delegation", "milestones", "papers")
MEASURED = ("ics_portal", *APPS, "bench", "tests")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

PARTS = (
    "models",
    "services",
    "selectors",
    "permissions",
    "api",
    "serializers",
    "filters",
    "urls",
    "views",
)

LONG_MODULES = {
    "governance/demo.py": "demo data: the NEL landscape written out record by record",
}

LONG_FUNCTIONS = {
    "governance/demo.py:_nel_bodies": "demo data loader: one body a few lines",
    "governance/demo.py:_nel_memberships": "demo data loader: one membership a line",
    "delegation/demo.py:_load_nel": "demo data loader: the NEL map, entry by entry",
    "milestones/demo.py:_load_ics": "demo data loader: the ICS programme's milestones",
    "milestones/demo.py:_load_tht": "demo data loader: THT's programme's milestones",
}

# Modules with no test module of their own, and where they are tested instead.
TESTED_ELSEWHERE = {
    "delegation/attention.py": "governance/tests/test_home.py: each persona's conditions due",
    "milestones/templatetags": "governance/tests/test_home.py: each persona's milestones due",
    "governance/concurrency.py": "tests/test_concurrency.py: every app's versioned records",
    "governance/concurrency_admin.py": "tests/test_concurrency.py: the admin's 409",
    "governance/concurrency_api.py": "tests/test_concurrency.py: the API's 409",
    "governance/context_processors.py": "tests/test_no_dead_ends.py: the menu's systems",
    "governance/scope.py": "ics_portal/tests/test_policy.py: one scope per request",
    "governance/scoping.py": "each app's test_forms.py and test_serializers.py",
    "governance/management": "governance/tests/test_load_demo.py, tests/test_backup.py",
    "delegation/admin.py": "read-only registrations; the gate: tests/test_route_coverage.py",
    "delegation/history_views.py": "tests/test_history.py: every history page",
    "delegation/import_rows.py": "delegation/tests/test_spreadsheets.py: row by row",
    "delegation/proposals": "delegation/tests/test_proposal_*.py",
    "delegation/revisions.py": "delegation/tests/test_matrix.py, test_views.py: the cache",
    "delegation/tasks.py": "delegation/tests/test_imports.py, tests/test_job_worker.py",
    "delegation/templatetags": "test_delegation_tags.py; the inbox tag: test_proposal_views.py",
    "milestones/history_views.py": "tests/test_history.py: every history page",
    "milestones/models.py": "milestones/tests/test_services.py: models hold no logic",
    "milestones/rules.py": "milestones/tests/test_services.py: through every write",
    "milestones/spreadsheets_views.py": "milestones/tests/test_spreadsheets.py",
    "milestones/tasks.py": "milestones/tests/test_digests.py, tests/test_job_worker.py",
    "papers/admin.py": "read-only registrations; the gate: tests/test_route_coverage.py",
    "papers/blueprints.py": "papers/tests/test_services.py: paper_create from each",
    "papers/downloads.py": "papers/tests/test_views.py: the PDF download",
    "papers/rendering.py": "papers/tests/test_building.py: HTML and PDF",
    "papers/templatetags": "papers/tests/test_building.py: the PDF's templates use them",
    "papers/views_system.py": "papers/tests/test_views.py: set-up and public page",
}
# Wiring, not behaviour: nothing of their own to test.
TRIVIAL = {"__init__.py", "apps.py", "urls.py", "demo.py"}


def _modules() -> Iterator[Path]:
    for top in MEASURED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _long_modules() -> dict[str, int]:
    found = {}
    for path in _modules():
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            found[_name(path)] = lines
    return found


def _long_functions() -> dict[str, int]:
    found = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found[f"{_name(path)}:{node.name}"] = lines
    return found


def _app_units(app: str) -> Iterator[Path]:
    """The app's top-level modules and packages (not its tests or migrations)."""
    for path in sorted((ROOT / app).iterdir()):
        if path.name in ("tests", "migrations") or path.name in TRIVIAL:
            continue
        if path.suffix == ".py" or (path / "__init__.py").exists():
            yield path


def _has_tests(app: str, unit: Path) -> bool:
    stem = unit.stem
    tests = [p.stem for p in (ROOT / app / "tests").glob("test_*.py")]
    return any(t == f"test_{stem}" or t.startswith(f"test_{stem}_") for t in tests)


def test_no_module_is_over_500_lines():
    over = {name: n for name, n in _long_modules().items() if name not in LONG_MODULES}
    assert not over, f"Split these modules (lines): {over}"


def test_no_function_is_over_60_lines():
    over = {name: n for name, n in _long_functions().items() if name not in LONG_FUNCTIONS}
    assert not over, f"Shorten these functions (lines): {over}"


def test_every_length_exemption_is_still_needed():
    modules, functions = _long_modules(), _long_functions()
    stale = [m for m in LONG_MODULES if m not in modules]
    stale += [f for f in LONG_FUNCTIONS if f not in functions]
    assert not stale, f"No longer over the limit; remove their exemptions: {stale}"


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_the_same_parts(app):
    missing = [
        part
        for part in PARTS
        if not (ROOT / app / f"{part}.py").exists()
        and not (ROOT / app / part / "__init__.py").exists()
    ]
    assert not missing, f"{app} has no {', '.join(missing)}"


@pytest.mark.parametrize("app", APPS)
def test_each_module_has_its_test_module(app):
    untested = [
        _name(unit)
        for unit in _app_units(app)
        if not _has_tests(app, unit) and _name(unit) not in TESTED_ELSEWHERE
    ]
    assert not untested, f"Give these a tests/test_<module>.py: {untested}"


def test_every_tested_elsewhere_exemption_is_still_needed():
    stale = [
        name
        for name in TESTED_ELSEWHERE
        if not (ROOT / name).exists() or _has_tests(name.split("/")[0], ROOT / name)
    ]
    assert not stale, f"Gone or tested on their own now; remove their exemptions: {stale}"


def test_the_measures_see_what_they_should():
    """The walk reaches the apps, and finds a long function where there is one."""
    names = {_name(p) for p in _modules()}
    assert {"governance/selectors.py", "milestones/services/bulk.py"} <= names
    assert not any("/migrations/" in n for n in names)
    assert "governance/demo.py:_nel_bodies" in _long_functions()
