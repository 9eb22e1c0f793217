"""Back up and restore the portal: the PostgreSQL database (pg_dump's custom format) and
the media files (built board papers, uploads), with a manifest of checksums.

A backup is a folder::

    database.dump    pg_dump --format=custom (restored with pg_restore)
    media.tar        the media folder, file times kept
    manifest.json    when, from which database, and each file's SHA-256

Restore goes into an EMPTY database and an empty media folder only: it never merges
into, or overwrites, live data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tarfile
from pathlib import Path
from typing import Any, cast

import dj_database_url
from django.conf import settings
from django.db import connections


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


def database_config(url: str | None = None) -> dict[str, Any]:
    config = cast(
        dict[str, Any], dj_database_url.parse(url) if url else settings.DATABASES["default"]
    )
    if "postgresql" not in config["ENGINE"]:
        raise BackupError(
            "Backup and restore work on PostgreSQL (DATABASE_URL). A SQLite database is "
            "one file: copy it while the portal is stopped."
        )
    return config


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[name] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    env["PGDATABASE"] = str(config["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def backup(target: Path, *, database_url: str | None = None) -> dict[str, Any]:
    config = database_config(database_url)
    target.mkdir(parents=True, exist_ok=False)
    dump = target / "database.dump"
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={dump}"],
        _pg_env(config),
    )
    media = target / "media.tar"
    root = _media_root()
    with tarfile.open(media, "w") as archive:
        if root is not None and root.is_dir():
            # tar keeps each file's modification time; restore puts it back.
            archive.add(root, arcname="media")
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "database": config["NAME"],
        "files": {p.name: _sha256(p) for p in (dump, media)},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def _check(source: Path) -> None:
    manifest = json.loads((source / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")


def _tables(database_url: str | None) -> list[str]:
    if database_url is None:
        with connections["default"].cursor() as cursor:
            return connections["default"].introspection.table_names(cursor)
    config = database_config(database_url)
    result = subprocess.run(
        ["psql", "-tA", "-c", "select tablename from pg_tables where schemaname='public'"],
        env=_pg_env(config),
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def restore(
    source: Path, *, database_url: str | None = None, media_root: Path | None = None
) -> None:
    config = database_config(database_url)
    _check(source)
    if _tables(database_url):
        raise BackupError(
            f"The database {config['NAME']} is not empty: restore only into a new, empty "
            "database (createdb), never over live data."
        )
    root = media_root or _media_root()
    if root is not None and root.is_dir() and any(root.iterdir()):
        raise BackupError(f"The media folder {root} is not empty: restore into an empty one.")
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            f"--dbname={config['NAME']}",
            str(source / "database.dump"),
        ],
        _pg_env(config),
    )
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / "media.tar") as archive:
            for member in archive.getmembers():
                if not member.name.startswith("media"):
                    continue
                member.name = member.name[len("media") :].lstrip("/") or "."
                archive.extract(member, root, filter="data")
