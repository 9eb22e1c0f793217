"""The diff between two states of a map (pure function)."""

from delegation.diff import diff_rows


def row(key, **kw):
    base = {
        "key": key,
        "function_name": "Commissioning",
        "level": "place",
        "receiving_body_name": "THT",
        "governance_form": "committee",
        "decision_right": "decides",
        "delegated_budget": "100.00",
        "financial_limit": None,
        "effective_from": "2022-07-01",
        "review_by": None,
        "status": "in_force",
        "notes": "",
        "conditions": [],
    }
    base.update(kw)
    return base


def test_identical_maps_have_no_diff():
    rows = [row("F-01/tht"), row("F-02/tht")]
    result = diff_rows(rows, [dict(r) for r in rows])
    assert result.is_empty
    assert result.unchanged == 2


def test_added_removed_and_changed_field_by_field():
    old = [row("F-01/tht"), row("F-02/tht"), row("F-03/reserved", level="reserved")]
    new = [
        row("F-01/tht", delegated_budget="150.00", notes="uplift"),
        row("F-03/reserved", level="reserved"),
        row("F-04/newham"),
    ]
    result = diff_rows(old, new)
    assert [r["key"] for r in result.added] == ["F-04/newham"]
    assert [r["key"] for r in result.removed] == ["F-02/tht"]
    assert len(result.changed) == 1
    change = result.changed[0]
    assert change.key == "F-01/tht"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("delegated_budget", "100.00", "150.00"),
        ("notes", "", "uplift"),
    ]
    assert result.unchanged == 1


def test_condition_changes_are_seen_but_order_is_not():
    a = {
        "category": "outcomes",
        "requirement": "A",
        "owner_body": "tht",
        "due_date": None,
        "status": "met",
    }
    b = {
        "category": "quality",
        "requirement": "B",
        "owner_body": "tht",
        "due_date": None,
        "status": "not_assessed",
    }
    assert diff_rows(
        [row("F-01/tht", conditions=[a, b])], [row("F-01/tht", conditions=[b, a])]
    ).is_empty
    changed = diff_rows(
        [row("F-01/tht", conditions=[a, b])],
        [row("F-01/tht", conditions=[a, {**b, "status": "met"}])],
    )
    assert [c.field for c in changed.changed[0].changes] == ["conditions"]
