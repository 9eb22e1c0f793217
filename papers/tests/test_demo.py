from django.core.management import call_command

from papers.models import Paper, PaperState


def test_demo_has_a_built_draft_and_a_published_paper(draft, published):
    assert draft.state == PaperState.DRAFT and draft.versions.count() == 1
    assert published.state == PaperState.PUBLISHED and published.versions.count() == 1
    assert draft.meeting_body.slug == "tower-hamlets-hwbb"
    kinds = set(draft.sections.values_list("kind", flat=True))
    assert {"decision_map", "conditions", "milestones", "landscape"} <= kinds
    assert set(draft.recommendations.values_list("action", flat=True)) == {"note"}


def test_loading_the_demo_again_adds_no_paper(draft):
    before = Paper.objects.count()
    call_command("load_demo", verbosity=0)
    assert Paper.objects.count() == before
