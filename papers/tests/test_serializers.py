from papers.models import PaperBuild
from papers.serializers import PaperBuildSerializer, PaperSerializer


def test_paper_serializer_nests_its_parts(draft):
    data = PaperSerializer(draft).data
    assert data["system"] == "nel"
    assert len(data["recommendations"]) == draft.recommendations.count()
    assert data["versions"][0]["download_url"].endswith(f"/papers/{draft.pk}/versions/v1.pdf")


def test_a_vanished_job_reads_failed(draft, persona):
    build = PaperBuild.objects.create(
        paper=draft, key="d" * 32, requested_by=persona("tht.office"), state="running"
    )
    PaperBuild.objects.filter(pk=build.pk).update(requested_at="2020-01-01T00:00Z")
    build.refresh_from_db()
    assert PaperBuildSerializer(build).data["state"] == "failed"
