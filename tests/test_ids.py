import pytest

from ics_portal.ids import as_id


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("42", 42), ("9" * 18, 10**18 - 1)])
def test_whole_numbers_are_read(text, expected):
    assert as_id(text) == expected


@pytest.mark.parametrize(
    "text", ["", " 42", "42 ", "-1", "4.0", "²", "٣", "9" * 19, "nel", None, 42]
)
def test_anything_else_is_not_an_id(text):
    assert as_id(text) is None
