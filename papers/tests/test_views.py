from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from papers import services
from papers.models import IMPLICATIONS, Paper, PaperBuild, PublicPage
from papers.tests.conftest import pdf_bytes


def _cover(paper: Paper, **overrides) -> dict:
    data = {
        "version": paper.version,
        "title": paper.title,
        "meeting_body": paper.meeting_body_id,
        "meeting_date": paper.meeting_date.isoformat(),
        "classification": paper.classification,
        "purpose": paper.purpose,
        "summary": paper.summary,
        "report_of": paper.report_of,
        # In the form's order (name | title | email), not the stored dict's: PostgreSQL
        # hands jsonb keys back in its own order.
        "officers_text": "\n".join(
            " | ".join(o.get(k, "") for k in ("name", "title", "email")) for o in paper.officers
        ),
        "priorities": list(paper.priorities.values_list("pk", flat=True)),
        **{name: getattr(paper, name) for name, _label in IMPLICATIONS},
    }
    return {**data, **overrides}


def test_paper_page_shows_outline_versions_and_progress(client_as, draft):
    response = client_as("tht.office").get(reverse("papers:detail", args=[draft.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Outline", "Versions built", "Download v1 (PDF)", "Build progress", "Preview"):
        assert text in body
    assert draft.versions.get(number=1).sha256 in body
    # Moves without reloading through a static script, not an inline one.
    assert 'src="/static/papers/build.js"' in body


def test_build_from_the_page_makes_a_version(client_as, draft, django_capture_on_commit_callbacks):
    client = client_as("tht.office")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("papers:build", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#build")
    build = draft.builds.order_by("-pk").first()
    status = client.get(reverse("papers:build_status", args=[draft.pk, build.pk])).json()
    assert status["state"] == "done" and status["progress"] == 100
    assert status["version"]["number"] == 2
    page = client.get(reverse("papers:detail", args=[draft.pk])).content.decode()
    assert "Download v2 (PDF)" in page


def test_a_failed_build_says_why_and_offers_a_retry(client_as, draft, persona):
    build = PaperBuild.objects.create(
        paper=draft,
        key="f" * 32,
        requested_by=persona("tht.office"),
        state="failed",
        stage="rendering",
        message="The build failed while rendering the PDF: boom",
    )
    page = client_as("tht.office").get(reverse("papers:detail", args=[draft.pk])).content.decode()
    assert "boom" in page
    assert reverse("papers:build_retry", args=[draft.pk, build.pk]) in page


def test_a_vanished_build_is_shown_failed(client_as, draft, persona, settings):
    from datetime import timedelta

    from django.utils import timezone

    build = PaperBuild.objects.create(
        paper=draft,
        key="e" * 32,
        requested_by=persona("tht.office"),
        state="running",
        stage="rendering",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    status = (
        client_as("tht.office")
        .get(reverse("papers:build_status", args=[draft.pk, build.pk]))
        .json()
    )
    assert status["state"] == "failed" and "Try again" in status["message"]


def test_concurrent_cover_edits_get_409_and_keep_what_was_typed(client_as, draft):
    url = reverse("papers:edit", args=[draft.pk])
    first, second = client_as("tht.office"), client_as("icb.governance")
    assert second.post(url, _cover(draft, summary="The lead's summary")).status_code == 302
    response = first.post(url, _cover(draft, summary="My own summary, typed with care"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "My own summary, typed with care" in body
    assert "Someone else changed this" in body
    assert "Changed executive summary (" in body  # only what they changed, and who
    draft.refresh_from_db()
    assert draft.summary == "The lead's summary"


def test_concurrent_section_edits_get_409(client_as, draft):
    section = draft.sections.order_by("order").first()
    url = reverse("papers:section_edit", args=[draft.pk, section.pk])
    data = {"version": section.version, "heading": section.heading, "order": section.order}
    assert client_as("icb.governance").post(url, {**data, "text": "Theirs"}).status_code == 302
    response = client_as("tht.office").post(url, {**data, "text": "Mine, kept"})
    assert response.status_code == 409 and "Mine, kept" in response.content.decode()


def test_adding_a_recommendation_without_javascript(client_as, draft):
    response = client_as("tht.office").post(
        reverse("papers:recommendation_add", args=[draft.pk]),
        {"action": "approve", "text": "the delegation of the community budget."},
    )
    assert response.status_code == 302
    rec = draft.recommendations.order_by("-number").first()
    assert (rec.action, rec.number) == ("approve", 4)


def test_download_has_the_pdf_type_and_a_readable_filename(client_as, draft):
    version = draft.versions.get(number=1)
    response = client_as("tht.board").get(reverse("papers:download", args=[draft.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    expected = f"{draft.meeting_date:%Y-%m-%d} Tower Hamlets HWBB - ICS update v1.pdf"
    assert f'filename="{expected}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes(version)


def test_a_file_that_fails_its_checksum_is_not_served(client_as, draft):
    version = draft.versions.get(number=1)
    original = pdf_bytes(version)
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write(b"%PDF-forged")
    try:
        response = client_as("tht.office").get(reverse("papers:download", args=[draft.pk, 1]))
        assert response.status_code == 500
        assert b"%PDF" not in response.content
    finally:
        with default_storage.open(version.file.name, "wb") as handle:
            handle.write(original)


def test_preview_is_the_html_rendering(client_as, draft):
    response = client_as("tht.board").get(reverse("papers:preview", args=[draft.pk]))
    body = response.content.decode()
    assert "Cover sheet" in body and "/static/papers/paper.css" in body
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_public_page_shows_nothing_until_switched_on_then_only_published(
    client_as, draft, published, persona
):
    anonymous = client_as(None)
    url = reverse("papers:public", args=["nel"])
    assert anonymous.get(url).status_code == 404
    services.public_page_set(system=draft.system, enabled=True, by=persona("icb.governance"))
    body = anonymous.get(url).content.decode()
    assert published.title in body
    assert reverse("papers:public_paper", args=["nel", published.pk, 1]) in body
    assert reverse("papers:public_paper", args=["nel", draft.pk, 1]) not in body
    assert "Decision map v1.0" in body or "Decision map" in body
    pdf = anonymous.get(reverse("papers:public_paper", args=["nel", published.pk, 1]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        anonymous.get(reverse("papers:public_paper", args=["nel", draft.pk, 1])).status_code == 404
    )
    assert anonymous.get(reverse("papers:public", args=["sel"])).status_code == 404


def test_lead_switches_the_public_page_from_the_list(client_as, draft):
    client = client_as("icb.governance")
    assert "Switch the NEL public page on" in client.get(reverse("papers:list")).content.decode()
    client.post(reverse("papers:public_switch", args=["nel"]), {"enabled": "on"})
    assert PublicPage.objects.get(system=draft.system).enabled


@pytest.mark.parametrize("who", ["viewer", "newham.office"])
def test_readers_outside_the_body_see_only_published_papers(client_as, who, draft, published):
    body = client_as(who).get(reverse("papers:list")).content.decode()
    assert published.title in body
    assert f'href="/papers/{draft.pk}/"' not in body


def test_new_paper_from_a_template(client_as, draft):
    response = client_as("tht.office").post(
        reverse("papers:new"),
        {
            "author_body": draft.author_body_id,
            "template": "partnership_report",
            "meeting_body": draft.author_body_id,
            "meeting_date": "2027-02-04",
            "title": "Programme report",
        },
    )
    paper = Paper.objects.get(title="Programme report")
    assert response["Location"] == reverse("papers:detail", args=[paper.pk])
    assert paper.sections.count() == 4
