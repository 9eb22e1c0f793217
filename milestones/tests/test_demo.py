import io

from milestones import demo
from milestones.models import Milestone, MilestoneUpdate, Programme


def test_demo_is_idempotent(db):
    before = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "0 milestones added" in out.getvalue()
    after = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    assert after == before


def test_demo_content(tht):
    ics = Programme.objects.get(name=demo.ICS_PROGRAMME)
    assert ics.system.slug == "nel" and ics.body is None
    assert Milestone.objects.get(title="ICB chair designate appointed").status == "complete"
    assert {m.owner_body.kind for m in ics.milestones.all()} == {"icb_board"}
    tht_ms = Milestone.objects.filter(programme__name=demo.THT_PROGRAMME)
    assert set(tht_ms.values_list("owner_body", flat=True)) == {tht.pk}
    assert tht_ms.get(lead_user__username="tht.board").title.startswith("Agree proposals")
    assert tht_ms.get(title__startswith="Develop the locality plan").lead_name
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"complete", "underway", "at_risk", "delayed", "not_started"} <= statuses
    assert MilestoneUpdate.objects.exclude(note="").count() >= 4


def test_demo_links_milestones_to_the_decision_map(tht):
    explore = Milestone.objects.get(title__startswith="Explore options for delegation")
    assert explore.function.code == "F-01" and explore.function.system == tht.system
    assert explore.map_entry.receiving_body == tht
    constitution = Milestone.objects.get(title="Constitution approved by NHSE")
    assert constitution.function.code == "R-01"
