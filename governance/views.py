"""Landscape pages: home, a system's landscape, a body. Reads go through selectors,
which answer 404 for anything outside what the user may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ics_portal.page_cache import cached_page

from . import diagram, permissions, selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/home.html",
        {
            "roles": selectors.active_roles_of(request.user),
            "systems": selectors.systems_for(request.user),
        },
    )


@login_required
@cached_page
def landscape(request: HttpRequest, system: str) -> HttpResponse:
    ics = selectors.system_get(request.user, system)
    bodies = list(selectors.bodies_in(request.user, ics))
    visible_ids = {b.pk for b in bodies}
    also = selectors.also_accountable(bodies)
    return render(
        request,
        "governance/landscape.html",
        {
            "system": ics,
            "tree": diagram.body_tree(bodies),
            "svg": diagram.landscape_svg(ics, bodies, also),
            "accountability": [
                (b, [b.accountable_to, *also.get(b.pk, [])])
                for b in bodies
                if b.accountable_to_id in visible_ids
            ],
            "may_see_changes": permissions.is_governance_lead(request.user, ics),
        },
    )


@login_required
@cached_page
def body(request: HttpRequest, system: str, body: str) -> HttpResponse:
    ics = selectors.system_get(request.user, system)
    the_body = selectors.body_get(request.user, ics, body)
    # From the related bodies in hand and the request's grants: no query.
    visible_ids = {
        b.pk
        for b in (the_body.parent, the_body.accountable_to)
        if b is not None and permissions.can(request.user, permissions.Action.VIEW, b)
    }
    return render(
        request,
        "governance/body.html",
        {
            "system": ics,
            "body": the_body,
            "memberships": selectors.current_memberships(the_body),
            "subgroups": selectors.subgroups_of(request.user, the_body).order_by("kind", "name"),
            "accountable_bodies": selectors.accountable_bodies_of(request.user, the_body),
            "parent_visible": the_body.parent_id in visible_ids,
            "accountable_to_visible": the_body.accountable_to_id in visible_ids,
        },
    )
