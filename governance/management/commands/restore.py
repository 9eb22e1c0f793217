"""``manage.py restore DIR``: a backup into an empty database and media folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ics_portal import backups


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
        parser.add_argument("--media-root", type=Path, default=None, help="default: MEDIA_ROOT")

    def handle(self, *args, source: Path, database_url, media_root, **options):
        try:
            backups.restore(source, database_url=database_url, media_root=media_root)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {source}.")
