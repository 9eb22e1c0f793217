"""The import pages' shared steps: the upload handed to the check, the token, the poll."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import RequestFactory
from django.utils.datastructures import MultiValueDict

from governance import job_pages
from governance.models.jobs import new_token
from ics_portal import uploads

LIMITS = uploads.Limits(what="a map to import", max_bytes=100, max_rows=10, max_unpacked_bytes=1000)


class _Form(forms.Form):
    file = forms.FileField()
    job = forms.CharField(required=False)


def _form(content: bytes, token: str = "") -> _Form:
    files: MultiValueDict[str, UploadedFile] = MultiValueDict(
        {"file": [SimpleUploadedFile("map.csv", content)]}
    )
    form = _Form({"job": token}, files)
    assert form.is_valid()
    return form


def test_a_file_within_the_limits_goes_to_the_check_with_its_name_and_token():
    seen = {}

    def check(**kwargs):
        seen.update(kwargs)
        return "the job"

    token = new_token()
    form = _form(b"a,b\n1,2\n", token)
    assert job_pages.check_upload(form, LIMITS, check) == "the job"
    assert seen == {"filename": "map.csv", "content": b"a,b\n1,2\n", "token": token}


def test_an_oversized_file_is_refused_on_the_form_before_it_is_read():
    def check(**kwargs):
        raise AssertionError("an oversized file must not reach the check")

    form = _form(b"x" * 101)
    assert job_pages.check_upload(form, LIMITS, check) is None
    assert "file" in form.errors


def test_a_file_the_check_refuses_says_why_on_the_form():
    def check(**kwargs):
        raise uploads.FileRefused("This is not a spreadsheet.")

    form = _form(b"junk")
    assert job_pages.check_upload(form, LIMITS, check) is None
    assert form.errors["file"] == ["This is not a spreadsheet."]


def test_the_page_keeps_a_well_formed_token_and_replaces_anything_else():
    factory = RequestFactory()
    token = new_token()
    assert job_pages.page_token(factory.post("/", {"job": token})) == token
    for junk in ("", "../../etc", "A" * 32, token + "0"):
        fresh = job_pages.page_token(factory.post("/", {"job": junk}))
        assert fresh != junk and job_pages.TOKEN.match(fresh)


def test_progress_is_never_cached():
    response = job_pages.progress_json({"stage": "checking", "done": 1, "total": 2})
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
