"""The bench scripts start: their production settings pass Django's own checks.

Benchmarks are run by hand, so nothing else would notice when a new required setting
(PORTAL_BASE_URL, say) stops them at the first line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

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
    assert cookie_header({}, "", "sessionid") == ""
    assert cookie_header({"x": {"sessionid": "abc"}}, "x", "sessionid") == "sessionid=abc"
