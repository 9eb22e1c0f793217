from .bodies import Body, BodyKind, ChairType, GovernanceForm
from .jobs import Job, JobState
from .memberships import Membership, MembershipRole
from .object_permissions import (
    BodyGroupObjectPermission,
    BodyUserObjectPermission,
    SystemGroupObjectPermission,
    SystemUserObjectPermission,
)
from .organisations import Organisation, OrganisationKind
from .roles import Role, RoleAssignment
from .systems import IntegratedCareSystem

__all__ = [
    "Body",
    "BodyGroupObjectPermission",
    "BodyKind",
    "BodyUserObjectPermission",
    "ChairType",
    "GovernanceForm",
    "IntegratedCareSystem",
    "Job",
    "JobState",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "Role",
    "RoleAssignment",
    "SystemGroupObjectPermission",
    "SystemUserObjectPermission",
]
