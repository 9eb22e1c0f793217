"""The home page's proposal inbox: "awaiting my review" for a board member, "awaiting
decision" for a governance lead. Two queries (plus the user's scope, read once)."""

from __future__ import annotations

from typing import Any

from django import template

from ..proposals import selectors

register = template.Library()


@register.inclusion_tag("delegation/proposals/_inbox.html", takes_context=True)
def proposals_inbox(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {"review": [], "decision": []}
    return {
        "review": list(selectors.awaiting_review(user)[:50]),
        "decision": list(selectors.awaiting_decision(user)[:50]),
    }
