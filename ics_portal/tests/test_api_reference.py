"""The API reference page: read from the OpenAPI schema, public like it, in the
portal's layout with the way to Swagger; Swagger has the way back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ics_portal.api_reference import reference

pytestmark = pytest.mark.django_db


def test_every_endpoint_of_the_schema_is_on_the_page_with_its_parameters():
    html = Client().get(reverse("api-reference")).content.decode()
    operations = [op for s in reference()["sections"] for op in s["operations"]]
    assert len(operations) > 40
    for op in operations:
        assert f'id="{op.anchor}"' in html
        for parameter in op.parameters:
            assert f"<code>{parameter.name}</code>" in html
    # A list's filters come with their choices spelled out.
    assert "<code>place_partnership</code> (Place-based partnership)" in html


def test_the_page_says_how_to_sign_in_and_what_an_error_looks_like(client_as):
    html = client_as("tht.office").get(reverse("api-reference")).content.decode()
    assert "Authorization: Token &lt;your token&gt;" in html
    assert reverse("api-token-page") in html
    assert '{"error": {"status": 400, "code": "invalid"' in html
    assert reverse("api-docs") in html and reverse("api-schema") in html


def test_the_header_and_footer_lead_to_the_reference(client_as):
    html = client_as("viewer").get(reverse("governance:home")).content.decode()
    assert f'href="{reverse("api-reference")}">API</a>' in html
    assert "Try the API (Swagger)" in html


def test_swagger_leads_back_to_the_portal_and_its_reference():
    html = Client().get(reverse("api-docs")).content.decode()
    assert 'href="/">ICS governance portal</a>' in html
    assert f'href="{reverse("api-reference")}"' in html
    assert "swagger-ui" in html
