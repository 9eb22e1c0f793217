"""Who may read and change board papers: the papers policy.

Built on ``governance.permissions``; nothing else in this app asks guardian. Rules:

- Reading a paper, any state: the writing body's programme office and board members,
  and the system's governance lead. Everyone else with a role in the system (viewers,
  other bodies' offices) reads published papers only. Another system's users see
  nothing (callers answer 404, as for a missing paper).
- Built versions are read by whoever may read the paper.
- Creating, editing (draft only), building and marking ready (or back to draft): the
  writing body's programme office, and the governance lead for any body of the system.
- Publishing and withdrawing: the governance lead.
- The glossary and the public page of a system: read by everyone with a role in it,
  changed by its governance lead. The public page itself needs no sign-in, and shows
  only published papers and published map versions, and only once switched on.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from governance import permissions as landscape
from governance.models import Body, IntegratedCareSystem
from ics_portal.policy import Action, Policy, ids_in, is_active
from ics_portal.types import RequestUser

from .models import Paper, PaperState

__all__ = ["Action", "can"]


# --- querysets ---------------------------------------------------------------------


def visible_papers(user: RequestUser) -> QuerySet[Paper]:
    if not is_active(user):
        return Paper.objects.none()
    # From the request's grants (governance.scope): no query to build the filter.
    return Paper.objects.filter(
        Q(system_id__in=ids_in(landscape.system_ids(user, Action.EDIT)))
        | landscape.worked_for_q(user, "author_body__")
        | Q(system_id__in=ids_in(landscape.system_ids(user)), state=PaperState.PUBLISHED)
    )


def bodies_to_write_for(user: RequestUser) -> QuerySet[Body]:
    """Bodies the user may write papers for (as their author)."""
    return landscape.bodies_where(user, Action.ACT_AS_PROGRAMME_OFFICE)


# --- one object --------------------------------------------------------------------


def _writes_for(user: RequestUser, paper: Paper) -> bool:
    return landscape.can(user, Action.ACT_AS_PROGRAMME_OFFICE, paper.author_body)


def _may_view(user: RequestUser, paper: Paper) -> bool:
    if landscape.is_governance_lead(user, paper.system) or _writes_for(user, paper):
        return True
    if landscape.can(user, Action.ACT_AS_BOARD_MEMBER, paper.author_body):
        return True
    return paper.state == PaperState.PUBLISHED and landscape.can(user, Action.VIEW, paper.system)


def _can_paper(user: RequestUser, action: Action, paper: Paper) -> bool:
    if action == Action.VIEW:
        return _may_view(user, paper)
    if action == Action.EDIT:
        return paper.state == PaperState.DRAFT and _writes_for(user, paper)
    if action in (Action.BUILD, Action.MARK_READY):
        return paper.state in (PaperState.DRAFT, PaperState.READY) and _writes_for(user, paper)
    if action == Action.PUBLISH:
        return paper.state == PaperState.READY and landscape.is_governance_lead(user, paper.system)
    if action == Action.WITHDRAW:
        return paper.state != PaperState.WITHDRAWN and landscape.is_governance_lead(
            user, paper.system
        )
    return False


policy = Policy("papers", rules={Paper: _can_paper}, lists={Paper: visible_papers})
can = policy.can
visible = policy.visible
access = policy.access
authorise = policy.authorise


def may_read_system(user: RequestUser, system: IntegratedCareSystem) -> bool:
    return landscape.can(user, Action.VIEW, system)


def may_govern_system(user: RequestUser, system: IntegratedCareSystem) -> bool:
    """Glossary, strategic priorities and the public page."""
    return landscape.is_governance_lead(user, system)


def may_write_for(user: RequestUser, body: Body) -> bool:
    return landscape.can(user, Action.ACT_AS_PROGRAMME_OFFICE, body)
