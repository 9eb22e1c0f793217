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
from .versions import MapVersion, approving_bodies

__all__ = [
    "LEVEL_BODY_KINDS",
    "AssessmentKind",
    "AssessmentStatus",
    "Condition",
    "ConditionAssessment",
    "ConditionCategory",
    "DecisionRight",
    "EntryStatus",
    "Function",
    "Level",
    "MapEntry",
    "MapVersion",
    "approving_bodies",
    "entry_key",
]
