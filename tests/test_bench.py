"""The bench scripts start: their production settings pass Django's own checks.

Benchmarks are run by hand, so nothing else would notice when a new required setting
(PORTAL_BASE_URL, say) stops them at the first line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from bench.load import ROOT, production_env


def test_the_load_benchmark_settings_start_the_portal_in_production_mode():
    env = production_env(argparse.Namespace(port=8190))
    env.pop("DATABASE_URL", None)  # the checks need no database
    # Set in this process by pytest-playwright for its browser tests; a deploy never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert env["DJANGO_ENV"] == "production" and env["DEBUG"] == "0"


def test_every_page_of_the_load_benchmark_answers_its_persona(db, client):
    """Each row of bench/load.py (the scale's rows too) is a page that answers 200 to its
    persona, and the anonymous row is sent with no cookie: a typo in a path, or a page
    moved, would otherwise show only as 'skipped' in a report nobody asserts on."""
    from django.contrib.auth import get_user_model

    from bench.load import cookie_header, pages
    from bench.make_big_system import make_big_system

    users = get_user_model().objects
    make_big_system(scale=1, slug="big1", lead=users.get(username="icb.governance"))
    rows = pages(1)
    assert {label for label, _p, _path in rows} >= {"proposal page 1x", "paper page 1x"}
    for label, persona, path in rows:
        client.logout()
        if persona:
            client.force_login(users.get(username=persona))
        assert client.get(path).status_code == 200, label
    assert cookie_header({}, "") == ""
    browser = {"x": {"sessionid": "abc", "csrftoken": "def"}}
    assert cookie_header(browser, "x") == "sessionid=abc; csrftoken=def"


@pytest.mark.page_cache
def test_every_page_of_the_load_benchmark_built_afresh_costs_at_most_ten_queries(
    db, client, monkeypatch
):
    """As production serves them: the person's scope kept until a write (a request runs
    outside the transaction a test runs in), and the page built afresh (a hard reload).
    The session, the user and the data revision, then the page's own."""
    from django.contrib.auth import get_user_model

    from bench.load import pages
    from bench.make_big_system import make_big_system
    from delegation.tests.helpers import queries_of
    from ics_portal import revision

    monkeypatch.setattr(revision, "in_transaction", lambda: False)
    users = get_user_model().objects
    make_big_system(scale=1, slug="big1", lead=users.get(username="icb.governance"))
    for label, persona, path in pages(1):
        if not persona:
            continue
        client.force_login(users.get(username=persona))
        client.get(path)  # the scope is read once after a write, then kept
        count = queries_of(client, path, headers={"Cache-Control": "no-cache"})
        assert count <= 10, f"{label}: {count} queries"
