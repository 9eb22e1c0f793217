"""The NHS.UK stylesheet, made to work on a closed network.

nhsuk-frontend's compiled CSS loads the Frutiger font from assets.nhs.uk (four requests
on every page, each failing on a closed network; the font is not ours to redistribute)
and points its icons at ``/assets/...`` on the site's root, where nothing is served.
This finder serves the same stylesheet with the remote ``@font-face`` rules removed (the
design system's own font stack falls back to Arial) and the icons resolved next to the
stylesheet. It rebuilds the file into ``build/`` from node_modules whenever the package
changes, so ``make run``, the tests, CI and ``collectstatic`` all serve it with no extra
build step and no Sass toolchain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

STYLESHEET = "nhsuk-frontend.min.css"
PREFIX = "nhsuk"
# An @font-face rule whose src names any absolute (remote) URL.
REMOTE_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*url\(\s*['\"]?(?:https?:)?//[^}]*\}")
ROOT_ASSETS = re.compile(r"url\(\s*(['\"]?)/assets/")


def offline_css(css: str) -> str:
    """The stylesheet with no request leaving the origin."""
    css = REMOTE_FONT_FACE.sub("", css)
    return ROOT_ASSETS.sub(r"url(\1assets/", css)


def _source() -> Path:
    return Path(settings.NODE_MODULES) / "nhsuk-frontend" / "dist" / "nhsuk" / STYLESHEET


def _target() -> Path:
    return Path(settings.BASE_DIR) / "build" / "nhsuk" / STYLESHEET


def build() -> Path | None:
    """Write the offline stylesheet when the package's one is newer; None without it."""
    source, target = _source(), _target()
    if not source.is_file():
        return None
    if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".tmp")
        partial.write_text(offline_css(source.read_text(encoding="utf-8")), encoding="utf-8")
        partial.replace(target)  # atomic: a request never reads half a file
    return target


class OfflineNHSUKFinder(BaseFinder):
    """Finds ``nhsuk/nhsuk-frontend.min.css`` as the offline build; listed first, so it
    wins over the package's own copy found by the directory finder."""

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        built = build() if path == f"{PREFIX}/{STYLESHEET}" else None
        if built is None:
            return [] if find_all else None
        return [str(built)] if find_all else str(built)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        built = build()
        if built is not None:
            storage = FileSystemStorage(location=str(built.parent))
            storage.prefix = PREFIX  # type: ignore[attr-defined]  # read by collectstatic
            yield STYLESHEET, storage
