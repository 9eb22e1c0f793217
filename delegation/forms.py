"""Forms parse and present; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from governance.forms import NHSDateField
from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem

from .import_rows import LIMITS
from .models import (
    LEVEL_BODY_KINDS,
    AssessmentKind,
    AssessmentStatus,
    Condition,
    ConditionCategory,
    DecisionRight,
    EntryStatus,
    Function,
    Level,
    approving_bodies,
)

RECEIVING_KINDS = frozenset().union(*LEVEL_BODY_KINDS.values())

WIDGET_CLASSES = {
    forms.Select: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.NumberInput: "nhsuk-input nhsuk-input--width-10",
    forms.ClearableFileInput: "nhsuk-file-upload",
}


class NHSForm(forms.Form):
    """Adds NHS.UK classes to widgets, and takes a service's ValidationError."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "nhsuk-input",
            )
            widget.attrs.setdefault("class", css)
        self._describe()

    def _describe(self) -> None:
        # Point each input at its hint and error message, as the NHS.UK pattern does.
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}-hint"] if field.help_text else []
            if self.is_bound and name in self._errors_or_empty():
                ids.append(f"{bound.auto_id}-error")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def _errors_or_empty(self) -> dict:
        return self._errors or {}

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field is not None and field in self.fields:
            self._describe()


def _date(**kwargs: Any) -> NHSDateField:
    return NHSDateField(**kwargs)


def _optional_date(**kwargs: Any) -> NHSDateField:
    return NHSDateField(required=False, **kwargs)


def _money(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class FunctionForm(NHSForm):
    code = forms.CharField(max_length=12, help_text="e.g. F-03 or KF-10.")
    name = forms.CharField(max_length=200)
    group = forms.CharField(max_length=120, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    statutory_basis = forms.CharField(
        max_length=200, required=False, help_text="e.g. NHS Act 2006 s.65Z5."
    )
    display_order = forms.IntegerField(min_value=0, initial=0)


class EntryFieldsForm(NHSForm):
    level = forms.ChoiceField(label="Where the decision sits", choices=Level.choices)
    receiving_body = forms.ModelChoiceField(
        queryset=Body.objects.none(),
        required=False,
        empty_label="None (reserved to the ICB board)",
        help_text="Leave empty for a function reserved to the ICB board.",
    )
    governance_form = forms.ChoiceField(
        choices=[("", "Not applicable"), *GovernanceForm.choices], required=False
    )
    decision_right = forms.ChoiceField(choices=DecisionRight.choices)
    delegated_budget = _money(
        label="Delegated budget (£)",
        min_value=0,
        required=False,
        help_text="Leave empty when no budget is recorded; enter 0 for none.",
    )
    financial_limit = _money(label="Financial limit (£)", min_value=0, required=False)
    effective_from = _date()
    review_by = _optional_date()
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, system: IntegratedCareSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_body"].queryset = (
            Body.objects.filter(system=system)
            .exclude(kind__in=[BodyKind.HWBB, BodyKind.PCN])
            .order_by("name")
        )


class EntryForm(EntryFieldsForm):
    function = forms.ModelChoiceField(queryset=Function.objects.none())
    status = forms.ChoiceField(
        choices=[(EntryStatus.PROPOSED, "Proposed"), (EntryStatus.IN_FORCE, "In force")]
    )

    field_order = ["function", "level", "receiving_body"]

    def __init__(self, *args: Any, system: IntegratedCareSystem, **kwargs: Any) -> None:
        super().__init__(*args, system=system, **kwargs)
        self.fields["function"].queryset = Function.objects.filter(system=system).order_by(
            "display_order", "code"
        )


class ConditionForm(NHSForm):
    category = forms.ChoiceField(choices=ConditionCategory.choices)
    requirement = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    evidence_expected = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner_body = forms.ModelChoiceField(queryset=Body.objects.none())
    due_date = _optional_date()

    def __init__(self, *args: Any, system: IntegratedCareSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_body"].queryset = Body.objects.filter(system=system).order_by("name")

    @staticmethod
    def initial_from(condition: Condition) -> dict[str, Any]:
        return {
            "category": condition.category,
            "requirement": condition.requirement,
            "evidence_expected": condition.evidence_expected,
            "owner_body": condition.owner_body_id,
            "due_date": condition.due_date,
        }


class AssessmentForm(NHSForm):
    status = forms.ChoiceField(
        choices=[
            (s.value, s.label) for s in AssessmentStatus if s != AssessmentStatus.NOT_ASSESSED
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when the condition is partly met or not met.",
    )
    note.conditional = True  # required for some answers: the label does not say "optional"
    evidence_link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="A link to the evidence, e.g. a board paper.",
    )

    def __init__(self, *args: Any, kind: str = AssessmentKind.SELF, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == AssessmentKind.SELF:
            self.fields["status"].label = "How far does the body meet this condition?"
            self.fields[
                "note"
            ].help_text = (
                "What the evidence shows; required when the condition is partly met or not met."
            )
        else:
            self.fields["status"].label = "Is the ICB assured that this condition is met?"
            self.fields[
                "note"
            ].help_text = "The ICB's reasons; required when the condition is partly met or not met."


class PublishForm(NHSForm):
    label = forms.CharField(max_length=20, help_text='e.g. "v2.0".')
    approved_by = forms.ModelChoiceField(queryset=Body.objects.none())
    meeting_date = _date()
    minute_reference = forms.CharField(max_length=60, required=False)

    def __init__(self, *args: Any, system: IntegratedCareSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = approving_bodies(system)


class MatrixFilterForm(NHSForm):
    group = forms.ChoiceField(required=False, label="Function group")
    # Only the kinds a function can be delegated to (no PCNs or health and wellbeing boards).
    body_kind = forms.ChoiceField(
        required=False,
        label="Body kind",
        choices=[
            ("", "All kinds"),
            *((k.value, k.label) for k in BodyKind if k in RECEIVING_KINDS),
        ],
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *EntryStatus.choices],
    )

    def __init__(self, *args: Any, groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All groups"), *((g, g) for g in groups)]


class ConditionFilterForm(NHSForm):
    category = forms.ChoiceField(
        required=False, choices=[("", "All categories"), *ConditionCategory.choices]
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *AssessmentStatus.choices]
    )
    owner = forms.ChoiceField(required=False, label="Owner body")

    def __init__(self, *args: Any, system: IntegratedCareSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = Body.objects.filter(system=system, conditions_owned__isnull=False).distinct()
        self.fields["owner"].choices = [
            ("", "All owners"),
            *((b.slug, b.name) for b in owners.order_by("name")),
        ]


class ImportForm(NHSForm):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="An .xlsx or .csv file with the same columns as the export, up to "
        f"{LIMITS.max_bytes // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    # The job the check will be kept under, known before the upload so the page can
    # follow a long check while it runs.
    job = forms.CharField(required=False, widget=forms.HiddenInput)


class RevokeForm(NHSForm):
    note = forms.CharField(
        label="Why is it revoked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the entry, which stays on record as revoked.",
    )
