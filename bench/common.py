"""What the benchmark scripts share: Django set up on a throwaway database (or on
DATABASE_URL as it is), and the synthetic system of a scale made once."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setup_django(*, keep_db: bool, demo: bool = True) -> None:
    """Set Django up; without ``keep_db``, on a fresh SQLite database in a temporary
    directory (so a benchmark never touches your own data), migrated and, with
    ``demo``, holding the demo."""
    sys.path.insert(0, ROOT)
    if not keep_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    if not keep_db:
        call_command("migrate", verbosity=0)
        if demo:
            call_command("load_demo", verbosity=0)


def big_system(*, scale: int, lead: Any) -> Any:
    """The ``big<scale>`` synthetic system, made (with ``lead`` its lead) if missing."""
    from bench.make_big_system import make_big_system
    from governance.models import IntegratedCareSystem

    slug = f"big{scale}"
    return IntegratedCareSystem.objects.filter(slug=slug).first() or make_big_system(
        scale=scale, slug=slug, lead=lead
    )
