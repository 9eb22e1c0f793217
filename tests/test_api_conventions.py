"""Project-wide API conventions: the OpenAPI schema, the docs page, one error shape.

Every API error, whatever raised it, answers ``{"error": {"status", "code", "message",
"fields"?}}`` (see ics_portal/api.py), so a client has one thing to parse.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from ics_portal.api import exception_handler

pytestmark = pytest.mark.django_db

LANDSCAPE_PATHS = (
    "/api/v1/systems/",
    "/api/v1/systems/{id}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{id}/",
    "/api/v1/bodies/",
    "/api/v1/bodies/{id}/",
    "/api/v1/memberships/",
    "/api/v1/memberships/{id}/",
)


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    # Field messages belong to a bad request only.
    assert ("fields" in error) == (status == 400)
    return error


# --- the schema and the docs ----------------------------------------------------------


def test_schema_is_valid_openapi_3_with_the_landscape_paths(db):
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything OpenAPI 3 does not allow
    for path in LANDSCAPE_PATHS:
        assert "get" in schema["paths"][path], path
        assert not {"post", "put", "patch", "delete"} & set(schema["paths"][path]), path
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_documents_the_token_endpoint_and_the_error_shape(db):
    schema = json.loads(Client().get("/api/schema/", {"format": "json"}).content)
    token = schema["paths"]["/api/v1/auth/token/"]
    assert set(token) == {"post", "delete"}
    request_ref = token["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][request_ref.rsplit("/", 1)[1]]
    assert set(request["required"]) == {"username", "password"}
    assert "400" in token["post"]["responses"]
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body_list = schema["paths"]["/api/v1/bodies/"]["get"]
    assert {"401", "400"} <= set(body_list["responses"])
    assert "404" in schema["paths"]["/api/v1/bodies/{id}/"]["get"]["responses"]
    filters = {p["name"] for p in body_list["parameters"]}
    assert {"system", "kind", "parent", "is_published", "page", "page_size"} <= filters


def test_schema_generates_without_warnings(tmp_path):
    # What `manage.py spectacular --validate --fail-on-warn` checks in CI: an
    # unresolvable serializer field or an ambiguous enum name fails here first.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.")


def test_docs_page_loads(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    # The split view's set-up script is a file of its own (no inline script, for the CSP).
    script = Client().get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
    # Served from the sidecar package, not a CDN.
    assert "drf_spectacular_sidecar" in page


# --- one error shape, whatever the error -------------------------------------------------


def test_401_for_an_anonymous_call():
    response = APIClient().get("/api/v1/bodies/")
    assert_error_shape(response, 401, "not_authenticated")
    # Token authentication comes first, so the client is told how to authenticate.
    assert response["WWW-Authenticate"] == "Token"


def test_401_for_a_bad_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert_error_shape(client.get("/api/v1/systems/"), 401, "authentication_failed")


def test_404_for_a_missing_object(api_as):
    assert_error_shape(api_as("viewer").get("/api/v1/bodies/999999/"), 404, "not_found")


def test_404_for_an_object_of_another_system_is_the_same_as_missing(api_as):
    from governance.models import Body

    nel_body = Body.objects.get(system__slug="nel", slug="tht")
    client = api_as("sel.governance")
    hidden = client.get(f"/api/v1/bodies/{nel_body.pk}/")
    assert_error_shape(hidden, 404, "not_found")
    assert hidden.json() == client.get("/api/v1/bodies/999999/").json()


def test_405_for_a_wrong_method(api_as):
    error = assert_error_shape(
        api_as("icb.governance").post("/api/v1/bodies/", {}, format="json"),
        405,
        "method_not_allowed",
    )
    assert "POST" in error["message"]
    assert_error_shape(APIClient().get("/api/v1/auth/token/"), 405, "method_not_allowed")


def test_400_for_a_bad_filter_value(api_as):
    error = assert_error_shape(
        api_as("viewer").get("/api/v1/bodies/", {"kind": "castle"}), 400, "invalid"
    )
    assert list(error["fields"]) == ["kind"]
    assert all(isinstance(m, str) for m in error["fields"]["kind"])


def test_400_for_a_bad_token_request():
    error = assert_error_shape(
        APIClient().post("/api/v1/auth/token/", {"username": "viewer", "password": "wrong"}),
        400,
        "invalid",
    )
    assert error["fields"]["non_field_errors"]


def test_403_for_a_session_write_without_csrf(persona):
    # A browser session must send the CSRF token on writes; the refusal is an API error.
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("icb.governance"))
    error = assert_error_shape(client.post("/api/v1/bodies/", {}), 403, "permission_denied")
    assert "CSRF" in error["message"]


@pytest.mark.parametrize(
    ("exc", "status", "code", "fields"),
    [
        (Http404("No such body."), 404, "not_found", None),
        (DjangoPermissionDenied(), 403, "permission_denied", None),
        (
            DjangoValidationError({"end_date": ["The membership cannot end before it starts."]}),
            400,
            "invalid",
            {"end_date": ["The membership cannot end before it starts."]},
        ),
        (
            DjangoValidationError("This membership already ended."),
            400,
            "invalid",
            {"non_field_errors": ["This membership already ended."]},
        ),
    ],
    ids=["http404", "permission-denied", "validation-dict", "validation-message"],
)
def test_django_exceptions_from_services_take_the_same_shape(exc, status, code, fields):
    response = exception_handler(exc, {})
    assert response is not None
    assert response.status_code == status
    error = response.data["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]
    assert error.get("fields") == fields


def test_an_unexpected_exception_is_left_to_django():
    # Not an API error: the handler must not dress a bug up as a client error.
    assert exception_handler(RuntimeError("bug"), {}) is None


def test_a_choice_label_is_what_the_models_display_method_says(db):
    """ChoiceLabelField reads the stored value and looks its label up, instead of DRF
    calling get_<field>_display() for each row; the two must agree for every choice."""
    from governance.models import Body
    from governance.serializers import BodySerializer

    field = BodySerializer().fields["kind_display"]
    body = Body.objects.first()
    assert body is not None
    for value, _label in Body._meta.get_field("kind").flatchoices:
        body.kind = value
        assert field.to_representation(value) == body.get_kind_display()
    assert field.to_representation("not-a-kind") == "not-a-kind"
