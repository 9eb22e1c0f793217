"""The matrix: cells built in Python, the table cached and renewed by any map write."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegation import services
from delegation.matrix import cache_key
from delegation.models import DecisionRight, MapEntry
from delegation.tests import helpers as h
from governance import services as landscape_services


def _cell_of(html: str, entry: MapEntry) -> str:
    url = reverse("delegation:entry_detail", args=[entry.pk])
    match = re.search(rf'<a class="map-cell" href="{url}">.*?</a>', html, flags=re.S)
    assert match, f"no cell for entry {entry.pk}"
    return match.group(0)


def test_each_cell_says_the_decision_right_in_words(client_as):
    html = client_as("icb.governance").get(reverse("delegation:matrix", args=["nel"])).content
    html = html.decode()
    for entry in MapEntry.objects.filter(function__system__slug="nel", status="in_force"):
        words = {
            DecisionRight.DECIDES: "Decides",
            DecisionRight.RECOMMENDS: "Recommends",
            DecisionRight.CONSULTED: "Is consulted",
            DecisionRight.INFORMED: "Is informed",
        }[entry.decision_right]
        assert f'<strong class="map-right">{words}</strong>' in _cell_of(html, entry)


def test_column_headings_say_the_body_name_and_keep_the_abbreviation(client_as):
    tht = h.body("tht")
    html = client_as("tht.board").get(reverse("delegation:matrix", args=["nel"])).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert f">{tht.name}</a>" in head
    if tht.short_name:
        assert f'<abbr title="{tht.name}">{tht.short_name}</abbr>' in head


def test_the_next_request_after_an_edit_shows_it(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:matrix", args=["nel"])
    entry = h.in_force("F-01", "tht")
    first = client.get(url).content.decode()
    assert "Recommends" not in _cell_of(first, entry) or entry.decision_right == "recommends"
    new_right = (
        DecisionRight.RECOMMENDS
        if entry.decision_right != DecisionRight.RECOMMENDS
        else DecisionRight.DECIDES
    )
    services.map_entry_update(entry=entry, decision_right=new_right)
    after = client.get(url).content.decode()
    assert new_right.label in _cell_of(after, entry)
    assert _cell_of(after, entry) != _cell_of(first, entry)


def test_a_body_renamed_shows_on_the_next_request(client_as):
    client = client_as("tht.board")
    url = reverse("delegation:matrix", args=["nel"])
    client.get(url)
    landscape_services.body_update(body=h.body("tht"), name="Tower Hamlets Together (renamed)")
    assert "Tower Hamlets Together (renamed)" in client.get(url).content.decode()


def test_an_import_shows_on_the_next_request(client_as, persona):
    """Bulk writes send no signals; the import's service moves the revision itself."""
    client = client_as("icb.governance")
    url = reverse("delegation:matrix", args=["nel"])
    before = client.get(url).content.decode()
    template = h.in_force("F-01", "tht")
    body = template.receiving_body
    # A function of NEL with nothing delegated to THT yet.
    function = h.nel().functions.exclude(entries__receiving_body=body).first()
    [new] = services.map_entries_bulk_create(
        entries=[
            MapEntry(
                function=function,
                level=template.level,
                receiving_body=body,
                governance_form=template.governance_form,
                decision_right=DecisionRight.INFORMED,
                effective_from=template.effective_from,
                status="in_force",
            )
        ]
    )
    after = client.get(url).content.decode()
    assert reverse("delegation:entry_detail", args=[new.pk]) not in before
    assert "Is informed" in _cell_of(after, new)


def test_a_second_request_is_served_from_the_cache(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:matrix", args=["nel"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "delegation_mapentry" not in sql


def test_viewers_with_different_scopes_get_different_tables(persona, rf):
    """An unpublished body seen by its own office is not in another office's table."""
    system = h.nel()
    keys = {
        who: cache_key(persona(who), system, {"group": "", "body_kind": "", "status": ""})
        for who in ("icb.governance", "tht.office", "newham.office", "tht.board")
    }
    assert (
        keys["icb.governance"] != keys["newham.office"]
        or not system.bodies.filter(is_published=False).exists()
    )
    # Same scope, same table.
    assert cache_key(persona("tht.office"), system, {"status": "in_force"}) == cache_key(
        persona("tht.office"), system, {"status": "in_force"}
    )
