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
