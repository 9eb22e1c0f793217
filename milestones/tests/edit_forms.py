"""This app's rows of the edit-form round-trip table (see tests/edit_forms.py)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from delegation.tests import helpers as dh
from milestones import filters, forms
from milestones.models import Milestone
from tests.edit_forms import EditForm

OFFICE = "tht.office"


def _tht_milestones():
    return Milestone.objects.filter(
        programme__body__slug="tht", programme__body__system__slug="nel"
    ).order_by("pk")


def _filled(*, by_quarter: bool) -> Milestone:
    """A THT milestone with every field filled: start and due dates, a lead with an
    account, a parent, a dependency, a function and a map entry."""
    first, second, third, milestone = list(_tht_milestones()[:4])
    milestone.description = "Agreed with the partners at the THT board."
    milestone.lead_user = get_user_model().objects.get(username="tht.office")
    milestone.lead_name = ""
    milestone.start_date = datetime.date(2026, 7, 1)
    if by_quarter:
        milestone.due_date, milestone.due_by_quarter = datetime.date(2027, 3, 31), True
    else:
        milestone.due_date, milestone.due_by_quarter = datetime.date(2027, 2, 15), False
    milestone.weight = 3
    milestone.progress = 40
    milestone.parent = first if first.parent_id is None else None
    milestone.function = dh.function("F-01")
    milestone.map_entry = dh.in_force("F-01", "tht")
    milestone.save()
    milestone.dependencies.set([second, third])
    return milestone


EDIT_FORMS = [
    EditForm(
        "milestones:edit",
        (forms.MilestoneForm,),
        obj=lambda: _filled(by_quarter=False),
        editor=OFFICE,
        label="due on a date",
    ),
    EditForm(
        "milestones:edit",
        (forms.MilestoneForm,),
        obj=lambda: _filled(by_quarter=True),
        editor=OFFICE,
        label="due by a quarter",
    ),
]


def _programme_page(milestone: Milestone) -> str:
    return reverse("milestones:programme", args=[milestone.programme_id])


EDIT_FORMS.append(
    EditForm(
        "milestones:inline_update",
        (forms.InlineUpdateForm,),
        obj=lambda: _filled(by_quarter=False),
        editor=OFFICE,
        page=_programme_page,
        label="from its row in the programme table",
    )
)

NOT_EDIT_FORMS = {
    forms.BulkUpdateForm: "sets one status or progress on many milestones",
    forms.ImportForm: "uploads a file",
    filters.MilestoneFilterForm: "filters a page (GET)",
}

NOT_EDIT_PAGES = {
    "milestones:bulk_update": "sets one status or progress on many milestones; it shows "
    "no saved values",
}
