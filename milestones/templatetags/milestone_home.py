"""The home page's milestones: what is overdue or due soon in the bodies the person
works for, or, for a reader who works for none, how the programmes are going. A tag,
so the landscape app's home page does not import this app."""

from __future__ import annotations

from typing import Any

from django import template

from governance import permissions as landscape
from ics_portal.policy import Action

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def milestones_needing_you(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    works_for_a_body = bool(
        landscape.body_system_ids(user, Action.ACT_AS_PROGRAMME_OFFICE)
        | landscape.body_system_ids(user, Action.ACT_AS_BOARD_MEMBER)
    )
    found = selectors.needing_attention(user)
    found["works_for_a_body"] = works_for_a_body
    if not works_for_a_body:
        found["summary"] = selectors.overdue_summary(user)
    return found
