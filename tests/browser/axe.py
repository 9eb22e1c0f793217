"""axe-core in the page under test: the accessibility check every browser test runs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page) -> None:
    """axe-core (all its rules, a superset of WCAG 2.2 A/AA) finds nothing on the page."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    summary = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in violations
    ]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(summary)
