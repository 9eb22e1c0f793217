"""The home page shows each person what needs them: milestones of their bodies that
are overdue or due soon, conditions not yet met, delegations due for review and
proposals awaiting them. Never another body's, and only links they may follow."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from delegation.models import Condition, EntryStatus, MapEntry
from governance.models import Body
from milestones.models import Milestone, Programme

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "bench_milestones", Path(__file__).resolve().parents[2] / "bench" / "bench_milestones.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _needs(client) -> str:
    response = client.get(reverse("governance:home"))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<section aria-labelledby="needs-you">')
    return html[start : html.index("</section>", start)]


def _open_conditions(slug: str) -> list[Condition]:
    return list(
        Condition.objects.filter(owner_body__slug=slug, removed_at__isnull=True)
        .exclude(map_entry__status__in=[EntryStatus.SUPERSEDED, EntryStatus.REVOKED])
        .exclude(assessments__kind="assured", assessments__status="met")
    )


def _overdue_milestone(slug: str) -> Milestone:
    today = timezone.localdate()
    found = (
        Milestone.objects.filter(owner_body__slug=slug, due_date__lt=today)
        .exclude(status__in=["complete", "cancelled"])
        .first()
    )
    if found is None:  # a body with no late work in the demo: give it some
        body = Body.objects.get(system__slug="nel", slug=slug)
        programme = Programme.objects.filter(body=body).first() or Programme.objects.create(
            body=body, name=f"{body.name} programme"
        )
        found = Milestone.objects.create(
            programme=programme,
            owner_body=body,
            title=f"Late work of {body.name}",
            due_date=today - dt.timedelta(days=3),
        )
    return found


def test_the_programme_office_sees_its_own_bodys_work_and_the_way_to_it(client_as):
    late = _overdue_milestone("tht")
    html = _needs(client_as("tht.office"))
    assert "What needs you" in html
    assert reverse("milestones:detail", args=[late.pk]) in html
    conditions = _open_conditions("tht")
    assert conditions
    for condition in conditions[:10]:
        assert reverse("delegation:condition_detail", args=[condition.pk]) in html
    # Its office records its self-assessment; only the ICB assures.
    assert "Self-assess" in html
    assert reverse("delegation:condition_assure", args=[conditions[0].pk]) not in html


def test_another_places_office_sees_its_own_and_none_of_tower_hamlets(client_as):
    tht_late = _overdue_milestone("tht")
    newham_late = _overdue_milestone("newham")
    html = _needs(client_as("newham.office"))
    assert reverse("milestones:detail", args=[newham_late.pk]) in html
    assert reverse("milestones:detail", args=[tht_late.pk]) not in html
    assert tht_late.title not in html
    for condition in _open_conditions("tht"):
        assert reverse("delegation:condition_detail", args=[condition.pk]) not in html
    newham = _open_conditions("newham")
    assert newham
    assert reverse("delegation:condition_detail", args=[newham[0].pk]) in html
    assert "THT" not in html and "Tower Hamlets" not in html


def test_the_viewer_reads_a_summary_and_is_offered_nothing_to_do(client_as):
    html = _needs(client_as("viewer"))
    assert "At a glance" in html
    assert "nothing here waits for you" in html
    assert re.search(r"Across the \d+ milestones you can see, \d+ (is|are) overdue", html)
    for word in ("Self-assess", "Assure", "/conditions/"):
        assert word not in html
    assert not re.search(r"/milestones/\d+/", html)


def test_the_governance_lead_is_asked_to_assure_what_was_self_assessed(client_as):
    html = _needs(client_as("icb.governance"))
    assert "awaiting the ICB&#x27;s assurance" in html or "awaiting the ICB's assurance" in html
    assert "/assure/" in html
    assert "Self-assess" not in html


def test_a_board_member_sees_the_proposals_awaiting_their_review(client_as):
    html = _needs(client_as("tht.board"))
    assert "Proposals awaiting your review" in html
    # A board member reads the conditions; acting on them is the office's and the ICB's.
    assert "/assess/" not in html and "/assure/" not in html


def test_a_delegation_due_for_review_is_listed_for_its_body(client_as):
    entry = MapEntry.objects.filter(receiving_body__slug="tht", status=EntryStatus.IN_FORCE).first()
    MapEntry.objects.filter(pk=entry.pk).update(
        review_by=timezone.localdate() + dt.timedelta(days=10)
    )
    link = reverse("delegation:entry_detail", args=[entry.pk])
    assert link in _needs(client_as("tht.office"))
    assert link not in _needs(client_as("newham.office"))


@pytest.mark.parametrize(
    "who", ["tht.office", "tht.board", "newham.office", "icb.governance", "viewer"]
)
def test_every_link_in_what_needs_you_opens_for_that_person(who, client_as):
    _overdue_milestone("tht")
    client = client_as(who)
    links = re.findall(r'href="([^"]+)"', _needs(client))
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("who", ["tht.office", "icb.governance", "viewer"])
def test_the_home_page_costs_the_same_queries_at_ten_times_the_data(who, client_as, persona):
    client = client_as(who)
    tht = Body.objects.get(system__slug="nel", slug="tht")
    programme = Programme.objects.get(body=tht)
    url = reverse("governance:home")
    bench.measure(client, url)  # warm the per-process caches
    small = bench.measure(client, url)

    demo = programme.milestones.count()
    bench.add_milestones(count=9 * demo, programme=programme, body=tht, lead=persona("tht.board"))
    conditions = list(Condition.objects.filter(owner_body=tht, removed_at__isnull=True))
    Condition.objects.bulk_create(
        [
            Condition(
                map_entry=c.map_entry,
                category=c.category,
                requirement=f"{c.requirement} ({n})",
                owner_body=tht,
                due_date=timezone.localdate() + dt.timedelta(days=n),
            )
            for n in range(9)
            for c in conditions
        ]
    )
    large = bench.measure(client, url)
    assert small[2] == large[2] == 200
    assert small[1] == large[1], (small[1], large[1])
    assert programme.milestones.count() == 10 * demo
