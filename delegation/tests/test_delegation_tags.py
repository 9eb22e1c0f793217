"""The header's "decision map" link leads each persona to the map they may read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("username", ["icb.governance", "tht.office", "tht.board"])
def test_those_who_read_the_live_map_are_led_to_the_matrix(client_as, username):
    page = client_as(username).get("/").content.decode()
    assert 'href="/maps/nel/">NEL decision map' in page


def test_a_viewer_is_led_to_the_published_versions(client_as):
    page = client_as("viewer").get("/").content.decode()
    assert 'href="/maps/nel/versions/">NEL decision map' in page
    assert 'href="/maps/nel/">' not in page


def test_another_systems_lead_has_no_link_to_this_systems_map(client_as):
    page = client_as("sel.governance").get("/").content.decode()
    assert "NEL decision map" not in page
    assert 'href="/maps/sel/">SEL decision map' in page
