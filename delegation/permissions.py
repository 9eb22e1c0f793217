"""Who may do what to the functions and decision map.

Built on ``governance.permissions``; nothing else in this app decides access. The rules:

- The system's governance lead keeps the catalogue and the entries, sets conditions
  and publishes versions.
- Programme offices and board members of any body in a system read that system's live
  map: functions, entries, conditions and their assessments.
- A condition's owner body's programme office records its self-assessment and evidence
  for that condition (the governance lead may too, on the office's behalf).
- Only the system's governance lead records the ICB's assurance (met, partly met, not
  met): the status dashboards count.
- A *proposed* entry is a draft of its receiving body: only the system's governance
  lead and that body's programme office and board members read it (and its
  conditions); a proposed entry with no receiving body, the lead alone.
- Viewers read published versions only: not the live map, entries or conditions.
- Nobody sees anything of a system they hold no role in; callers answer 404.

Delegation proposals (the workflow's states, transitions and roles are data in
``proposals.workflow``; the rules below say who holds which role for a proposal):

- The proposing body's programme office drafts, edits (draft only), submits and
  withdraws its own proposals, and sees them from the first draft; another body's
  office sees none of its drafts (404).
- Board members of the proposing body read its proposals once submitted, comment and
  record positions while in review; they cannot edit items or decide.
- The system's governance lead reads every proposal of the system once submitted,
  opens review, records the recommendation and the decision, and refreshes items the
  map moved under.
- Everyone else with a role in the system (viewers included) reads decided proposals
  only; another system's users get 404 for everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from governance import permissions as landscape
from governance.models import Body, IntegratedCareSystem
from governance.scope import grants_of
from ics_portal.policy import Action, Policy, ids_in, is_active, remember
from ics_portal.types import RequestUser

from .models import (
    Condition,
    ConditionAssessment,
    EntryStatus,
    Function,
    MapEntry,
    MapVersion,
    Proposal,
    ProposalComment,
    ProposalItem,
    ProposalPosition,
)
from .proposals import workflow
from .proposals.workflow import Role as ProposalRole
from .proposals.workflow import State

__all__ = ["Action", "can"]


def live_system_ids(user: RequestUser) -> frozenset[int]:
    """Systems whose live map the user reads: led, or holding a body role in them."""

    def work_out() -> frozenset[int]:
        return (
            landscape.system_ids(user, Action.EDIT)
            | landscape.body_system_ids(user, Action.ACT_AS_PROGRAMME_OFFICE)
            | landscape.body_system_ids(user, Action.ACT_AS_BOARD_MEMBER)
        )

    return remember(user, "delegation.live_system_ids", work_out)


def live_map_systems(user: RequestUser) -> QuerySet[IntegratedCareSystem]:
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(live_system_ids(user)))


def may_read_live_map(user: RequestUser, system: IntegratedCareSystem) -> bool:
    return is_active(user) and system.pk in live_system_ids(user)


def may_edit_map(user: RequestUser, system: IntegratedCareSystem) -> bool:
    return landscape.is_governance_lead(user, system)


def may_edit_some_map(user: RequestUser) -> bool:
    """A governance lead of any system: who may write to the map at all. Asked before
    a request is read, so a refusal never depends on (or reveals) what was sent."""
    return landscape.systems_led_by(user).exists()


def may_read_versions(user: RequestUser, system: IntegratedCareSystem) -> bool:
    return landscape.can(user, Action.VIEW, system)


# --- lists --------------------------------------------------------------------------


def visible_functions(user: RequestUser) -> QuerySet[Function]:
    return Function.objects.filter(system_id__in=ids_in(live_system_ids(user)))


def _body_visible(prefix: str, user: RequestUser) -> Q:
    # An entry naming a body the user may not see (an unpublished one) stays hidden too.
    return Q(**{f"{prefix}receiving_body__isnull": True}) | landscape.bodies_q(
        user, prefix=f"{prefix}receiving_body__"
    )


def _drafts_visible(prefix: str, user: RequestUser) -> Q:
    """A proposed entry is read by the lead, and its receiving body's office and board."""
    body = f"{prefix}receiving_body__"
    return (
        ~Q(**{f"{prefix}status": EntryStatus.PROPOSED})
        | Q(**{f"{prefix}function__system_id__in": ids_in(landscape.system_ids(user, Action.EDIT))})
        | landscape.bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix=body)
        | landscape.bodies_q(user, Action.ACT_AS_BOARD_MEMBER, prefix=body)
    )


def visible_map_entries(user: RequestUser) -> QuerySet[MapEntry]:
    return MapEntry.objects.filter(
        Q(function__system_id__in=ids_in(live_system_ids(user)))
        & _body_visible("", user)
        & _drafts_visible("", user)
    )


def visible_conditions(user: RequestUser) -> QuerySet[Condition]:
    return Condition.objects.filter(
        Q(map_entry__function__system_id__in=ids_in(live_system_ids(user)))
        & _body_visible("map_entry__", user)
        & _drafts_visible("map_entry__", user)
    )


def visible_assessments(user: RequestUser) -> QuerySet[ConditionAssessment]:
    return ConditionAssessment.objects.filter(condition__in=visible_conditions(user).values("pk"))


def visible_map_versions(user: RequestUser) -> QuerySet[MapVersion]:
    return MapVersion.objects.filter(system_id__in=ids_in(landscape.system_ids(user)))


def assessable_conditions(user: RequestUser) -> QuerySet[Condition]:
    """Conditions the user may assess: their office's own, or all in a system they lead."""
    return Condition.objects.filter(
        landscape.bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix="owner_body__")
    )


def receiving_bodies_for(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[Body]:
    """Bodies the governance lead may name as receiving bodies or owners."""
    if not may_edit_map(user, system):
        return Body.objects.none()
    return Body.objects.filter(system=system).order_by("name")


# --- one object ---------------------------------------------------------------------


def _can_function(user: RequestUser, action: Action, function: Function) -> bool:
    if action == Action.VIEW:
        return function.system_id in live_system_ids(user)
    if action == Action.EDIT:
        return landscape.is_governance_lead(user, function.system_id)
    return False


def _entry_body_visible(user: RequestUser, entry: MapEntry) -> bool:
    # receiving_body is None without a query when there is no id, as before.
    return entry.receiving_body is None or landscape.can(user, Action.VIEW, entry.receiving_body)


def _entry_draft_visible(user: RequestUser, entry: MapEntry) -> bool:
    if entry.status != EntryStatus.PROPOSED or landscape.is_governance_lead(
        user, entry.function.system_id
    ):
        return True
    body = entry.receiving_body
    return body is not None and (
        landscape.can(user, Action.ACT_AS_PROGRAMME_OFFICE, body)
        or landscape.can(user, Action.ACT_AS_BOARD_MEMBER, body)
    )


def _can_entry(user: RequestUser, action: Action, entry: MapEntry) -> bool:
    if action == Action.VIEW:
        return (
            _can_function(user, action, entry.function)
            and _entry_body_visible(user, entry)
            and _entry_draft_visible(user, entry)
        )
    return _can_function(user, action, entry.function)


def _can_condition(user: RequestUser, action: Action, condition: Condition) -> bool:
    system_id = condition.map_entry.function.system_id
    if action == Action.VIEW:
        return (
            system_id in live_system_ids(user)
            and _entry_body_visible(user, condition.map_entry)
            and _entry_draft_visible(user, condition.map_entry)
        )
    if action == Action.EDIT:
        return landscape.is_governance_lead(user, system_id)
    if action == Action.ASSESS:
        # The landscape answers for the lead as well as the owner's programme office.
        return system_id in live_system_ids(user) and landscape.can(
            user, Action.ACT_AS_PROGRAMME_OFFICE, condition.owner_body
        )
    if action == Action.ASSURE:
        return landscape.is_governance_lead(user, system_id)
    return False


def _can_assessment(user: RequestUser, action: Action, assessment: ConditionAssessment) -> bool:
    if action == Action.VIEW:
        return _can_condition(user, Action.VIEW, assessment.condition)
    # Assessments are append-only: nobody edits one.
    return False


def _can_version(user: RequestUser, action: Action, version: MapVersion) -> bool:
    if action == Action.VIEW:
        return version.system_id in landscape.system_ids(user)
    # A published version is a record: nobody edits it.
    return False


def _can_system(user: RequestUser, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return may_read_live_map(user, system)
    if action in (Action.EDIT, Action.PUBLISH):
        return may_edit_map(user, system)
    if action == Action.PROPOSE:
        return proposing_bodies(user, system).exists()
    return False


# --- proposals -----------------------------------------------------------------------


class ProposalScope:
    """What a user is to proposals, read once per request (cached on the user object)."""

    led: frozenset[int]
    office: frozenset[int]
    board: frozenset[int]
    systems: frozenset[int]

    def __init__(self, user: RequestUser) -> None:
        if not is_active(user):
            self.led = self.office = self.board = self.systems = frozenset()
            return
        grants = grants_of(user)
        self.led = grants.system_ids("lead_system")
        # The programme office strictly: a governance lead may act as any body's office
        # elsewhere, but a draft is its body's own until submitted.
        self.office = grants.body_ids("act_as_programme_office")
        self.board = grants.body_ids("act_as_board_member")
        self.systems = grants.system_ids("view_system")

    def roles(self, proposal: Proposal) -> frozenset[ProposalRole]:
        roles = set()
        if proposal.body_id in self.office:
            roles.add(ProposalRole.OFFICE)
        if proposal.body_id in self.board:
            roles.add(ProposalRole.BOARD)
        if proposal.system_id in self.led:
            roles.add(ProposalRole.LEAD)
        if proposal.system_id in self.systems:
            roles.add(ProposalRole.READER)
        return frozenset(roles)

    def visible(self) -> Q:
        submitted = Q(submitted_at__isnull=False)
        return (
            Q(body__in=self.office)
            | (Q(body__in=self.board) & submitted)
            | (Q(system__in=self.led) & submitted)
            | Q(system__in=self.systems, state=State.DECIDED)
        )


def proposal_scope(user: RequestUser) -> ProposalScope:
    return remember(user, "delegation.proposal_scope", lambda: ProposalScope(user))


def visible_proposals(user: RequestUser) -> QuerySet[Proposal]:
    if not is_active(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(proposal_scope(user).visible())


def visible_proposal_items(user: RequestUser) -> QuerySet[ProposalItem]:
    return ProposalItem.objects.filter(proposal__in=visible_proposals(user).values("pk"))


def visible_proposal_comments(user: RequestUser) -> QuerySet[ProposalComment]:
    return ProposalComment.objects.filter(proposal__in=visible_proposals(user).values("pk"))


def visible_positions(user: RequestUser) -> QuerySet[ProposalPosition]:
    return ProposalPosition.objects.filter(proposal__in=visible_proposals(user).values("pk"))


def proposing_bodies(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[Body]:
    """The bodies the user drafts proposals for: those whose programme office they are."""
    return Body.objects.filter(system=system, pk__in=proposal_scope(user).office).order_by("name")


def proposal_roles(user: RequestUser, proposal: Proposal) -> frozenset[ProposalRole]:
    return proposal_scope(user).roles(proposal) if is_active(user) else frozenset()


def _may_view_proposal(roles: frozenset[ProposalRole], proposal: Proposal) -> bool:
    if ProposalRole.OFFICE in roles:
        return True
    if roles & {ProposalRole.BOARD, ProposalRole.LEAD} and proposal.submitted_at is not None:
        return True
    return ProposalRole.READER in roles and proposal.state == State.DECIDED


def _can_proposal(user: RequestUser, action: Action, proposal: Proposal) -> bool:
    roles = proposal_roles(user, proposal)
    if not _may_view_proposal(roles, proposal):
        return False
    if action == Action.VIEW:
        return True
    rule = workflow.ACTIVITIES.get(action) or workflow.TRANSITIONS.get(action)
    if rule is None:
        return False
    states = rule.states if isinstance(rule, workflow.Activity) else rule.sources
    return proposal.state in states and bool(roles & rule.roles)


def _can_item(user: RequestUser, action: Action, item: ProposalItem) -> bool:
    if action in (Action.VIEW, Action.EDIT, Action.COMMENT):
        return _can_proposal(user, action, item.proposal)
    return False


def _can_comment(user: RequestUser, action: Action, comment: ProposalComment) -> bool:
    if action == Action.VIEW:
        return _can_proposal(user, action, comment.proposal)
    if action == Action.WITHDRAW:
        # Only its author, and only while comments are open.
        return (
            _can_proposal(user, Action.COMMENT, comment.proposal)
            and comment.author_id == user.pk
            and comment.withdrawn_at is None
        )
    return False


def _can_position(user: RequestUser, action: Action, position: ProposalPosition) -> bool:
    if action == Action.VIEW:
        return _can_proposal(user, action, position.proposal)
    return False


policy = Policy(
    "delegation",
    rules={
        Proposal: _can_proposal,
        ProposalItem: _can_item,
        ProposalComment: _can_comment,
        ProposalPosition: _can_position,
        Function: _can_function,
        MapEntry: _can_entry,
        Condition: _can_condition,
        ConditionAssessment: _can_assessment,
        MapVersion: _can_version,
        IntegratedCareSystem: _can_system,
    },
    lists={
        Proposal: visible_proposals,
        ProposalItem: visible_proposal_items,
        ProposalComment: visible_proposal_comments,
        ProposalPosition: visible_positions,
        Function: visible_functions,
        MapEntry: visible_map_entries,
        Condition: visible_conditions,
        ConditionAssessment: visible_assessments,
        MapVersion: visible_map_versions,
    },
)
# For a system, VIEW means its live map.
can = policy.can
visible = policy.visible
access = policy.access
authorise = policy.authorise
