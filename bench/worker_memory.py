"""Worker memory under a long run: one gunicorn worker's RSS as the requests add up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ics_speed .venv/bin/python bench/worker_memory.py
    ... --requests 100000                    # issue 13's figure (takes a while)

Starts gunicorn with production settings and ONE worker (so every request lands in the
process measured), then drives a mix of the main pages and API lists with ``wrk`` in
turn until ``--requests`` have been served, printing the worker's resident memory after
each stretch. A leak shows as a line that keeps climbing; a healthy worker levels off
after its caches fill. Issue 13's target: under 150 MB after 100,000 requests.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    LUA,
    cookie_header,
    ensure_wrk,
    pages,
    prepare,
    production_env,
    run_wrk,
    wait_for,
)
from tests.workers import pool_children  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from Linux's /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def the_worker(master: subprocess.Popen) -> int:
    children = pool_children(master)  # a prefork master's children, as for Celery's
    if len(children) != 1:
        sys.exit(f"expected one gunicorn worker, found {children}")
    return children[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--stretch", type=int, default=5, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to benchmark (PostgreSQL, say).")
    os.environ.update(production_env(args))
    wrk = ensure_wrk()
    cookies = prepare(args)
    mix = [(path, cookie_header(cookies, persona)) for _, persona, path in pages(args.scale)]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ics_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        start_new_session=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(LUA)
        lua = handle.name
    run = argparse.Namespace(**{**vars(args), "duration": args.stretch})
    try:
        wait_for(base)
        worker = the_worker(server)
        print(f"one gunicorn worker, production settings; {len(mix)} pages in turn\n")
        print(f"{'requests':>10}{'RSS MB':>10}")
        print(f"{0:>10}{rss_mb(worker):>10.1f}", flush=True)
        served = 0
        while served < args.requests:
            for path, cookie in mix:
                served += round(run_wrk(wrk, run, base + path, cookie, lua).rps * args.stretch)
            print(f"{served:>10}{rss_mb(worker):>10.1f}", flush=True)
        print("\nTarget (issue 13): under 150 MB after 100,000 requests.")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(lua)


if __name__ == "__main__":
    main()
