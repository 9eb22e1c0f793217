import datetime as dt

import pytest

from milestones import services
from milestones.models import Milestone, Status
from milestones.rag import Rag, rag_annotation, rag_of

TODAY = dt.date(2022, 1, 31)
PAST = dt.date(2022, 1, 30)
FUTURE = dt.date(2022, 3, 31)


@pytest.mark.parametrize(
    ("status", "due", "rag"),
    [
        (Status.COMPLETE, PAST, Rag.COMPLETE),
        (Status.COMPLETE, FUTURE, Rag.COMPLETE),
        (Status.CANCELLED, PAST, Rag.CANCELLED),
        (Status.NOT_STARTED, PAST, Rag.RED),
        (Status.AT_RISK, PAST, Rag.RED),
        (Status.UNDERWAY, TODAY, Rag.GREEN),
        (Status.AT_RISK, FUTURE, Rag.AMBER),
        (Status.DELAYED, FUTURE, Rag.AMBER),
        (Status.BLOCKED, FUTURE, Rag.AMBER),
        (Status.UNDERWAY, FUTURE, Rag.GREEN),
        (Status.NOT_STARTED, FUTURE, Rag.GREEN),
    ],
)
def test_rag_rules(status, due, rag):
    assert rag_of(status, due, today=TODAY) == rag


def test_sql_annotation_agrees_with_python(db):
    from governance.models import Body

    tht = Body.objects.get(system__slug="nel", slug="tht")
    programme = tht.programmes.first()
    for status in Status.values:
        for due in (PAST, TODAY, FUTURE):
            services.milestone_create(
                programme=programme,
                owner_body=tht,
                title=f"RAG {status} {due}",
                due_date=due,
                status=status,
                progress=100 if status == Status.COMPLETE else 0,
            )
    rows = Milestone.objects.filter(title__startswith="RAG ").annotate(
        rag_sql=rag_annotation(today=TODAY)
    )
    assert len(rows) == len(Status.values) * 3
    for row in rows:
        assert row.rag_sql == rag_of(row.status, row.due_date, today=TODAY), row.title
