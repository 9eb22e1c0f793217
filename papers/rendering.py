"""A snapshot to HTML (the preview and the PDF's source) and HTML to a tagged A4 PDF.

WeasyPrint writes PDF/UA-1: a structure tree with headings, tables and figures tagged,
the document's title and language set. The fonts are the ones shipped in
``static/papers/fonts``, so a closed network renders the same PDF as any other.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static

STATIC = Path(settings.BASE_DIR) / "static" / "papers"
STYLESHEET = STATIC / "paper.css"
PDF_VARIANT = "pdf/ua-1"
_local = threading.local()


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page_count: int


def html_of(snap: dict[str, Any], *, for_browser: bool = False) -> str:
    return render_to_string(
        "papers/pdf/paper.html",
        {"s": snap, "stylesheet_url": static("papers/paper.css") if for_browser else ""},
    )


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def running_css(snap: dict[str, Any]) -> str:
    """The running header (meeting, date) and footer (classification, page x of y)."""
    cover = snap["cover"]
    box = 'font: 8.5pt "Paper Sans"; color: #425563;'
    return (
        "@page {"
        f" @top-left {{ content: {_css_string(cover['meeting_body_short'])}; {box} }}"
        f" @top-right {{ content: {_css_string(cover['meeting_date_display'])}; {box} }}"
        f" @bottom-left {{ content: {_css_string('Classification: ' + cover['classification'])};"
        f" {box} }}"
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}'
        " }"
    )


def _font_config():
    # One FontConfiguration per thread: loading the fonts is the slow part of a render.
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "fonts", None)
    if config is None:
        config = _local.fonts = FontConfiguration()
    return config


def render_pdf(snap: dict[str, Any]) -> Rendered:
    from weasyprint import CSS, HTML

    fonts = _font_config()
    stylesheets = [
        CSS(filename=str(STYLESHEET), font_config=fonts),
        CSS(string=running_css(snap), font_config=fonts),
    ]
    document = HTML(string=html_of(snap), base_url=str(STATIC) + "/").render(
        stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf=pdf, page_count=len(document.pages))
