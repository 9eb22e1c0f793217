"""Emails about proposals: to the body's board when review opens, to the governance
lead when the board has recommended, to the proposing office when decided.

Each email belongs to one logged transition. ``send`` claims a ``NoticeSent`` row for
it before sending, in the same transaction, so a retried or repeated task (or a second
worker) finds the claim and sends nothing; if sending fails the claim rolls back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from governance.models import Role

from ..models import NoticeSent, ProposalTransition


def _emails(**role_filter: object) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__revoked_at__isnull=True,
            **{f"role_assignments__{k}": v for k, v in role_filter.items()},
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    return list(users.values_list("email", flat=True))


def recipients(entry: ProposalTransition) -> list[str]:
    proposal = entry.proposal
    if entry.name in ("open_review", "refresh"):
        return _emails(body=proposal.body, role=Role.BOARD_MEMBER)
    if entry.name == "recommend":
        return _emails(system=proposal.system, role=Role.GOVERNANCE_LEAD)
    if entry.name == "decide":
        return _emails(body=proposal.body, role=Role.PROGRAMME_OFFICE)
    return []


def compose(entry: ProposalTransition) -> tuple[str, str]:
    p = entry.proposal
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    link = f"{base}{reverse('delegation:proposal_detail', args=[p.pk])}"
    if entry.name in ("open_review", "refresh"):
        closes = f" by {p.review_closes_on:%-d %B %Y}" if p.review_closes_on else ""
        subject = f"For your review: {p.reference} {p.title}"
        text = (
            f"{p.body} asks the ICB to change the decision map: {p.title}.\n\n"
            f"As a member of its board, please read each item, comment, and record your "
            f"position{closes}.\n\n{link}\n"
        )
    elif entry.name == "recommend":
        subject = f"Awaiting decision: {p.reference} {p.title}"
        text = f"{p.body}'s board has made its recommendation on {p.reference}.\n\n{link}\n"
    else:
        subject = f"Decided: {p.reference} {p.title} — {p.get_outcome_display().lower()}"
        text = f"The ICB has decided {p.reference}. {entry.note}\n\n{link}\n"
    return subject, text + "\nYou receive this because of your role in the ICS portal.\n"


def send(transition_id: int) -> int:
    """Send the transition's email unless it went already; returns emails sent (0/1)."""
    entry = (
        ProposalTransition.objects.select_related("proposal__body", "proposal__system")
        .filter(pk=transition_id)
        .first()
    )
    if entry is None:
        return 0
    to = recipients(entry)
    if not to:
        return 0
    with transaction.atomic():
        _, created = NoticeSent.objects.get_or_create(
            transition=entry, defaults={"event": entry.name, "recipients": len(to)}
        )
        if not created:
            return 0
        subject, text = compose(entry)
        EmailMessage(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
        ).send()
    return 1
