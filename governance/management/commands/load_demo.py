"""``manage.py load_demo``: the demo ICS, its personas and every app's demo data."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from governance import demo

# Apps whose ``<app>.demo.load(stdout=...)`` runs after the governance demo, in order.
EXTRA_DEMO_APPS = ("delegation", "milestones", "papers")


class _Discard:
    def write(self, text: str) -> int:
        return len(text)


def _demo_module(app: str) -> ModuleType | None:
    name = f"{app}.demo"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        # Only a missing demo module means "this app has no demo"; a missing import
        # *inside* it is a bug and must surface.
        if error.name == name:
            return None
        raise


class Command(BaseCommand):
    help = (
        "Load the demo landscape (North East and South East London), the six demo "
        "personas and each app's demo data. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo users even under production settings (a public demo site).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to load the demo under production settings: it creates users "
                f"({', '.join(demo.USERNAMES)}) whose password is known. Nothing was "
                "written. Pass --allow-production if this really is a demo site, and set "
                "DEMO_PASSWORD."
            )
        out = self.stdout if options["verbosity"] > 0 else _Discard()
        with transaction.atomic():
            demo.load(stdout=out)
            for app in EXTRA_DEMO_APPS:
                module = _demo_module(app)
                if module is not None:
                    module.load(stdout=out)
