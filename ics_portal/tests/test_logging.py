"""A 403 is logged once, as one line; a 500 keeps its traceback."""

from __future__ import annotations

import logging

from django.urls import reverse


def test_a_403_is_one_line_without_a_traceback(client_as, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("viewer").get(reverse("delegation:matrix", args=["nel"]))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "Forbidden" in records[0].getMessage()


def test_django_logs_through_one_handler():
    django_logger = logging.getLogger("django")
    assert django_logger.handlers == []
    assert django_logger.propagate
    assert len(logging.getLogger().handlers) >= 1


def test_other_errors_keep_their_traceback():
    from ics_portal.logging import NoTracebackForPermissionDenied

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "x", None, sys.exc_info()
        )
    assert NoTracebackForPermissionDenied().filter(record)
    assert record.exc_info is not None
