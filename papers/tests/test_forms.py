from __future__ import annotations

from governance.models import Body
from papers.forms import PaperCreateForm, PaperForm, SectionForm


def test_create_form_offers_only_bodies_the_user_writes_for(persona, db):
    form = PaperCreateForm(user=persona("tht.office"))
    assert list(form.fields["author_body"].queryset.values_list("slug", flat=True)) == ["tht"]
    assert not PaperCreateForm(user=persona("viewer")).fields["author_body"].queryset.exists()


def test_create_form_refuses_a_board_of_another_system(persona, db):
    sel = Body.objects.filter(system__slug="sel").first()
    tht = Body.objects.get(system__slug="nel", slug="tht")
    form = PaperCreateForm(
        {
            "author_body": tht.pk,
            "template": "hwbb_update",
            "meeting_body": sel.pk,
            "meeting_date": "2027-01-01",
            "title": "x",
        },
        user=persona("icb.governance"),
    )
    assert not form.is_valid()


def test_officers_are_read_one_a_line(draft):
    form = PaperForm(
        {
            "version": draft.version,
            "title": "t",
            "meeting_body": draft.meeting_body_id,
            "meeting_date": "2027-01-01",
            "classification": "restricted",
            "officers_text": "Ann Lee | Director | ann@example.org\n\nBo Chan",
        },
        instance=draft,
    )
    assert form.is_valid(), form.errors
    assert form.changes()["officers"] == [
        {"name": "Ann Lee", "title": "Director", "email": "ann@example.org"},
        {"name": "Bo Chan", "title": "", "email": ""},
    ]
    bad = PaperForm({"officers_text": "a | b | c | d"}, instance=draft)
    assert not bad.is_valid() and "officers_text" in bad.errors


def test_section_form_asks_only_for_its_kind_of_data(draft):
    by_kind = {s.kind: s for s in draft.sections.all()}
    assert "body" in SectionForm(instance=by_kind["decision_map"]).fields
    assert "programme" in SectionForm(instance=by_kind["milestones"]).fields
    narrative = SectionForm(instance=by_kind["narrative"]).fields
    assert not {"body", "programme", "since"} & set(narrative)
    bodies = SectionForm(instance=by_kind["decision_map"]).fields["body"].queryset
    assert set(bodies.values_list("system__slug", flat=True)) == {"nel"}
