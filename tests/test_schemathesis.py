"""Property-based API tests: schemathesis generates requests from our OpenAPI schema
and checks every answer against it (status codes, content types, bodies, headers,
no server errors, invalid input refused, valid input accepted).

Run as the governance lead (who may read and write most) and as anonymous (who gets
401 everywhere). The number of examples is bounded so the suite stays quick; set
SCHEMATHESIS_EXAMPLES to search harder (e.g. 200) before a release.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks

from ics_portal.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


# Loaded when the module is collected: the schema view reads no database. (The lazy
# from_fixture loader does not work with pytest 9.)
# Phases: the schema's own examples, then random (fuzzing) requests. The coverage phase
# (every boundary of every parameter) multiplies the requests by ~30; run it with the
# CLI before a release rather than on every test run.
#
# Writes that name other records (a function, a body, a map entry by id) are refused
# with a 400 when no such record exists, and bulk update needs a status or a progress:
# rules about data, which a schema cannot state. For writes a 400 is therefore an
# expected answer to a schema-valid request; every other check applies unchanged.
#
# A NUL character in a text parameter is refused with a 400 (Django refuses it in every
# form field, and PostgreSQL cannot store it); the schema cannot say so, so the search
# leaves NUL out, and tests/test_hostile_input.py checks the refusal itself.
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"allow-x00": False},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "operations": [
            {
                "include-method": ["POST", "PATCH"],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            }
        ],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)

BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls the real WSGI handler, whose request signals close "old"
    database connections. Each test runs inside a transaction on one connection: on
    PostgreSQL closing it ends the test with "connection already closed" (SQLite's
    in-memory database ignores the close). Django's own test client detaches the same
    receiver for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def lead_headers(persona) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=persona("icb.governance"))
    return {"Authorization": f"Token {token.key}"}


@schema.parametrize()
@BOUNDED
def test_api_as_the_governance_lead(case, lead_headers):
    case.call_and_validate(headers=lead_headers, checks=ALL_CHECKS)


@schema.parametrize()
@settings(BOUNDED, max_examples=1)  # every answer is the same 401 (or the token's 400)
def test_api_as_anonymous(case):
    case.call_and_validate(checks=ALL_CHECKS)
