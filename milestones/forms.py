from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from delegation.models import Function, MapEntry
from governance.forms import NHSDateField
from governance.models import Body
from ics_portal.quarters import QuarterError, parse_quarter

from .models import Milestone, Programme, Status
from .spreadsheets import LIMITS

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _user_label(user: User) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _user_label(obj)


def _nhsuk_widgets(form: forms.Form) -> None:
    """NHS.UK classes on each control, and hints tied to their controls."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "nhsuk-checkboxes__input"
            continue
        if isinstance(widget, forms.Select):
            css = "nhsuk-select"
        elif isinstance(widget, forms.Textarea):
            css = "nhsuk-textarea"
        else:
            css = "nhsuk-input"
        widget.attrs["class"] = css
        if field.help_text:
            widget.attrs["aria-describedby"] = f"id_{name}-hint"


class MilestoneForm(forms.Form):
    """Add or edit a milestone. The due date is a date or a quarter ("end of Q3 2021/22")."""

    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner_body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Owner body")
    lead_user = UserChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Lead (a portal user)",
        help_text="A lead with an account may update this milestone.",
    )
    lead_name = forms.CharField(
        max_length=200,
        required=False,
        label="Or the lead's name",
        help_text="When the lead has no account.",
    )
    start_date = NHSDateField(required=False, label="Start date")
    due_date = NHSDateField(required=False, label="Due date")
    due_quarter = forms.CharField(
        required=False,
        label="Or due by the end of a quarter",
        help_text="For example Q3 2021/22. Q1 is April to June.",
    )
    status = forms.ChoiceField(choices=Status.choices)
    progress = forms.IntegerField(min_value=0, max_value=100, label="Progress (%)")
    weight = forms.IntegerField(
        min_value=1, initial=1, help_text="Its share of the parent milestone's progress."
    )
    parent = forms.ModelChoiceField(
        queryset=Milestone.objects.none(), required=False, label="Parent milestone"
    )
    dependencies = forms.ModelMultipleChoiceField(
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Depends on",
    )
    function = forms.ModelChoiceField(
        queryset=Function.objects.none(),
        required=False,
        label="Function it is about (optional)",
    )
    map_entry = forms.ModelChoiceField(
        queryset=MapEntry.objects.none(),
        required=False,
        label="Decision map entry it is about (optional)",
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the update log with the changes.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        bodies: QuerySet[Body],
        leads: QuerySet,
        milestones: QuerySet[Milestone],
        functions: QuerySet[Function] | None = None,
        map_entries: QuerySet[MapEntry] | None = None,
        instance: Milestone | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "description": instance.description,
                "owner_body": instance.owner_body_id,
                "lead_user": instance.lead_user_id,
                "lead_name": instance.lead_name,
                "start_date": instance.start_date,
                "due_date": None if instance.due_by_quarter else instance.due_date,
                "due_quarter": f"{instance.due_quarter}" if instance.due_by_quarter else "",
                "status": instance.status,
                "progress": instance.progress,
                "weight": instance.weight,
                "parent": instance.parent_id,
                "dependencies": [d.pk for d in instance.dependencies.all()],
                "function": instance.function_id,
                "map_entry": instance.map_entry_id,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        # An edit is based on the version the page showed: without one it is refused.
        self.fields["version"].required = instance is not None
        self.fields["owner_body"].queryset = bodies
        self.fields["lead_user"].queryset = leads
        others = milestones.exclude(pk=instance.pk) if instance else milestones
        self.fields["parent"].queryset = others.filter(programme=programme)
        self.fields["dependencies"].queryset = others
        for name, choices in (("function", functions), ("map_entry", map_entries)):
            if choices is None:
                continue
            current = getattr(instance, f"{name}_id", None) if instance else None
            if current and not choices.filter(pk=current).exists():
                # Linked to something this editor may not see: leave the link alone
                # rather than show its name or clear it on save.
                del self.fields[name]
            else:
                self.fields[name].queryset = choices
        _nhsuk_widgets(self)

    def clean_due_quarter(self) -> str:
        value = self.cleaned_data.get("due_quarter", "").strip()
        if value:
            try:
                self.cleaned_data["_quarter_end"] = parse_quarter(value).last_day
            except QuarterError as error:
                raise forms.ValidationError(str(error)) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        by_date, by_quarter = data.get("due_date"), data.get("due_quarter")
        if "due_quarter" in self.errors:
            return data
        if by_date and by_quarter:
            self.add_error("due_quarter", "Give a due date or a quarter, not both.")
        elif not by_date and not by_quarter:
            self.add_error("due_date", "Enter a due date, or a quarter such as Q4 2021/22.")
        if data.get("lead_user") and data.get("lead_name"):
            self.add_error("lead_name", "Choose a user or type a name, not both.")
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned data in the shape the services take."""
        data = dict(self.cleaned_data)
        quarter_end = data.pop("_quarter_end", None)
        data.pop("due_quarter", None)
        data.pop("note", None)
        data.pop("version", None)
        if quarter_end:
            data["due_date"], data["due_by_quarter"] = quarter_end, True
        else:
            data["due_by_quarter"] = False
        data["lead_name"] = data.get("lead_name", "").strip()
        return data


class InlineUpdateForm(forms.Form):
    """Status and progress of one milestone, from its row in the table."""

    status = forms.ChoiceField(choices=Status.choices)
    progress = forms.IntegerField(min_value=0, max_value=100)
    note = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BulkUpdateForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=[],
        error_messages={"required": "Choose at least one milestone."},
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        choices=[("", "Leave unchanged"), *Status.choices], required=False, label="Set status to"
    )
    progress = forms.IntegerField(
        min_value=0, max_value=100, required=False, label="Set progress to (%)"
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note for the update log",
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("status") and data.get("progress") is None:
            raise forms.ValidationError("Choose a status, a progress, or both to set.")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX)",
        help_text="Use the columns of the export. Rows with an id update that milestone; rows "
        f"without one add a milestone. Up to {LIMITS.max_bytes // 1024 // 1024} MB and "
        f"{LIMITS.max_rows:,} rows.",
    )
    # The job the check will be kept under, known before the upload so the page can
    # follow a long check while it runs.
    job = forms.CharField(required=False, widget=forms.HiddenInput)
