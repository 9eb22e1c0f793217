"""Backup → an empty database and media folder → restore: every row and every file
comes back identical, timestamps included. PostgreSQL only (pg_dump/pg_restore)."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from ics_portal import backups

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backup and restore use pg_dump and pg_restore: set DATABASE_URL to PostgreSQL",
    ),
]


def _rows(env: dict[str, str], tables: list[str]) -> dict[str, str]:
    out = {}
    for table in sorted(tables):
        # Text output of every column: timestamps to the microsecond, JSON, decimals,
        # exactly as the database holds them. Compared as sorted lines, since not every
        # table has a unique first column (history's many-to-many rows, say).
        sql = f'COPY (SELECT * FROM "{table}") TO STDOUT'
        text = subprocess.run(
            ["psql", "-X", "-q", "-c", sql], env=env, capture_output=True, text=True, check=True
        ).stdout
        out[table] = "\n".join(sorted(text.splitlines()))
    return out


def test_round_trip_restores_every_row_and_file(tmp_path, settings):
    media = tmp_path / "media"
    (media / "papers").mkdir(parents=True)
    paper = media / "papers" / "board-paper.pdf"
    paper.write_bytes(b"%PDF-1.7 demo paper")
    os.utime(paper, (1_700_000_000, 1_700_000_000))
    settings.MEDIA_ROOT = str(media)

    call_command("backup", str(tmp_path / "backup"))

    source = backups.database_config()
    name = f"ics_restore_{uuid.uuid4().hex[:8]}"
    env = backups._pg_env(source)
    subprocess.run(["createdb", name], env=env, check=True)
    try:
        user = source.get("USER") or "postgres"
        host = source.get("HOST") or "127.0.0.1"
        url = f"postgres://{user}@{host}:{source.get('PORT') or 5432}/{name}"
        restored_media = tmp_path / "restored-media"
        call_command(
            "restore", str(tmp_path / "backup"), database_url=url, media_root=restored_media
        )
        tables = backups._tables(None)
        assert "milestones_milestone" in tables
        restored_env = {**env, "PGDATABASE": name}
        assert backups._tables(url) == tables or set(backups._tables(url)) == set(tables)
        assert _rows(restored_env, tables) == _rows(env, tables)

        copy = restored_media / "papers" / "board-paper.pdf"
        assert copy.read_bytes() == paper.read_bytes()
        assert copy.stat().st_mtime == paper.stat().st_mtime

        # Never over live data: a second restore into the same database is refused.
        with pytest.raises(Exception, match="not empty"):
            call_command("restore", str(tmp_path / "backup"), database_url=url)
    finally:
        subprocess.run(["dropdb", "--if-exists", name], env=env, check=False)


def test_sqlite_is_refused_with_a_reason():
    with pytest.raises(backups.BackupError, match="PostgreSQL"):
        backups.database_config("sqlite:///tmp/x.sqlite3")
