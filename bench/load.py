"""Load benchmark: gunicorn with production settings on the current database, driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ics_speed .venv/bin/python bench/load.py
    make bench-load                          # the same, with DATABASE_URL from the environment

For the floor (``/healthz/live``) and each main page, at 1x (the NEL demo) and at the
chosen scale (a synthetic system from ``make_big_system``, made if missing), it runs
``wrk`` for a few seconds at a fixed concurrency, right after a floor run in the same
round, and prints requests per second, p50 and p95 latency and the page's share of the
floor, twice: as a person re-reading the page gets it (kept by ``ics_portal.page_cache``)
and as the first reader after a write does (``Cache-Control: no-cache`` on every
request, so every one is built afresh). Everything runs on 127.0.0.1; each run is
bounded by ``--duration``.

Personas sign in by a session made in this process (the production session store,
shared with gunicorn through the database or Redis), as the test client does, and send
a CSRF cookie as a browser does after its first page.
``wrk`` is the Debian package of that name: installed here when missing and allowed
(root), otherwise the script says how. Figures are for comparing runs on one machine,
not targets asserted by tests (GUIDE: speed goals live in bench/ scripts).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%d p95=%d requests=%d non2xx=%d errors=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    bad: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (Debian package)…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: sudo apt-get install wrk")
    return found


def production_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ics_portal.settings",
            "DJANGO_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{args.port}",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{args.port}",
            "SECURE_SSL_REDIRECT": "0",
            # The API's rate limit per person (1,200 a minute) is met within seconds
            # by wrk: the benchmark measures the lists, not the limit. DRF's throttle
            # keeps a timestamp per call over its window and reads and writes the whole
            # list on every call: over a minute at wrk's rate that is tens of thousands
            # (about 1 ms a call), where production's limit stops at 1,200. A window of
            # one second keeps the list as short as production's longest.
            "API_THROTTLE_USER": "1000000/second",
        }
    )
    return env


def prepare(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """Demo and Nx data present; a session cookie per persona."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    from bench.make_big_system import make_big_system
    from governance.models import IntegratedCareSystem

    if args.migrate:
        call_command("migrate", verbosity=0)
    if not Path(settings.STATIC_ROOT).is_dir():
        # As a deploy does: production serves the collected files (whitenoise).
        call_command("collectstatic", interactive=False, verbosity=0)
    if not IntegratedCareSystem.objects.filter(slug="nel").exists():
        print("Loading the demo…", flush=True)
        # A benchmark database is a demo site by definition: it holds nothing real.
        call_command("load_demo", verbosity=0, allow_production=True)
    users = get_user_model().objects
    slug = f"big{args.scale}"
    if not IntegratedCareSystem.objects.filter(slug=slug).exists():
        print(f"Making the {args.scale}x system ({slug})…", flush=True)
        make_big_system(scale=args.scale, slug=slug, lead=users.get(username="icb.governance"))
    cookies = {}
    for username in ("icb.governance", "tht.office"):
        client = Client()
        client.force_login(users.get(username=username))
        # A browser holds its CSRF cookie from its first page on; without one every
        # request would be a first visit, given a new secret and a new page.
        csrf = RequestFactory().get("/")
        get_token(csrf)
        cookies[username] = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: csrf.META["CSRF_COOKIE"],
        }
    return cookies


def pages(scale: int) -> list[tuple[str, str, str]]:
    """(label, persona, path) for each main page at 1x and at the scale. The first row is
    the anonymous sign-in page: the cost of a page of this app with no data, beside the
    health floor's cost of no page at all."""
    from delegation.models import Proposal
    from milestones.models import Programme
    from papers.models import Paper

    big = f"big{scale}"
    tht = Programme.objects.get(body__system__slug="nel", body__slug="tht").pk
    big_programme = Programme.objects.filter(body__system__slug=big).first()
    lead = "icb.governance"
    rows = [("sign-in page (anonymous)", "", "/accounts/login/")]
    proposal = Proposal.objects.filter(body__system__slug="nel").order_by("pk").first()
    paper = Paper.objects.filter(system__slug="nel").order_by("pk").first()
    for size, system, body, programme in (
        ("1x", "nel", "tht", tht),
        (f"{scale}x", big, "place-0", big_programme.pk if big_programme else None),
    ):
        rows += [
            (f"matrix {size}", lead, f"/maps/{system}/"),
            (f"entries {size}", lead, f"/maps/{system}/entries/"),
            (f"body delegations {size}", lead, f"/maps/{system}/bodies/{body}/"),
            (f"conditions {size}", lead, f"/maps/{system}/conditions/"),
            (f"landscape {size}", lead, f"/systems/{system}/"),
            (f"body page {size}", lead, f"/systems/{system}/bodies/{body}/"),
            (f"API map-entries {size}", lead, f"/api/v1/map-entries/?system={system}"),
        ]
        if size == "1x":
            # The demo's own: the big system has no proposals or papers.
            rows += (
                [(f"proposal page {size}", lead, f"/proposal/{proposal.pk}/")] if proposal else []
            )
            rows += [(f"paper page {size}", lead, f"/papers/{paper.pk}/")] if paper else []
        if programme:
            rows += [
                (f"milestones table {size}", lead, f"/milestones/programmes/{programme}/"),
                (f"timeline {size}", lead, f"/milestones/programmes/{programme}/timeline/"),
                (
                    f"API milestones {size}",
                    lead,
                    f"/api/v1/milestones/?programme={programme}&page_size=500",
                ),
            ]
    return rows


def cookie_header(cookies: dict[str, dict[str, str]], persona: str) -> str:
    """The Cookie header of a persona's browser; none for an anonymous page."""
    return "; ".join(f"{name}={value}" for name, value in cookies.get(persona, {}).items())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect to sign-in must show as 302, not as the login page's 200


def fetch_status(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(
    wrk: str, args: argparse.Namespace, url: str, cookie: str, lua: str, *, fresh: bool = False
) -> Result:
    """``fresh``: every request asks for the page built afresh (``Cache-Control:
    no-cache``, as a hard reload does), so none is served from the page cache."""
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-s",
        lua,
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if fresh:
        command[1:1] = ["-H", "Cache-Control: no-cache"]
    out = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 30, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    stats = dict(re.findall(r"(\w+)=(\d+)", out.split("BENCH", 1)[1]))
    return Result(
        rps=rps,
        p50_ms=int(stats["p50"]) / 1000,
        p95_ms=int(stats["p95"]) / 1000,
        bad=int(stats["non2xx"]) + int(stats["errors"]),
    )


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz/live", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz/live")


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn on ``args.port`` in its own session (so stopping it stops its workers)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ics_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def measure_page(
    wrk: str, args: argparse.Namespace, base: str, path: str, cookie: str, lua: str
) -> str:
    """Median req/s, p50, p95 and the share of the health floor, as a report's columns:
    first as people re-reading a page get it (kept by ics_portal.page_cache), then as
    the first reader after a write does (built afresh on every request)."""
    # Every worker builds its templates and caches before the measured runs.
    warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
    run_wrk(wrk, warm, base + path, cookie, lua)
    floors, kept, fresh = [], [], []
    for _ in range(args.rounds):
        # Let the workers drain the last run's queue, or the floor waits behind it.
        time.sleep(args.pause)
        wait_for(base)
        floors.append(run_wrk(wrk, args, base + "/healthz/live", "", lua))
        kept.append(run_wrk(wrk, args, base + path, cookie, lua))
        fresh.append(run_wrk(wrk, args, base + path, cookie, lua, fresh=True))
    floor = statistics.median(r.rps for r in floors)
    columns = []
    for runs in (kept, fresh):
        rps = statistics.median(r.rps for r in runs)
        p50 = statistics.median(r.p50_ms for r in runs)
        p95 = statistics.median(r.p95_ms for r in runs)
        share = 100 * rps / floor if floor else 0
        columns.append(f"{rps:>9.1f}{p50:>8.0f}{p95:>8.0f}{share:>7.1f}%")
    bad = sum(r.bad for r in kept + fresh)
    note = f"  ({bad} non-2xx/errors)" if bad else ""
    return "".join(columns) + f"{floor:>9.0f}{note}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--rounds", type=int, default=1, help="medians over this many")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each page")
    parser.add_argument("--pause", type=float, default=3, help="seconds between runs")
    parser.add_argument("--only", default="", help="run only pages whose label has this")
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to benchmark (PostgreSQL, say).")

    sys.path.insert(0, str(ROOT))
    env = production_env(args)
    os.environ.update(env)
    wrk = ensure_wrk()
    cookies = prepare(args)
    from django.conf import settings

    wanted = [p for p in pages(args.scale) if args.only in p[0]]
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args, env)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(LUA)
        lua = handle.name
    try:
        wait_for(base)
        print(
            f"gunicorn {args.workers} workers, production settings, "
            f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; wrk "
            f"-t{args.threads} -c{args.connections} -d{args.duration}s, "
            f"{args.rounds} round(s), medians\n"
        )
        print(
            f"{'':<33}{'-- kept (re-read) --':^32}{'-- built afresh ---':^32}\n"
            f"{'page':<26}{'status':>7}"
            + f"{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'floor':>8}" * 2
            + f"{'floor/s':>9}"
        )
        for label, persona, path in wanted:
            cookie = cookie_header(cookies, persona)
            status = fetch_status(base, path, cookie)
            if status != 200:
                print(f"{label:<26}{status:>7}  skipped: not a 200", flush=True)
                continue
            columns = measure_page(wrk, args, base, path, cookie, lua)
            print(f"{label:<26}{status:>7}{columns}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(lua)


if __name__ == "__main__":
    main()
