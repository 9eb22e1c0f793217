"""Small filters for the paper templates (PDF and preview)."""

from __future__ import annotations

import base64
from typing import Any

from django import template

register = template.Library()


@register.filter
def svg_data_uri(svg: str) -> str:
    """An inline SVG as an image source, so the PDF tags it as a figure with alt text."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@register.filter
def index(items: list[Any] | None, position: int) -> Any:
    try:
        return (items or [])[position]
    except (IndexError, TypeError):
        return ""
