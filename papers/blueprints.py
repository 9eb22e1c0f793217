"""The paper templates: a new paper starts from one with its sections in place.

Plain data, no Django: ``services.paper_create`` turns a blueprint into rows, filling
the data sections' parameters from the paper (the writing body, its programme).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models.choices import RecommendationAction as A
from .models.choices import SectionKind as K
from .models.choices import Template


@dataclass(frozen=True)
class SectionPlan:
    kind: str
    heading: str
    text: str = ""
    is_appendix: bool = False


@dataclass(frozen=True)
class Blueprint:
    template: str
    purpose: str
    recommendations: tuple[tuple[str, str], ...]
    sections: tuple[SectionPlan, ...] = field(default_factory=tuple)


HWBB_UPDATE = Blueprint(
    Template.HWBB_UPDATE,
    purpose=(
        "To update the Health and Wellbeing Board on the development of the Integrated "
        "Care System and of the place-based partnership: the functions delegated to the "
        "partnership, the conditions attached to them and the transition milestones."
    ),
    recommendations=(
        (A.NOTE, "the progress of the Integrated Care System and the place-based partnership;"),
        (A.NOTE, "the functions and decisions delegated to the partnership and their conditions;"),
    ),
    sections=(
        SectionPlan(K.NARRATIVE, "Background"),
        SectionPlan(K.DECISION_MAP, "Functions and decisions delegated to the partnership"),
        SectionPlan(K.CONDITIONS, "Conditions of the delegation"),
        SectionPlan(K.MILESTONES, "Programme milestones"),
        SectionPlan(K.NARRATIVE, "Next steps"),
        SectionPlan(K.LANDSCAPE, "The system's governance landscape", is_appendix=True),
    ),
)

PARTNERSHIP_REPORT = Blueprint(
    Template.PARTNERSHIP_REPORT,
    purpose="To report to the partnership board on the delivery of its programme.",
    recommendations=((A.RECEIVE, "the report;"), (A.DISCUSS, "the milestones at risk;")),
    sections=(
        SectionPlan(K.NARRATIVE, "Summary of progress"),
        SectionPlan(K.MILESTONES, "Milestones"),
        SectionPlan(K.CONDITIONS, "Conditions and their status"),
        SectionPlan(K.NARRATIVE, "Risks and issues"),
    ),
)

ICB_DELEGATION_DECISION = Blueprint(
    Template.ICB_DELEGATION_DECISION,
    purpose=(
        "To ask the Integrated Care Board to decide on the delegation of functions set "
        "out in this report, and the conditions attached to them."
    ),
    recommendations=((A.APPROVE, "the delegation set out in section 2;"),),
    sections=(
        SectionPlan(K.NARRATIVE, "Reasons for the decision"),
        SectionPlan(K.DECISION_MAP, "The proposed decision map for the body"),
        SectionPlan(K.CONDITIONS, "Conditions"),
        SectionPlan(K.PROPOSALS, "Proposals decided since the last report"),
        SectionPlan(K.NARRATIVE, "Alternative options"),
    ),
)

BLUEPRINTS: dict[str, Blueprint] = {
    b.template: b for b in (HWBB_UPDATE, PARTNERSHIP_REPORT, ICB_DELEGATION_DECISION)
}
