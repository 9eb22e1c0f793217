"""Logging filters.

A 403 is an answer the portal gives on purpose (a person asked for something they may
not do), not a fault: Django logs it as a warning *with* the exception's traceback, and
its own "django" handler plus the root handler printed it twice. One line is enough.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class NoTracebackForPermissionDenied(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
