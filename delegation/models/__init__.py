from .choices import (
    LEVEL_BODY_KINDS,
    AssessmentKind,
    AssessmentStatus,
    ConditionCategory,
    DecisionRight,
    EntryStatus,
    Level,
)
from .conditions import Condition, ConditionAssessment
from .entries import MapEntry, entry_key
from .functions import Function
from .proposals import (
    POSITIONS_WITH_REASON,
    Decision,
    ItemKind,
    NoticeSent,
    Position,
    Proposal,
    ProposalChange,
    ProposalComment,
    ProposalItem,
    ProposalPosition,
    ProposalTransition,
    Recommendation,
)
from .versions import MapVersion, approving_bodies

__all__ = [
    "LEVEL_BODY_KINDS",
    "POSITIONS_WITH_REASON",
    "AssessmentKind",
    "AssessmentStatus",
    "Condition",
    "ConditionAssessment",
    "ConditionCategory",
    "Decision",
    "DecisionRight",
    "EntryStatus",
    "Function",
    "ItemKind",
    "Level",
    "MapEntry",
    "MapVersion",
    "NoticeSent",
    "Position",
    "Proposal",
    "ProposalChange",
    "ProposalComment",
    "ProposalItem",
    "ProposalPosition",
    "ProposalTransition",
    "Recommendation",
    "approving_bodies",
    "entry_key",
]
