from .bodies import Body, BodyKind, ChairType, GovernanceForm
from .changes import RecordChange
from .jobs import Job, JobState
from .memberships import Membership, MembershipRole
from .object_permissions import (
    BodyGroupObjectPermission,
    BodyUserObjectPermission,
    SystemGroupObjectPermission,
    SystemUserObjectPermission,
)
from .organisations import Organisation, OrganisationKind
from .revision import DataRevision
from .roles import Role, RoleAssignment
from .systems import IntegratedCareSystem

__all__ = [
    "Body",
    "BodyGroupObjectPermission",
    "BodyKind",
    "BodyUserObjectPermission",
    "ChairType",
    "DataRevision",
    "GovernanceForm",
    "IntegratedCareSystem",
    "Job",
    "JobState",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "RecordChange",
    "Role",
    "RoleAssignment",
    "SystemGroupObjectPermission",
    "SystemUserObjectPermission",
]
