"""The API reference as a portal page, read from the same OpenAPI schema Swagger shows.

Swagger UI stays as the page to try calls on; it is not accessible (contrast, nested
controls, no language) and leaves the portal's layout. This page says the same in the
NHS.UK layout: each resource's endpoints with their methods, parameters, body and
answers, how to authenticate, and the one error shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

METHODS = ("get", "post", "put", "patch", "delete")
VERBS = {
    "get": "Read",
    "post": "Create or act",
    "put": "Replace",
    "patch": "Change",
    "delete": "Delete",
}
ENUM_LINE = re.compile(r"^\* `([^`]*)` - (.*)$")
PREFIX = "/api/v1/"


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: str
    answers: list[tuple[str, str]]
    errors: list[str]
    signed_in: bool

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.method} {self.path}".lower()).strip("-")


def _kind(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_kind(schema.get('items', {}))}"
    kind = schema.get("type", "value")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _description(text: str) -> tuple[str, list[tuple[str, str]]]:
    """drf-spectacular writes an enum's choices as "* `code` - Label" lines: a list."""
    prose, choices = [], []
    for line in (text or "").splitlines():
        match = ENUM_LINE.match(line.strip())
        if match:
            choices.append((match[1], match[2]))
        elif line.strip():
            prose.append(line.strip())
    return " ".join(prose), choices


def _parameter(raw: dict[str, Any]) -> Parameter:
    text, choices = _description(raw.get("description", ""))
    schema = raw.get("schema", {})
    if not choices and schema.get("enum"):
        choices = [(str(v), "") for v in schema["enum"]]
    return Parameter(
        name=raw["name"],
        where=raw["in"],
        required=bool(raw.get("required")),
        kind=_kind(schema),
        description=text,
        choices=choices,
    )


def _body(op: dict[str, Any]) -> str:
    content = op.get("requestBody", {}).get("content", {})
    for media in ("application/json", *content):
        if media in content:
            return f"{_kind(content[media].get('schema', {}))} as {media}"
    return ""


def _operation(path: str, method: str, op: dict[str, Any]) -> Operation:
    resource = path.removeprefix(PREFIX).split("/")[0].replace("-", " ")
    summary = (op.get("summary") or f"{VERBS[method]}: {resource}").rstrip(".") + "."
    codes = sorted(op.get("responses", {}))
    answers = [
        (code, op["responses"][code].get("description", "")) for code in codes if code < "400"
    ]
    return Operation(
        method=method.upper(),
        path=path,
        summary=summary,
        description=op.get("description", ""),
        parameters=[_parameter(p) for p in op.get("parameters", [])],
        body=_body(op),
        answers=answers,
        errors=[code for code in codes if code >= "400"],
        signed_in=any(rule for rule in op.get("security", [{}])),
    )


@lru_cache(maxsize=1)
def reference() -> dict[str, Any]:
    """The schema read into sections, once per process: it changes only with the code."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    sections: dict[str, list[Operation]] = {}
    for path, item in schema["paths"].items():
        resource = path.removeprefix(PREFIX).split("/")[0]
        for method in METHODS:
            if method in item:
                sections.setdefault(resource, []).append(_operation(path, method, item[method]))
    return {
        "info": schema["info"],
        "sections": [
            {"name": name, "title": name.replace("-", " ").capitalize(), "operations": ops}
            for name, ops in sorted(sections.items())
        ],
    }


def api_reference(request: HttpRequest) -> HttpResponse:
    """Public, like the schema: it describes the API, not anyone's data."""
    return render(request, "api/reference.html", reference())
