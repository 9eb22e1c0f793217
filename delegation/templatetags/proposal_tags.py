"""The home page's "what needs you" from the map's side: proposals awaiting a board
member's review or the governance lead's decision (two queries, plus the user's scope,
read once), and the conditions and delegations of the person's bodies that need
something done (``delegation.attention``)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import attention
from ..proposals import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def proposals_awaiting(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {"review": [], "decision": []}
    return {
        "review": list(selectors.awaiting_review(user)[:50]),
        "decision": list(selectors.awaiting_decision(user)[:50]),
    }


@register.simple_tag(takes_context=True)
def conditions_needing_you(context: dict[str, Any]) -> dict[str, Any]:
    """Conditions and delegations of the person's bodies that need something done."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"items": [], "reviews": []}
    found = attention.conditions_needing_attention(user)
    found["reviews"] = attention.entries_due_for_review(user)
    return found
