"""Serving a built PDF: the checksum is checked first, the filename says what it is."""

from __future__ import annotations

import io
import re

from django.http import FileResponse, HttpResponse

from . import building
from .models import PaperVersion

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def short_body(name: str, short_name: str = "") -> str:
    return short_name or name.replace("Health and Wellbeing Board", "HWBB")


def filename_of(version: PaperVersion) -> str:
    """e.g. ``2026-12-10 Tower Hamlets HWBB - ICS update v2.pdf``."""
    paper = version.paper
    body = short_body(paper.meeting_body.name, paper.meeting_body.short_name)
    name = f"{paper.meeting_date:%Y-%m-%d} {body} - {paper.title} v{version.number}.pdf"
    return UNSAFE.sub(" ", name).strip()


def pdf_response(version: PaperVersion) -> HttpResponse:
    try:
        data = building.verify(version)
    except (building.BuildFailed, FileNotFoundError, OSError) as error:
        # A record that no longer matches its file is never served as if it did.
        return HttpResponse(
            f"{error}" if isinstance(error, building.BuildFailed) else "The file is missing.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=filename_of(version),
        content_type="application/pdf",
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-SHA256"] = version.sha256
    return response
