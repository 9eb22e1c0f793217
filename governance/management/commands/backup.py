"""``manage.py backup DIR``: the database and the media files into a new folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ics_portal import backups


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the media files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="a folder that does not exist yet")
        parser.add_argument("--database-url", default=None)

    def handle(self, *args, target: Path, database_url: str | None, **options):
        try:
            manifest = backups.backup(target, database_url=database_url)
        except (backups.BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up {manifest['database']} and the media files to {target}.")
