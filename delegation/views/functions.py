"""The catalogue of functions: the list, adding one, editing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from governance.concurrency import version_field
from governance.forms import submit

from .. import forms, permissions, selectors, services
from ..permissions import Action
from .common import base_context, editable_system, form_page, live_system

FUNCTION_FIELDS = ("code", "name", "group", "description", "statutory_basis", "display_order")


@login_required
def function_list(request: HttpRequest, system: str) -> HttpResponse:
    ics = live_system(request, system)
    context = base_context(request, ics)
    context["functions"] = selectors.functions_in(request.user, ics)
    return render(request, "delegation/function_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def function_create(request: HttpRequest, system: str) -> HttpResponse:
    ics = editable_system(request, system)
    done = submit(
        request,
        lambda data, _: forms.FunctionForm(data),
        lambda form: services.function_create(system=ics, **form.cleaned_data),
    )
    if done.saved:
        messages.success(request, f"Added {done.result}.")
        return redirect("delegation:function_list", system=ics.slug)
    return form_page(
        request,
        ics,
        done,
        title="Add a function",
        submit="Add function",
        back=reverse("delegation:function_list", args=[ics.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def function_edit(request: HttpRequest, pk: int) -> HttpResponse:
    function = permissions.access(request.user, Action.EDIT, selectors.function_get, pk)
    initial = {name: getattr(function, name) for name in FUNCTION_FIELDS}
    done = submit(
        request,
        lambda data, _: version_field(forms.FunctionForm(data, initial=initial), function),
        lambda form: services.function_update(
            function=function, by=request.user, **form.cleaned_data
        ),
    )
    if done.saved:
        messages.success(request, "Function saved.")
        return redirect("delegation:function_list", system=function.system.slug)
    return form_page(
        request,
        function.system,
        done,
        title=f"Edit {function.code}",
        submit="Save function",
        back=reverse("delegation:function_list", args=[function.system.slug]),
    )
