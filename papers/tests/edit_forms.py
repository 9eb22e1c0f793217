"""This app's rows of the edit-form round-trip table (see tests/edit_forms.py)."""

from __future__ import annotations

from papers import forms
from papers.models import PaperBuild, PublicPage
from tests.edit_forms import EditForm

OFFICE = "tht.office"


def _draft():
    from papers.demo import TITLE
    from papers.models import Paper

    return Paper.objects.get(author_body__slug="tht", title=TITLE)


def _section():
    return _draft().sections.get(kind="decision_map")


def _recommendation():
    return _draft().recommendations.order_by("number").first()


EDIT_FORMS = [
    EditForm("papers:edit", (forms.PaperForm,), _draft, OFFICE),
    EditForm(
        "papers:section_edit",
        (forms.SectionForm,),
        _section,
        OFFICE,
        kwargs=lambda s: {"pk": s.paper_id, "section": s.pk},
    ),
    EditForm(
        "papers:recommendation_edit",
        (forms.RecommendationForm,),
        _recommendation,
        OFFICE,
        kwargs=lambda r: {"pk": r.paper_id, "rec": r.pk},
    ),
]

NOT_EDIT_FORMS = {
    forms.PaperCreateForm: "starts a new paper from a template",
    forms.SectionAddForm: "adds a section",
    forms.ConsideredForm: "adds a meeting where the paper was considered",
    forms.GlossaryTermForm: "adds a term, or replaces the meaning of one by its acronym",
    forms.PublicPageForm: "switches the public page on or off",
}

ADMIN_EXEMPT = {
    PaperBuild: "the record of one build run, written by the build job only",
    PublicPage: "no demo row: the public page is off until the lead switches it on",
}
