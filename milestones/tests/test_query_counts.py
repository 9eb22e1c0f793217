"""The milestones table and the API list cost the same SQL queries on the demo and at
ten times its milestones."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse

_spec = importlib.util.spec_from_file_location(
    "bench_milestones", Path(__file__).resolve().parents[2] / "bench" / "bench_milestones.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.mark.parametrize("who", ["tht.office", "tht.board", "icb.governance"])
def test_same_queries_on_the_demo_and_at_10x(who, client_as, persona, tht_programme, tht):
    client = client_as(who)
    page = reverse("milestones:programme", args=[tht_programme.pk])
    api = f"/api/v1/milestones/?programme={tht_programme.pk}&page_size=500"
    sort_page = page + "?sort=overdue&status=underway"
    body_page = reverse("milestones:body", args=["nel", "tht"])
    timeline = reverse("milestones:timeline", args=[tht_programme.pk])
    urls = (page, api, sort_page, body_page, timeline)

    demo = tht_programme.milestones.count()
    for url in urls:
        bench.measure(client, url)  # warm the per-process caches (content types)
    small = {url: bench.measure(client, url) for url in urls}
    bench.add_milestones(
        count=9 * demo, programme=tht_programme, body=tht, lead=persona("tht.board")
    )
    large = {url: bench.measure(client, url) for url in urls}

    for url in urls:
        assert small[url][2] == 200 and large[url][2] == 200, url
        assert small[url][1] == large[url][1], (url, small[url][1], large[url][1])
    # The rows really are there: the test would catch a page that lists nothing.
    assert tht_programme.milestones.count() == 10 * demo
