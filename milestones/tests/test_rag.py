import datetime as dt

import pytest

from milestones import services
from milestones.models import Milestone, Status
from milestones.rag import Rag, rag_annotation, rag_of, rag_of_milestone, rag_reasons

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


@pytest.mark.parametrize(
    ("status", "children", "late_dependency", "rag"),
    [
        (Status.UNDERWAY, [Rag.RED], False, Rag.RED),
        (Status.UNDERWAY, [Rag.AMBER, Rag.GREEN], False, Rag.AMBER),
        (Status.UNDERWAY, [Rag.GREEN], True, Rag.AMBER),
        (Status.AT_RISK, [Rag.RED], False, Rag.RED),
        (Status.UNDERWAY, [Rag.GREEN], False, Rag.GREEN),
        (Status.COMPLETE, [Rag.RED], True, Rag.COMPLETE),
    ],
)
def test_a_parent_and_a_dependant_are_no_greener_than_what_they_wait_for(
    status, children, late_dependency, rag
):
    assert (
        rag_of(status, FUTURE, today=TODAY, child_rags=children, late_dependency=late_dependency)
        == rag
    )


def _tht_programme():
    from governance.models import Body

    tht = Body.objects.get(system__slug="nel", slug="tht")
    return tht, tht.programmes.first()


def test_sql_annotation_agrees_with_python_for_parents_and_dependencies(db):
    tht, programme = _tht_programme()

    def make(title, **fields):
        fields.setdefault("due_date", FUTURE)
        return services.milestone_create(
            programme=programme, owner_body=tht, title=f"RAGX {title}", **fields
        )

    red_parent = make("parent of late")
    late = make("late", due_date=PAST, parent=red_parent)
    amber_parent = make("parent of at risk")
    make("at risk child", status=Status.AT_RISK, parent=amber_parent)
    waits = make("waits for late", dependencies=[late])
    waits_done = make("waits for done", dependencies=[make("done", status=Status.COMPLETE)])

    rows = {
        m.title.removeprefix("RAGX "): m
        for m in Milestone.objects.filter(title__startswith="RAGX ").annotate(
            rag_sql=rag_annotation(today=TODAY)
        )
    }
    expected = {
        "parent of late": Rag.RED,
        "parent of at risk": Rag.AMBER,
        "waits for late": Rag.AMBER,
        "waits for done": Rag.GREEN,
    }
    for title, rag in expected.items():
        assert rows[title].rag_sql == rag, title
        assert rag_of_milestone(rows[title], today=TODAY) == rag, title
    assert waits.pk and waits_done.pk


def test_reasons_name_only_the_milestones_given(db):
    tht, programme = _tht_programme()
    late = services.milestone_create(
        programme=programme, owner_body=tht, title="Late dep", due_date=PAST
    )
    waiting = services.milestone_create(
        programme=programme, owner_body=tht, title="Waiting", due_date=FUTURE, dependencies=[late]
    )
    reasons = rag_reasons(waiting, children=[], dependencies=[late], today=TODAY)
    assert len(reasons) == 1 and "Late dep" in reasons[0] and "at risk" in reasons[0]
    assert rag_reasons(waiting, children=[], dependencies=[], today=TODAY) == []


def test_the_days_annotation_is_shared_by_lists_without_being_changed_by_them(db):
    """Built once a day and used by every list: each list resolves its own copy, so one
    list's joins, filters and ordering never leak into the next."""
    tht, programme = _tht_programme()
    late = services.milestone_create(
        programme=programme, owner_body=tht, title="RAGS late", due_date=PAST
    )
    ahead = services.milestone_create(
        programme=programme, owner_body=tht, title="RAGS ahead", due_date=FUTURE
    )
    assert rag_annotation(today=TODAY) is rag_annotation(today=TODAY)
    assert rag_annotation(today=TODAY) is not rag_annotation(today=FUTURE)
    mine = Milestone.objects.filter(title__startswith="RAGS ")
    red = mine.annotate(r=rag_annotation(today=TODAY)).filter(r=Rag.RED)
    joined = (
        mine.select_related("owner_body")
        .annotate(r=rag_annotation(today=TODAY))
        .filter(owner_body__system__slug="nel")
        .order_by("r")
    )
    assert list(red) == [late]
    assert {m.pk: m.r for m in joined} == {late.pk: Rag.RED, ahead.pk: Rag.GREEN}
    assert list(mine.annotate(r=rag_annotation(today=TODAY)).filter(r=Rag.RED)) == [late]
