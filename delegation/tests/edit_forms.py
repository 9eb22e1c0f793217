"""This app's rows of the edit-form round-trip table (see tests/edit_forms.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from delegation import forms
from delegation.models import Condition, Function, MapEntry, Proposal, ProposalItem
from delegation.proposals import forms as proposal_forms
from tests.edit_forms import EditForm

from . import helpers as h

LEAD = "icb.governance"


def _entry() -> MapEntry:
    """THT's F-01 entry with every optional field filled."""
    entry = h.in_force("F-01", "tht")
    entry.governance_form = entry.governance_form or "committee_in_common"
    entry.delegated_budget = Decimal("1250000.00")
    entry.financial_limit = Decimal("250000.00")
    entry.effective_from = datetime.date(2026, 7, 1)
    entry.review_by = datetime.date(2027, 3, 31)
    entry.notes = "Reviewed at the THT board; see minute 12/26."
    entry.save()
    return entry


def _condition() -> Condition:
    condition = h.tht_condition()
    condition.evidence_expected = "Terms of reference approved by the board."
    condition.due_date = datetime.date(2026, 9, 30)
    condition.save()
    return condition


def _function() -> Function:
    function = h.function("F-01")
    function.group = function.group or "Planning"
    function.description = function.description or "Agree the place's annual plan."
    function.statutory_basis = function.statutory_basis or "NHS Act 2006 s.65Z5"
    function.display_order = function.display_order or 3
    function.save()
    return function


def _newham_draft() -> Proposal:
    """Newham's draft proposal with every optional field filled."""
    proposal = Proposal.objects.get(body__slug="newham", state="draft")
    proposal.summary = proposal.summary or "Delegate KF-06 to Newham's place partnership."
    proposal.rationale = proposal.rationale or "Newham has run the service jointly since 2024."
    proposal.readiness_evidence = "Finance and quality leads appointed; ToR agreed."
    proposal.readiness_links = "https://www.newham.gov.uk/\nhttps://www.nhs.uk/"
    proposal.current_form = "consultative_forum"
    proposal.requested_form = "committee"
    proposal.review_closes_on = datetime.date(2027, 1, 29)
    proposal.save()
    return proposal


def _newham_item() -> ProposalItem:
    item = _newham_draft().items.order_by("order", "pk").first()
    item.rationale = item.rationale or "The place already holds the budget informally."
    item.review_by = item.review_by or datetime.date(2028, 3, 31)
    item.save()
    return item


def _successor(entry: MapEntry) -> MapEntry:
    return MapEntry.objects.get(pk=entry.pk).superseded_by


EDIT_FORMS = [
    EditForm("delegation:entry_edit", (forms.EntryForm,), obj=_entry, editor=LEAD),
    EditForm(
        "delegation:entry_supersede",
        (forms.EntryFieldsForm,),
        obj=_entry,
        editor=LEAD,
        # A new entry in force, with every value of the old one; the old is kept.
        written=_successor,
        changes=("id", "superseded_by", "created_at", "created_by"),
    ),
    EditForm("delegation:function_edit", (forms.FunctionForm,), obj=_function, editor=LEAD),
    EditForm("delegation:condition_edit", (forms.ConditionForm,), obj=_condition, editor=LEAD),
    EditForm(
        "delegation:proposal_edit",
        (proposal_forms.ProposalForm,),
        obj=_newham_draft,
        editor="newham.office",
    ),
    EditForm(
        "delegation:proposal_item_edit",
        (proposal_forms.ItemForm,),
        obj=_newham_item,
        editor="newham.office",
    ),
]

NOT_EDIT_FORMS = {
    proposal_forms.ProposalCreateForm: "drafts a new proposal",
    proposal_forms.KindForm: "chooses the kind of a new item before its fields are shown",
    proposal_forms.ListFilterForm: "filters the proposals list (GET)",
    proposal_forms.CommentForm: "adds a comment; a comment is never edited",
    proposal_forms.PositionForm: "records a position; a change is a new record, never an edit",
    proposal_forms.TransitionForm: "fires a workflow transition with a note",
    proposal_forms.OpenReviewForm: "opens the review with its closing date",
    proposal_forms.RecommendForm: "records the board's recommendation once",
    proposal_forms.DecideForm: "records the ICB's decision once",
    forms.NHSForm: "the base class of this app's forms",
    forms.AssessmentForm: "adds a new assessment; it never shows a saved one to edit",
    forms.PublishForm: "publishes a new version of the map",
    forms.MatrixFilterForm: "filters a page (GET)",
    forms.ConditionFilterForm: "filters a page (GET)",
    forms.ImportForm: "uploads a file",
    forms.RevokeForm: "revokes an entry; it shows no saved values",
}
