"""Form pieces every app shares: the NHS.UK date input, and ``submit``, the one
round trip of a page's form to a service.

Why not ``<input type="date">``: the browser throws away any value that is not ISO
(``2026-07-01``), and Django localises the value it writes (``01/07/2026`` in en-GB), so
every edit form silently blanked its dates. The NHS.UK date input (day, month and year
boxes) is what NHS users know, needs no script, and round-trips whatever the locale.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

from .concurrency import StaleWrite

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


# --- one form's round trip to a service -------------------------------------------

FormT = TypeVar("FormT", bound=forms.BaseForm)
T = TypeVar("T")


def attach(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: each message under its field when the form
    has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@dataclass
class Submission(Generic[FormT, T]):
    """What became of one submission: ``saved`` with the service's ``result``, or the
    form to show again, with why not (its errors, ``stale``, or ``refused``)."""

    form: FormT
    saved: bool = False
    # The service's answer; read only when ``saved`` (then it is always set), so it is
    # typed as the answer rather than making every caller narrow an Optional.
    result: T = None  # type: ignore[assignment]
    # Someone saved first: nothing was written; the page lists what they changed.
    stale: StaleWrite | None = None
    # Another refusal the page explains itself (e.g. an approval the map moved under).
    refused: Exception | None = None
    # The service's ValidationError, already on the form.
    error: ValidationError | None = None

    def status(self, invalid: int = 200) -> int:
        """409 for a write someone else's change refused (until they save again on
        purpose); ``invalid`` for a form with errors; else 200."""
        if self.stale is not None or self.refused is not None:
            return 409
        if self.form.is_bound and self.form.errors:
            return invalid
        return 200


def submit(
    request: HttpRequest,
    bind: Callable[[QueryDict | None, Any], FormT],
    write: Callable[[FormT], T],
    *,
    rebase: bool = True,
    refusals: tuple[type[Exception], ...] = (),
) -> Submission[FormT, T]:
    """Bind the form, and for a valid POST call the service; say what became of it.

    Call it after the object and the right to act on it are settled (authorise before
    validate). ``bind(data, current)`` builds the form with its related fields scoped
    to what the user may see; ``current`` is None, or after a stale write the record as
    it is now. ``write(form)`` calls the service with the valid form's values.

    - A ``ValidationError`` from the service goes on the form (``attach``).
    - A ``StaleWrite`` keeps what they typed, now based on the current version
      (``rebase=False`` keeps the form as posted: a step to look at again, not retry).
    - ``refusals``: other exceptions that mean "nothing written", kept for the page.
    """
    data = request.POST if request.method == "POST" else None
    form = bind(data, None)
    if data is None:
        return Submission(form)
    restore = _as_saved(form)
    done = _attempt(form, write, refusals)
    if not done.saved:
        restore()
        if done.stale is not None and rebase:
            done.form = _rebased(form, bind, data, done.stale)
    return done


def _attempt(
    form: FormT, write: Callable[[FormT], T], refusals: tuple[type[Exception], ...]
) -> Submission[FormT, T]:
    """Validate the bound form and, if valid, call the service: what became of it."""
    if not form.is_valid():
        return Submission(form)
    try:
        result = write(form)
    except StaleWrite as stale:
        return Submission(form, stale=stale)
    except refusals as refused:
        return Submission(form, refused=refused)
    except ValidationError as error:
        attach(form, error)
        return Submission(form, error=error)
    return Submission(form, saved=True, result=result)


def _as_saved(form: Any) -> Callable[[], None]:
    """Undo what validating does to a model form's record, for a form shown again.

    Django's ``ModelForm`` writes what was typed onto its instance as it validates. The
    page around a form shown again reads that record (the heading names it, a conflict
    shows the other person's values): it must say what is saved, while the form, which
    renders from what was posted, keeps what was typed."""
    instance = getattr(form, "instance", None)
    if instance is None or not hasattr(instance, "_state"):
        return lambda: None
    fields = dict(instance.__dict__)
    related = dict(instance._state.fields_cache)

    def restore() -> None:
        instance.__dict__.update(fields)
        instance._state.fields_cache = related

    return restore


def _rebased(
    form: FormT, bind: Callable[[QueryDict | None, Any], FormT], data: QueryDict, stale: StaleWrite
) -> FormT:
    """What they typed, now based on the version whose changes they are shown: saving
    again is then a deliberate choice over the other person's change."""
    data = data.copy()
    data[form.add_prefix("version")] = str(stale.version)
    fresh = bind(data, stale.obj)
    restore = _as_saved(fresh)
    fresh.is_valid()
    restore()
    return fresh
