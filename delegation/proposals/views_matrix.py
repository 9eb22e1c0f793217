"""The proposal drawn on the decision matrix (``on_matrix``): its own module so the
proposal views' form flow stays where it is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..matrix import LEVEL_SHORT, LEVEL_TAGS
from ..models import Level
from . import selectors
from .on_matrix import proposal_matrix


@login_required
@require_GET
def proposal_matrix_page(request: HttpRequest, pk: int) -> HttpResponse:
    # 404, not 403, for a proposal the user may read but whose live map they may not
    # (a viewer reads a decided proposal, and the published versions, never the live map).
    proposal = selectors.proposal_get(request.user, pk)
    if not permissions.may_read_live_map(request.user, proposal.system):
        raise Http404("No such proposal.")
    whole = request.GET.get("rows") == "all"
    return render(
        request,
        "delegation/proposals/matrix.html",
        {
            "system": proposal.system,
            "may_read_live": True,
            "proposal": proposal,
            "levels": [(level, LEVEL_TAGS[level], LEVEL_SHORT[level]) for level in Level],
            **proposal_matrix(request.user, proposal, whole=whole),
        },
    )
