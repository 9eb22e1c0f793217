"""Form pieces every app shares: the NHS.UK date input.

Why not ``<input type="date">``: the browser throws away any value that is not ISO
(``2026-07-01``), and Django localises the value it writes (``01/07/2026`` in en-GB), so
every edit form silently blanked its dates. The NHS.UK date input (day, month and year
boxes) is what NHS users know, needs no script, and round-trips whatever the locale.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

PARTS = ("day", "month", "year")


class NHSDateInput(forms.MultiWidget):
    """Three number boxes (day / month / year) with the nhsuk-date-input markup."""

    template_name = "governance/widgets/date_input.html"
    # The field template asks this to render a fieldset with a legend, not a label.
    is_nhsuk_date = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "data-part": part})
            for part in PARTS
        }
        super().__init__(widgets=boxes, attrs=attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            # An initial given as ISO text (e.g. from a query string).
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # A client that posts one ISO date under the field's own name (scripts, tests)
        # is read as such; a browser posts the three boxes.
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, as the NHS.UK pattern says.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict:
        context = super().get_context(name, value, attrs)
        invalid = bool(attrs and attrs.get("aria-invalid"))
        for part, sub in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = sub["attrs"]
            sub_attrs["id"] = f"{context['widget']['attrs'].get('id', name)}_{part}"
            width = 4 if part == "year" else 2
            css = f"nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}"
            sub_attrs["class"] = css + (" nhsuk-input--error" if invalid else "")
            # The fieldset carries the hint and error; the boxes carry their own labels.
            sub_attrs.pop("aria-describedby", None)
            sub["part"] = part
            sub["label"] = part.capitalize()
        return context


class NHSDateField(forms.Field):
    """A date typed as day, month and year, with the NHS.UK error messages."""

    widget = NHSDateInput
    default_error_messages = {
        "required": "Enter a date for %(label)s.",
        "incomplete": "%(label)s must include a %(missing)s.",
        "invalid": "%(label)s must be a real date.",
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise self._error("invalid") from None
        parts = [str(p).strip() if p is not None else "" for p in value]
        if not any(parts):
            return None
        label = self.label or "The date"
        missing = [name for name, part in zip(PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                self.error_messages["incomplete"]
                % {"label": label, "missing": " and ".join(missing)},
                code="incomplete",
            )
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise self._error("invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid") from None

    def _error(self, code: str) -> forms.ValidationError:
        label = self.label or "The date"
        return forms.ValidationError(self.error_messages[code] % {"label": label}, code=code)

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            label = (self.label or "this question").lower()
            raise forms.ValidationError(
                self.error_messages["required"] % {"label": label}, code="required"
            )

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True
