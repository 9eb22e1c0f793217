from __future__ import annotations

import functools
import io

import pytest
from django.core.files.storage import default_storage

from papers.demo import EARLIER_TITLE, TITLE
from papers.models import Paper, PaperVersion


@pytest.fixture
def draft(db) -> Paper:
    return Paper.objects.get(author_body__slug="tht", title=TITLE)


@pytest.fixture
def published(db) -> Paper:
    return Paper.objects.get(author_body__slug="tht", title=EARLIER_TITLE)


def pdf_bytes(version: PaperVersion) -> bytes:
    with default_storage.open(version.file.name, "rb") as handle:
        return handle.read()


@functools.lru_cache(maxsize=8)
def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (read once per file: the tests share it)."""
    return " ".join(_text(data).split())


@pytest.fixture
def built(draft) -> tuple[PaperVersion, bytes]:
    """The demo draft's v1, built once when the test database was set up."""
    version = draft.versions.get(number=1)
    return version, pdf_bytes(version)
