"""Build time and peak memory of a ~20-page board paper on the 10x system, beside
WeasyPrint rendering the same HTML alone (targets: <= 3 s, <= 200 MiB, and <= 1.1x the
bare render).

The data is made once in a throwaway SQLite file; each kind of measurement then runs in
a fresh process (so peak memory is its own), warmed up by one small render first
(imports and fonts load once per worker process, not per build), and prints the best
of five runs. Nothing traces memory allocations while the clock runs: tracemalloc made
every figure several times slower than a worker's real build.

    .venv/bin/python bench/bench_papers.py
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time

# Each figure is the best of this many runs: on a shared 2-core machine one run alone
# varies by a third; the fastest is the one least disturbed.
ROUNDS = 5
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILLER = (
    "The partnership reviewed its delegated functions against the conditions the board "
    "set, and the programme office recorded the evidence for each of them. "
) * 6


def _setup(db: str, media: str) -> None:
    sys.path.insert(0, ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ics_portal.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["MEDIA_ROOT"] = media
    # The demo's proposal notices would otherwise print to the console.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()


def prepare(db: str, media: str) -> int:
    """The 10x system, a place with a programme, and a paper about it; its id."""
    _setup(db, media)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from bench.bench_milestones import add_milestones
    from bench.make_big_system import make_big_system
    from governance.models import Body, BodyKind
    from milestones import services as milestone_services
    from papers import services
    from papers.models import SectionKind, Template

    lead = get_user_model().objects.get(username="icb.governance")
    system = make_big_system(scale=10, lead=lead)
    services.glossary_seed(system=system)
    place = Body.objects.filter(system=system, kind=BodyKind.PLACE_PARTNERSHIP).first()
    board = Body.objects.get(system=system, kind=BodyKind.ICB_BOARD)
    programme = milestone_services.programme_create(name="Bench programme", body=place)
    add_milestones(count=120, programme=programme, body=place, lead=lead)
    paper = services.paper_create(
        author_body=place,
        meeting_body=board,
        meeting_date=dt.date(2027, 3, 11),
        title="Bench paper",
        template=Template.HWBB_UPDATE,
        by=lead,
        summary=FILLER,
    )
    for n in range(14):  # with the data sections, about 20 pages
        services.section_add(
            paper=paper,
            by=lead,
            kind=SectionKind.NARRATIVE,
            heading=f"Narrative {n + 1}",
            text="\n\n".join([FILLER] * 4),
        )
    return paper.pk


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_render(paper) -> tuple[float, int]:
    """WeasyPrint alone on the finished HTML, as the build calls it: (seconds, pages)."""
    from weasyprint import CSS, HTML

    from papers import gather, rendering

    snap = gather.snapshot(paper)
    html = rendering.html_of(snap)
    start = time.perf_counter()
    fonts = rendering._font_config()
    sheets = [
        CSS(filename=str(rendering.STYLESHEET), font_config=fonts),
        CSS(string=rendering.running_css(snap), font_config=fonts),
    ]
    document = HTML(string=html, base_url=str(rendering.STATIC) + "/").render(
        stylesheets=sheets, font_config=fonts, pdf_variant=rendering.PDF_VARIANT
    )
    document.write_pdf(pdf_variant=rendering.PDF_VARIANT)
    return time.perf_counter() - start, len(document.pages)


def _full_build(paper) -> tuple[float, int]:
    """A build as the Celery task runs it (gather, render, store, record): (seconds, pages)."""
    import uuid

    from django.contrib.auth import get_user_model

    from papers import building
    from papers.models import PaperBuild

    user = get_user_model().objects.get(username="icb.governance")
    build = PaperBuild.objects.create(paper=paper, key=uuid.uuid4().hex, requested_by=user)
    start = time.perf_counter()
    version = building.run(build.pk)
    assert version is not None, "the build failed"
    return time.perf_counter() - start, version.page_count


def measure(db: str, media: str, paper_id: int, what: str) -> None:
    """The best of ROUNDS runs of one kind, in this process, after a warm-up."""
    _setup(db, media)
    from weasyprint import HTML

    from papers import gather, rendering
    from papers.models import Paper

    paper = Paper.objects.get(pk=paper_id)
    HTML(string="<p>warm-up</p>").write_pdf()  # imports and fonts, once per process
    rendering.render_pdf(gather.snapshot(Paper.objects.exclude(pk=paper_id).first()))
    before = _rss_mib()
    runs = [(_full_build if what == "build" else _bare_render)(paper) for _ in range(ROUNDS)]
    elapsed, pages = min(t for t, _p in runs), runs[-1][1]
    print(f"{what}\t{elapsed:.2f}\t{_rss_mib():.0f}\t{_rss_mib() - before:.0f}\t{pages}")


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    work = tempfile.mkdtemp(prefix="bench-papers-")
    db, media = os.path.join(work, "db.sqlite3"), os.path.join(work, "media")
    paper_id = prepare(db, media)
    rows = {}
    for what in ("render", "build"):
        out = (
            subprocess.run(
                [sys.executable, __file__, "--measure", db, media, str(paper_id), what],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        rows[what] = out.split("\t")
    print("what               seconds  peak RSS MiB  RSS growth MiB  pages")
    for what, label in (("render", "WeasyPrint alone"), ("build", "full build")):
        _w, sec, rss, growth, pages = rows[what]
        print(f"{label:<18} {float(sec):7.2f}  {rss:>12}  {growth:>14}  {pages:>5}")
    ratio = float(rows["build"][1]) / float(rows["render"][1])
    print(f"build / bare render: {ratio:.2f}x   (targets: <= 3 s, <= 200 MiB, <= 1.1x)")


if __name__ == "__main__":
    main()
