"""The morning digest: each body's programme office hears of its overdue milestones
and those due within 14 days. Sent at most once per body per day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, Role
from ics_portal.quarters import quarter_label

from .models import CLOSED_STATUSES, DigestSent, Milestone

DUE_SOON_DAYS = 14


def _office_emails(body: Body) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__body=body,
            role_assignments__role=Role.PROGRAMME_OFFICE,
            role_assignments__revoked_at__isnull=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    return list(users.values_list("email", flat=True))


def _line(m: Milestone, today: dt.date) -> str:
    late = (today - m.due_date).days
    when = f"{late} day{'s' if late != 1 else ''} overdue" if late > 0 else "due"
    lead = f", lead {m.lead_display}" if m.lead_display else ""
    return (
        f"- {m.title} — {when} {m.due_date:%-d %b %Y} ({quarter_label(m.due_date)}), "
        f"{m.get_status_display().lower()}, {m.progress}%{lead}\n"
        f"  {settings_base_url()}{reverse('milestones:detail', args=[m.pk])}"
    )


def settings_base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def compose(body: Body, milestones: list[Milestone], today: dt.date) -> tuple[str, str]:
    overdue = [m for m in milestones if m.due_date < today]
    soon = [m for m in milestones if m.due_date >= today]
    subject = (
        f"{body.short_name or body.name} milestones: {len(overdue)} overdue, "
        f"{len(soon)} due within {DUE_SOON_DAYS} days"
    )
    parts = [f"Milestones owned by {body.name}, as of {today:%-d %B %Y}.\n"]
    if overdue:
        parts.append("Overdue:\n" + "\n".join(_line(m, today) for m in overdue) + "\n")
    if soon:
        parts.append(
            f"Due in the next {DUE_SOON_DAYS} days:\n"
            + "\n".join(_line(m, today) for m in soon)
            + "\n"
        )
    parts.append("You receive this as the body's programme office in the ICS portal.")
    return subject, "\n".join(parts)


def send_digests(*, today: dt.date | None = None) -> int:
    """Send today's digests not yet sent; returns how many emails went out."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due = (
        Milestone.objects.filter(due_date__lte=horizon)
        .exclude(status__in=sorted(CLOSED_STATUSES))
        .exclude(owner_body__in=DigestSent.objects.filter(date=today).values("body"))
        .select_related("owner_body", "lead_user")
        .order_by("owner_body_id", "due_date", "title")
    )
    by_body: dict[int, list[Milestone]] = defaultdict(list)
    bodies: dict[int, Body] = {}
    for m in due:
        by_body[m.owner_body_id].append(m)
        bodies[m.owner_body_id] = m.owner_body
    sent = 0
    for body_id, milestones in by_body.items():
        body = bodies[body_id]
        recipients = _office_emails(body)
        if not recipients:
            continue
        with transaction.atomic():
            # Claim the (body, day) first: a second run, even a concurrent one, finds
            # the row and sends nothing; if sending fails the claim is rolled back.
            _, created = DigestSent.objects.get_or_create(
                body=body,
                date=today,
                defaults={"recipients": len(recipients), "milestones": len(milestones)},
            )
            if not created:
                continue
            subject, text = compose(body, milestones, today)
            EmailMessage(
                subject=subject,
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=recipients,
            ).send()
            sent += 1
    return sent
