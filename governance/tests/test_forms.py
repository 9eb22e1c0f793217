"""The NHS.UK date input: day, month and year boxes that round-trip."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from governance.concurrency import StaleWrite
from governance.forms import NHSDateField, submit


class _Form(forms.Form):
    due = NHSDateField(label="Due date")
    review = NHSDateField(label="Review by", required=False)


def _boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_a_saved_date_is_shown_in_the_three_boxes_and_read_back():
    html = str(_Form(initial={"due": datetime.date(2026, 7, 1)})["due"])
    assert 'name="due_day" value="1"' in html
    assert 'name="due_month" value="7"' in html
    assert 'name="due_year" value="2026"' in html
    assert 'type="date"' not in html
    form = _Form(_boxes("due", "1", "7", "2026") | _boxes("review", "", "", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due": datetime.date(2026, 7, 1), "review": None}


def test_leading_zeros_and_spaces_are_read():
    form = _Form(_boxes("due", " 01", "07 ", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Due date must be a real date."),
        ("1", "13", "2026", "Due date must be a real date."),
        ("1", "7", "26", "Due date must be a real date."),
        ("x", "7", "2026", "Due date must be a real date."),
        ("1", "", "2026", "Due date must include a month."),
        ("", "", "2026", "Due date must include a day and month."),
        ("", "", "", "Enter a date for due date."),
    ],
)
def test_a_date_that_is_not_real_or_whole_is_refused_clearly(day, month, year, message):
    form = _Form(_boxes("due", day, month, year))
    assert not form.is_valid()
    assert form.errors["due"] == [message]


def test_what_was_typed_is_shown_again_with_the_boxes_marked():
    form = _Form(_boxes("due", "31", "2", "2026"))
    form.is_valid()
    html = str(form["due"])
    assert 'value="31"' in html and 'value="2"' in html
    assert html.count("nhsuk-input--error") == 3


def test_an_iso_date_under_the_field_name_is_read():
    # Scripts and older tests post one ISO date, as the API takes it.
    form = _Form({"due": "2026-07-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2026, 7, 1)


def test_an_unchanged_date_has_not_changed():
    form = _Form(_boxes("due", "1", "7", "2026"), initial={"due": datetime.date(2026, 7, 1)})
    assert not form["due"].field.has_changed(datetime.date(2026, 7, 1), ["1", "7", "2026"])
    assert form.has_changed() is False or "due" not in form.changed_data


# --- submit: one form's round trip to a service --------------------------------------


class _Record:
    """Stands for a versioned record as it is now (what ``StaleWrite.obj`` holds)."""

    def __init__(self, version: int) -> None:
        self.version = version

    def __str__(self) -> str:
        return "The record"


class _EditForm(forms.Form):
    title = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def _post(rf, data: dict[str, str]):
    return rf.post("/edit/", data)


def _bind(seen: list):
    def bind(data, current):
        seen.append(current)
        return _EditForm(data, initial={"title": "As loaded", "version": 1})

    return bind


def test_a_get_binds_nothing_and_writes_nothing(rf):
    done = submit(rf.get("/edit/"), _bind([]), lambda form: pytest.fail("wrote on a GET"))
    assert not done.form.is_bound
    assert (done.saved, done.status()) == (False, 200)


def test_a_valid_post_calls_the_service_once_and_keeps_its_result(rf):
    calls = []
    done = submit(
        _post(rf, {"title": "New", "version": "1"}),
        _bind([]),
        lambda form: calls.append(form.cleaned_data["title"]) or "the result",
    )
    assert calls == ["New"]
    assert (done.saved, done.result, done.stale) == (True, "the result", None)


def test_an_invalid_post_never_reaches_the_service(rf):
    done = submit(_post(rf, {"version": "1"}), _bind([]), lambda form: pytest.fail("wrote"))
    assert not done.saved
    assert "title" in done.form.errors
    assert (done.status(), done.status(invalid=400)) == (200, 400)


def test_a_service_refusal_goes_under_its_field_or_above_the_form(rf):
    def refuse(form):
        raise ValidationError({"title": ["Taken."], "elsewhere": ["Not a field here."]})

    done = submit(_post(rf, {"title": "New", "version": "1"}), _bind([]), refuse)
    assert not done.saved
    assert done.form.errors["title"] == ["Taken."]
    assert done.form.non_field_errors() == ["Not a field here."]
    assert done.error is not None


def test_a_stale_write_keeps_what_was_typed_on_the_current_version(rf):
    now = _Record(version=4)

    def stale(form):
        raise StaleWrite(now, based_on=1, changes=[])

    seen: list = []
    done = submit(_post(rf, {"title": "Typed", "version": "1"}), _bind(seen), stale)
    assert seen == [None, now]  # bound again on the record as it is now
    assert done.form["title"].value() == "Typed"
    assert done.form["version"].value() == "4"
    assert done.form.is_valid()
    assert (done.saved, done.stale.obj, done.status()) == (False, now, 409)


def test_without_rebase_a_stale_write_keeps_the_form_as_posted(rf):
    def stale(form):
        raise StaleWrite(_Record(version=4), based_on=1, changes=[])

    done = submit(_post(rf, {"title": "Typed", "version": "1"}), _bind([]), stale, rebase=False)
    assert done.form["version"].value() == "1"
    assert done.status() == 409


def test_a_named_refusal_is_kept_for_the_page_and_answers_409(rf):
    class MapMoved(Exception):
        pass

    def refuse(form):
        raise MapMoved

    done = submit(
        _post(rf, {"title": "New", "version": "1"}), _bind([]), refuse, refusals=(MapMoved,)
    )
    assert isinstance(done.refused, MapMoved)
    assert done.status() == 409


class _BodyForm(forms.ModelForm):
    version = forms.IntegerField()

    class Meta:
        from governance.models import Body

        model = Body
        fields = ["name", "parent"]


def _bind_body(body):
    def bind(data, current):
        return _BodyForm(data, instance=current or body)

    return bind


@pytest.mark.parametrize("outcome", ["invalid", "stale", "refused"])
def test_a_record_shown_around_a_form_again_says_what_is_saved(rf, persona, outcome):
    """Validating a model form writes what was typed onto its record; a page showing the
    form again reads that record for its heading and the other person's values."""
    from governance.models import Body

    body = Body.objects.get(system__slug="nel", slug="tht")
    saved_name, saved_parent = body.name, body.parent
    assert body.parent_id is not None
    other = (
        Body.objects.filter(system__slug="nel", kind__in=["icb_board", "local_system"])
        .exclude(pk=body.parent_id)
        .first()
    )
    now = Body.objects.get(pk=body.pk)
    typed = {"name": "Typed name", "parent": str(other.pk), "version": "1"}
    if outcome == "invalid":
        typed["version"] = "not a number"

    def write(form):
        if outcome == "stale":
            raise StaleWrite(now, based_on=1, changes=[])
        raise ValidationError("Refused.")

    done = submit(_post(rf, typed), _bind_body(body), write)
    assert not done.saved
    assert done.form.is_valid() is (outcome == "stale")  # a refusal goes on the form
    assert (body.name, body.parent) == (saved_name, saved_parent)
    assert done.form["name"].value() == "Typed name"
    if outcome == "stale":
        assert done.form.instance is now
        assert (now.name, now.parent) == (saved_name, saved_parent)
