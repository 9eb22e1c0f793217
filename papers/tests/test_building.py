"""The built PDF: what it says, that it is tagged, and that a build is safe to repeat,
to kill and to fail. Most checks read the demo paper's v1, built once per test run."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from delegation.models import EntryStatus, MapEntry
from papers import building, gather, rendering
from papers.models import BuildState, PaperBuild, PaperVersion
from papers.tests.conftest import pdf_bytes, pdf_text


def test_text_has_the_cover_sheet_fields(built, draft):
    _version, data = built
    text = pdf_text(data)
    for value in (
        "Tower Hamlets Health and Wellbeing Board",
        f"{draft.meeting_date:%-d %B %Y}",
        "ICS update",
        "Director of Integrated Care, on behalf of Tower Hamlets Together",
        "Tom Okafor, Programme office, Tower Hamlets Together",
        "Classification Unrestricted",
        "Purpose of the report",
        "Executive summary",
    ):
        assert value in text, value


def test_text_has_each_recommendation_with_its_action(built, draft):
    text = pdf_text(built[1])
    for rec in draft.recommendations.all():
        assert f"{rec.get_action_display()} {rec.text}" in text


def test_text_has_the_tht_map_rows_and_total(built, draft):
    text = pdf_text(built[1])
    entries = MapEntry.objects.filter(receiving_body=draft.author_body, status=EntryStatus.IN_FORCE)
    assert entries.exists()
    for entry in entries.select_related("function"):
        assert entry.function.code in text
    total = sum(e.delegated_budget or 0 for e in entries)
    assert f"Total delegated budget £{total:,.0f}" in text


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_total_is_printed_once_after_the_last_row(built):
    pages = _pages(built[1])
    # The map table runs over a page break in the demo: a repeating footer would print
    # the total under the first page's rows as well.
    assert sum(page.count("Total delegated budget") for page in pages) == 1
    assert len([p for p in pages if "Where the decision sits" in p]) >= 2, "one page now"


def test_a_data_sections_heading_and_caption_stay_with_its_table(built):
    for page in _pages(built[1]):
        if "in force on" in page and "Functions and decisions delegated to" in page:
            assert "Code Function Where the decision sits" in page


def test_text_has_the_milestone_table_with_rag_words(built):
    text = pdf_text(built[1])
    assert "Milestone Lead Due Status RAG" in text
    for word in ("Red", "Amber", "Green", "Complete"):
        assert re.search(rf"\b{word}\b", text), word


def test_glossary_holds_exactly_the_acronyms_used(built, draft):
    text = pdf_text(built[1])
    body, _sep, glossary = text.rpartition("Glossary Acronyms used in this paper")
    terms = dict(draft.system.glossary_terms.values_list("acronym", "meaning"))
    listed = {a for a in terms if re.search(rf"(?<![A-Za-z]){a} {re.escape(terms[a])}", glossary)}
    used = {a for a in terms if re.search(rf"(?<![A-Za-z0-9]){re.escape(a)}(?![a-z0-9])", body)}
    assert listed == used
    assert {"HWBB", "ICB", "THT", "RAG"} <= listed
    assert "SEL" not in listed  # a NEL paper about THT never says it


def test_pdf_is_tagged_with_title_and_language(built):
    version, data = built
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("ICS update")
    assert version.page_count == len(reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_running_header_and_footer_on_every_page(built):
    reader = PdfReader(io.BytesIO(built[1]))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Tower Hamlets HWBB" in text
        assert "Classification: Unrestricted" in text
        assert f"Page {number} of {pages}" in text


def test_version_records_its_checksum_size_and_snapshot(built):
    version, data = built
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.size == len(data)
    assert version.snapshot["cover"]["title"] == "ICS update"


def test_charts_are_images_with_alternative_text(draft):
    html = rendering.html_of(gather.snapshot(draft))
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) >= 2  # the timelines and the landscape
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in images)


@pytest.fixture
def quick(monkeypatch):
    """A stand-in renderer, for tests about the job rather than the PDF: fast, and a
    different file each call (as real renders differ in their identifiers)."""
    import uuid

    def fake(snap):
        return rendering.Rendered(pdf=b"%PDF-1.7 " + uuid.uuid4().hex.encode(), page_count=1)

    monkeypatch.setattr(rendering, "render_pdf", fake)


def _build(paper, user) -> PaperBuild:
    import uuid

    return PaperBuild.objects.create(paper=paper, key=uuid.uuid4().hex, requested_by=user)


@pytest.mark.django_db
def test_two_builds_make_two_versions_and_v1_keeps_its_bytes(draft, built, persona):
    version1, before = built
    entry = MapEntry.objects.filter(
        receiving_body=draft.author_body, status=EntryStatus.IN_FORCE
    ).first()
    MapEntry.objects.filter(pk=entry.pk).update(
        delegated_budget=(entry.delegated_budget or 0) + 1_000_000
    )

    v2 = building.run(_build(draft, persona("tht.office")).pk)

    assert v2.number == 2 and v2.sha256 != version1.sha256
    assert pdf_bytes(PaperVersion.objects.get(pk=version1.pk)) == before
    assert building.verify(version1) == before
    assert version1.snapshot != v2.snapshot
    assert _map_total(v2.snapshot) != _map_total(version1.snapshot)


def _map_total(snap: dict) -> str:
    (section,) = [s for s in snap["sections"] if s["kind"] == "decision_map"]
    return section["data"]["total"][1]


@pytest.mark.django_db
def test_running_one_build_twice_makes_one_version(draft, persona, quick):
    build = _build(draft, persona("tht.office"))
    first = building.run(build.pk)
    again = building.run(build.pk)
    assert first == again
    assert draft.versions.filter(build_key=build.key).count() == 1
    build.refresh_from_db()
    assert build.state == BuildState.DONE and build.result == first


@pytest.mark.django_db
def test_killed_after_the_file_before_the_row_leaves_no_version_then_one(
    draft, persona, monkeypatch
):
    build = _build(draft, persona("tht.office"))
    real = building._record

    def die(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(building, "_record", die)
    assert building.run(build.pk) is None
    build.refresh_from_db()
    assert build.state == BuildState.FAILED
    assert "writing the file" in build.message and "worker killed" in build.message
    assert not draft.versions.filter(build_key=build.key).exists()

    monkeypatch.setattr(building, "_record", real)
    version = building.run(build.pk)
    assert draft.versions.filter(build_key=build.key).count() == 1
    # The killed attempt's file is gone; only the recorded one is left.
    _dirs, files = default_storage.listdir(building.folder_of(draft))
    assert [f for f in files if f.startswith(build.key)] == [version.file.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_a_row_recorded_before_the_kill_is_found_not_duplicated(draft, persona, monkeypatch, quick):
    build = _build(draft, persona("tht.office"))
    version = building.run(build.pk)
    # The worker died after committing the version, before saying the build was done.
    PaperBuild.objects.filter(pk=build.pk).update(state=BuildState.RUNNING, result=None)
    monkeypatch.setattr(rendering, "render_pdf", lambda snap: pytest.fail("rendered again"))
    assert building.run(build.pk) == version


@pytest.mark.django_db
def test_a_tampered_file_is_refused(built, settings):
    version, data = built
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write(data[:-10] + b"tampered!!")
    try:
        with pytest.raises(building.BuildFailed, match="does not match its checksum"):
            building.verify(version)
    finally:
        with default_storage.open(version.file.name, "wb") as handle:
            handle.write(data)


def test_versions_never_change(built):
    version = built[0]
    version.size = 1
    with pytest.raises(ValueError, match="never changes"):
        version.save()
