"""The landscape diagram and the tree of the accessible list."""

from __future__ import annotations

import re

import pytest

from governance import diagram
from governance.models import Body, BodyKind, IntegratedCareSystem

pytestmark = pytest.mark.django_db


def _nel_bodies() -> tuple[IntegratedCareSystem, list[Body]]:
    nel = IntegratedCareSystem.objects.get(slug="nel")
    return nel, list(nel.bodies.select_related("parent", "accountable_to"))


def test_every_structural_body_gets_a_box_and_subgroups_are_counted():
    nel, bodies = _nel_bodies()
    svg = str(diagram.landscape_svg(nel, bodies))
    drawn = [b for b in bodies if b.kind != BodyKind.COMMITTEE]
    boxes = svg.count("<rect ")
    assert boxes == len(drawn) + 1  # + the system itself
    tht = next(b for b in bodies if b.slug == "tht")
    subgroups = sum(1 for b in bodies if b.parent_id == tht.pk and b.kind == BodyKind.COMMITTEE)
    assert f"{subgroups} subgroups" in svg


def test_accountability_lines_are_dashed_one_per_place_with_a_hwbb():
    nel, bodies = _nel_bodies()
    svg = str(diagram.landscape_svg(nel, bodies))
    places = [
        b
        for b in bodies
        if b.kind == BodyKind.PLACE_PARTNERSHIP and b.accountable_to_id is not None
    ]
    dashed_paths = re.findall(r'<path [^>]*stroke-dasharray="6 4"', svg)
    assert len(dashed_paths) == len(places)


def test_names_are_escaped():
    nel, bodies = _nel_bodies()
    icb = next(b for b in bodies if b.slug == "icb")
    icb.short_name = "<script>"
    icb.name = "A <b>board</b> & co with a very long name that needs its short name"
    svg = str(diagram.landscape_svg(nel, bodies))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_tree_nests_by_parent_and_promotes_orphans_of_hidden_parents():
    _nel, bodies = _nel_bodies()
    hidden = next(b for b in bodies if b.slug == "wel")
    visible = [b for b in bodies if b.pk != hidden.pk]
    roots = diagram.body_tree(visible)
    root_slugs = {node.body.slug for node in roots}
    # WEL's places lose their parent in this view, so they stand at the top.
    assert {"tht", "newham"} <= root_slugs
    icb = next(node for node in roots if node.body.slug == "icb")
    assert "bhr" in {child.body.slug for child in icb.children}
    assert sum(1 for _ in _walk(roots)) == len(visible)


def test_tree_only_names_an_accountable_body_the_user_may_see():
    _nel, bodies = _nel_bodies()
    hwbb = next(b for b in bodies if b.slug.startswith("tower-hamlets") and b.kind == "hwbb")
    without = [b for b in bodies if b.pk != hwbb.pk]
    tht = next(node for node in _walk(diagram.body_tree(without)) if node.body.slug == "tht")
    assert tht.accountable_to is None
    tht = next(node for node in _walk(diagram.body_tree(bodies)) if node.body.slug == "tht")
    assert tht.accountable_to == hwbb


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def test_a_place_answering_to_two_councils_boards_has_a_line_to_each():
    from governance.selectors import also_accountable

    nel, bodies = _nel_bodies()
    also = also_accountable(bodies)
    city_and_hackney = next(b for b in bodies if b.slug == "city-and-hackney")
    assert [b.slug for b in also[city_and_hackney.pk]] == ["city-of-london-hwbb"]
    # No other place gains a board: each has only its own council's seat.
    assert list(also) == [city_and_hackney.pk]
    without = str(diagram.landscape_svg(nel, bodies))
    svg = str(diagram.landscape_svg(nel, bodies, also))
    dashed = re.compile(r'<path [^>]*stroke-dasharray="6 4"')
    # Three dashed segments run down the gap beside the column to the second board.
    assert len(dashed.findall(svg)) == len(dashed.findall(without)) + 3

    # The second board sits in the place's column under the first, not loose at the foot.
    def box_of(name_start: str) -> tuple[int, int]:
        at = svg.index(f">{name_start}")
        x, y = re.findall(r'<rect x="(\d+)" y="(\d+)"', svg[:at])[-1]
        return int(x), int(y)

    (hx, hy), (cx, cy) = box_of("Hackney Health"), box_of("City of London Health")
    assert cx == hx and cy > hy


def test_pcn_names_are_drawn_whole():
    nel, bodies = _nel_bodies()
    svg = str(diagram.landscape_svg(nel, bodies))
    texts = "".join(re.findall(r'class="lsd-note"[^>]*>([^<]*)<', svg)).replace(" ", "")
    for pcn in (b for b in bodies if b.kind == BodyKind.PCN):
        assert pcn.name.replace(" ", "") in texts, pcn.name
    assert "…" not in texts
