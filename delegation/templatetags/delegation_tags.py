from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """£1,234,567 — pence only when there are any."""
    if value in (None, ""):
        return "—"
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


@register.filter
def budget(value: Any) -> str:
    """A delegated budget: "not recorded" when nobody recorded one (never £0)."""
    return "not recorded" if value in (None, "") else money(value)


def _choice_labels() -> dict[str, dict[str, str]]:
    from delegation.models import DecisionRight, EntryStatus, Level
    from governance.models import BodyKind, GovernanceForm

    return {
        "level": dict(Level.choices),
        "governance_form": dict(GovernanceForm.choices),
        "decision_right": dict(DecisionRight.choices),
        "status": dict(EntryStatus.choices),
        "receiving_body_kind": dict(BodyKind.choices),
    }


@register.filter
def choice_label(value: Any, name: str) -> str:
    """A stored code as the words people use: ``joint_committee`` → "Joint committee"."""
    if value in (None, ""):
        return ""
    return str(_choice_labels().get(name, {}).get(value, value))


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""


@register.filter
def field_label(name: str) -> str:
    """``delegated_budget`` → "Delegated budget"."""
    return str(name).replace("_", " ").capitalize()


@register.filter
def diff_value(value: Any, name: str) -> str:
    """A value of a diffed field as a reader wants it: money as £, dates as dates."""
    if name == "delegated_budget":
        return budget(value)
    if value in (None, ""):
        return "—"
    if name == "financial_limit":
        return money(value)
    if name in _choice_labels():
        return choice_label(value, name)
    if name in ("effective_from", "review_by"):
        import datetime as dt

        return f"{dt.date.fromisoformat(value):%-d %b %Y}"
    if name == "conditions":
        from delegation.spreadsheets import conditions_summary

        return conditions_summary(value) or "none"
    return str(value).replace("_", " ")


IMPORT_DONE = {"create": "created", "change": "changed", "revoke": "revoked"}


@register.filter
def import_action(action: str) -> str:
    """An import's action as done: "create" → "created"."""
    return IMPORT_DONE.get(action, action)


@register.filter
def number(value: Any) -> str:
    """12345 → "12,345"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag(takes_context=True)
def may_read_live_map(context: template.Context, system: Any) -> bool:
    """Whether the signed-in person may open the live map's pages (a link to one that
    answers 403 is a dead end: show it only to those who may follow it)."""
    from delegation import permissions

    request = context.get("request")
    return permissions.may_read_live_map(getattr(request, "user", None), system)


@register.simple_tag(takes_context=True)
def decision_map_url(context: template.Context, system: Any) -> str:
    """Where "decision map" leads: the live matrix for those who may read it, the
    published versions for the rest (viewers read published versions only)."""
    from django.urls import reverse

    from delegation import permissions

    request = context.get("request")
    user = getattr(request, "user", None)
    live = permissions.may_read_live_map(user, system)
    return reverse("delegation:matrix" if live else "delegation:version_list", args=[system.slug])


@register.simple_tag
def condition_rows(conditions: Any, show_entry: bool = False) -> str:
    """A conditions table's rows, built in Python (see ``delegation.condition_rows``)."""
    from delegation.condition_rows import condition_rows as rows

    return rows(conditions, show_entry=bool(show_entry))
