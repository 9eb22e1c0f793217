"""Forms of the paper pages. Related fields are scoped to the paper's system and to
what the user may act for; every edit form carries the record's version."""

from __future__ import annotations

from typing import Any

from django import forms

from governance.models import Body
from ics_portal.types import RequestUser

from . import permissions, selectors
from .models import IMPLICATIONS, KIND_PARAMS, Paper, Recommendation, Section, Template


def nhs_styled(form: forms.BaseForm) -> None:
    """The NHS.UK design system's classes on each widget (the templates stay generic)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "nhsuk-checkboxes__input"
        elif isinstance(widget, forms.Textarea):
            css = "nhsuk-textarea"
        elif isinstance(widget, forms.Select):
            css = "nhsuk-select"
        else:
            css = "nhsuk-input"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        nhs_styled(self)  # type: ignore[arg-type]


class PaperCreateForm(StyledMixin, forms.Form):
    author_body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Written by")
    template = forms.ChoiceField(choices=Template.choices, label="Start from the template")
    meeting_body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Meeting of")
    meeting_date = forms.DateField(
        label="Meeting date", widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(max_length=200, label="Report title")

    def __init__(self, *args: Any, user: RequestUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authors = permissions.bodies_to_write_for(user).select_related("system").order_by("name")
        self.fields["author_body"].queryset = authors
        self.fields["meeting_body"].queryset = Body.objects.filter(
            system__in=authors.values("system")
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        author, meeting = data.get("author_body"), data.get("meeting_body")
        if author and meeting and author.system_id != meeting.system_id:
            self.add_error("meeting_body", f"Choose a board of {author.system}.")
        return data


def _officers_text(officers: list[dict[str, str]]) -> str:
    return "\n".join(
        " | ".join(o.get(k, "") for k in ("name", "title", "email")).rstrip(" |") for o in officers
    )


class PaperForm(StyledMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    officers_text = forms.CharField(
        label="Originating officer(s)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: name | title | email.",
    )

    class Meta:
        model = Paper
        fields = [
            "title",
            "meeting_body",
            "meeting_date",
            "report_of",
            "classification",
            "purpose",
            "summary",
            "priorities",
            *(name for name, _label in IMPLICATIONS),
        ]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "priorities": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            **{name: forms.Textarea(attrs={"rows": 2}) for name, _l in IMPLICATIONS},
        }
        labels = {name: label for name, label in IMPLICATIONS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paper = self.instance
        self.fields["meeting_body"].queryset = selectors.bodies_of(paper.system)
        self.fields["priorities"].queryset = paper.system.strategic_priorities.all()
        self.fields["version"].initial = paper.version
        self.fields["officers_text"].initial = _officers_text(paper.officers or [])
        for name, _label in IMPLICATIONS:
            self.fields[name].help_text = "Leave empty to print “None”."

    def clean_officers_text(self) -> list[dict[str, str]]:
        officers = []
        for number, line in enumerate(self.cleaned_data["officers_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > 3 or not parts[0]:
                raise forms.ValidationError(
                    f"Line {number}: write name | title | email, e.g. “Tom Okafor | Programme "
                    "lead | tom@example.org”."
                )
            parts += [""] * (3 - len(parts))
            officers.append(dict(zip(("name", "title", "email"), parts, strict=True)))
        return officers

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["officers"] = self.cleaned_data["officers_text"]
        return data


class SectionForm(StyledMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Section
        fields = [
            "heading",
            "text",
            "is_appendix",
            "order",
            "body",
            "programme",
            "since",
            "from_version",
            "to_version",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"is_appendix": "Print as an appendix", "since": "Decided since"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = self.instance
        system = section.paper.system
        params = KIND_PARAMS[section.kind]
        for name in ("body", "programme", "since", "from_version", "to_version"):
            if name not in params:
                del self.fields[name]
        if "body" in self.fields:
            self.fields["body"].queryset = selectors.bodies_of(system)
        if "programme" in self.fields:
            self.fields["programme"].queryset = selectors.programmes_of(system)
        for name in ("from_version", "to_version"):
            if name in self.fields:
                self.fields[name].queryset = selectors.map_versions_of(system)
        self.fields["version"].initial = section.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class SectionAddForm(StyledMixin, forms.Form):
    heading = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=Section._meta.get_field("kind").choices, label="Kind of section"
    )


class RecommendationForm(StyledMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Recommendation
        fields = ["action", "text"]
        labels = {"action": "Action asked of the board", "text": "Recommendation"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ConsideredForm(StyledMixin, forms.Form):
    meeting = forms.CharField(max_length=200, label="Committee or meeting")
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class GlossaryTermForm(StyledMixin, forms.Form):
    acronym = forms.CharField(max_length=20)
    meaning = forms.CharField(max_length=300)


class PublicPageForm(forms.Form):
    enabled = forms.TypedChoiceField(
        choices=[("on", "On"), ("off", "Off")], coerce=lambda v: v == "on"
    )
