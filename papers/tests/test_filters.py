from papers.filters import PaperFilter
from papers.models import Paper


def test_filter_by_author_body_slug_and_state(draft, published):
    rows = PaperFilter({"author_body": "tht", "state": ["draft"]}, queryset=Paper.objects.all()).qs
    assert list(rows) == [draft]


def test_filter_by_meeting_dates(draft, published):
    qs = Paper.objects.filter(pk__in=[draft.pk, published.pk])
    after = PaperFilter({"meeting_after": draft.meeting_date.isoformat()}, queryset=qs).qs
    assert list(after) == [draft]
