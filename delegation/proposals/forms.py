"""Proposal forms: they parse and present; the services validate and write. Related
fields are scoped to what the user may choose (their bodies, the body's own entries)."""

from __future__ import annotations

from typing import Any

from django import forms

from governance.forms import NHSDateField
from governance.models import Body, BodyKind, GovernanceForm

from ..forms import WIDGET_CLASSES, NHSForm
from ..models import (
    Condition,
    ConditionCategory,
    DecisionRight,
    EntryStatus,
    Function,
    ItemKind,
    Level,
    MapEntry,
    Position,
    Proposal,
)
from . import items as rules
from .workflow import Outcome


def _date(**kw: Any) -> NHSDateField:
    # The day / month / year boxes every other edit form uses: an ISO ``type=date``
    # input is not what NHS users know, and drops a value the server writes localised.
    return NHSDateField(**kw)


def _text(rows: int = 3, **kw: Any) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kw)


FORMS = [("", "Not stated"), *GovernanceForm.choices]


class ProposalForm(NHSForm):
    title = forms.CharField(max_length=200)
    summary = _text(required=False)
    rationale = _text(required=False, help_text="Why the body asks for this now.")
    readiness_evidence = _text(required=False, label="Readiness evidence")
    readiness_links = _text(
        2, required=False, label="Links to evidence", help_text="One web address a line."
    )
    current_form = forms.ChoiceField(choices=FORMS, required=False, label="Current form")
    requested_form = forms.ChoiceField(choices=FORMS, required=False, label="Requested form")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.cleaned_data.items() if k not in ("version", "body", "reference")
        }


class ProposalCreateForm(ProposalForm):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Proposing body")
    reference = forms.CharField(
        max_length=20, required=False, help_text="Leave empty for the next one, e.g. THT-2026-03."
    )

    field_order = ["body", "title", "reference"]

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        if bodies.count() == 1:
            self.fields["body"].initial = bodies.first().pk


class KindForm(NHSForm):
    kind = forms.ChoiceField(
        choices=ItemKind.choices, widget=forms.RadioSelect, label="What should the item do?"
    )


def _related_fields(proposal: Proposal, kind: str) -> dict[str, forms.Field]:
    """The fields naming records, scoped to the proposal's system and body."""
    body = proposal.body
    entries = MapEntry.objects.filter(
        receiving_body=body, status=EntryStatus.IN_FORCE
    ).select_related("function")
    return {
        "function": forms.ModelChoiceField(
            Function.objects.filter(system=proposal.system_id),
            required=kind == ItemKind.DELEGATE,
            help_text=(
                "For a condition on a function this proposal delegates."
                if kind == ItemKind.ADD_CONDITION
                else ""
            ),
        ),
        "entry": forms.ModelChoiceField(
            entries, required=kind != ItemKind.ADD_CONDITION, label=f"{body}'s entry"
        ),
        "condition": forms.ModelChoiceField(
            Condition.objects.filter(map_entry__in=entries, removed_at__isnull=True).select_related(
                "map_entry__function"
            ),
        ),
    }


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, label=label
    )


def _value_fields(kind: str) -> dict[str, forms.Field]:
    """The fields holding an entry's or a condition's own values."""
    return {
        "level": forms.ChoiceField(
            choices=[
                ("", "Unchanged" if kind == ItemKind.CHANGE else "Choose"),
                *Level.choices,
            ],
            required=kind == ItemKind.DELEGATE,
            label="Where the decision sits",
        ),
        "governance_form": forms.ChoiceField(
            choices=[("", "—"), *GovernanceForm.choices], required=False, label="Form"
        ),
        "decision_right": forms.ChoiceField(
            choices=[("", "—"), *DecisionRight.choices], required=False
        ),
        "delegated_budget": _money("Delegated budget (£)"),
        "financial_limit": _money("Financial limit (£)"),
        "effective_from": _date(required=kind == ItemKind.DELEGATE),
        "review_by": _date(required=False),
        "category": forms.ChoiceField(
            choices=[("", "—"), *ConditionCategory.choices], required=False
        ),
        "requirement": _text(required=False),
        "evidence_expected": _text(2, required=False),
        "due_date": _date(required=False),
    }


class ItemForm(NHSForm):
    """The fields the item's kind uses (``items.KIND_FIELDS``), and its rationale."""

    def __init__(self, *args: Any, proposal: Proposal, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        available = {**_related_fields(proposal, kind), **_value_fields(kind)}
        for name in rules.KIND_FIELDS[kind]:
            self.fields[name] = available[name]
        self.fields["rationale"] = _text(required=False, help_text="Why this change.")
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        # The NHS.UK classes for the fields just added, as NHSForm gives its own.
        for field in self.fields.values():
            css = next(
                (c for w, c in WIDGET_CLASSES.items() if isinstance(field.widget, w)),
                "nhsuk-input",
            )
            field.widget.attrs.setdefault("class", css)
        self._describe()

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CommentForm(NHSForm):
    text = _text(label="Your comment")
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PositionForm(NHSForm):
    position = forms.ChoiceField(
        choices=Position.choices, widget=forms.RadioSelect, label="Your position"
    )
    reason = _text(required=False, help_text="Needed for “support with conditions” and “object”.")


class TransitionForm(NHSForm):
    note = _text(2, required=False, label="Note for the log")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OpenReviewForm(TransitionForm):
    review_closes_on = _date(label="Review closes on")
    field_order = ["review_closes_on", "note"]


class RecommendForm(TransitionForm):
    recommends = forms.ChoiceField(
        choices=Outcome.choices, widget=forms.RadioSelect, label="The board recommends"
    )
    field_order = ["recommends", "note"]


class DecideForm(TransitionForm):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    deciding_body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Deciding body")
    meeting_date = _date()
    minute_reference = forms.CharField(max_length=60, help_text="e.g. 7.2")
    conditions = _text(
        required=False,
        label="Conditions attached",
        help_text="For an approval with conditions: one a line.",
    )
    field_order = [
        "outcome",
        "deciding_body",
        "meeting_date",
        "minute_reference",
        "conditions",
        "note",
    ]

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deciding_body"].queryset = Body.objects.filter(
            system=proposal.system_id
        ).filter(kind=BodyKind.ICB_BOARD) | Body.objects.filter(
            system=proposal.system_id, kind=BodyKind.COMMITTEE, parent__kind=BodyKind.ICB_BOARD
        )


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    "open_review": OpenReviewForm,
    "recommend": RecommendForm,
    "decide": DecideForm,
}


class ListFilterForm(NHSForm):
    state = forms.ChoiceField(choices=[("", "Any state")], required=False)
    outcome = forms.ChoiceField(choices=[("", "Any outcome"), *Outcome.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .workflow import State

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any state"), *State.choices]
