from .builds import PaperBuild, PaperVersion
from .choices import (
    DATA_KINDS,
    IMPLICATIONS,
    KIND_PARAMS,
    BuildStage,
    BuildState,
    Classification,
    PaperState,
    RecommendationAction,
    SectionKind,
    Template,
)
from .papers import Paper, PaperEvent, PreviouslyConsidered, Recommendation, Section
from .reference import GlossaryTerm, PublicPage, StrategicPriority

__all__ = [
    "DATA_KINDS",
    "IMPLICATIONS",
    "KIND_PARAMS",
    "BuildStage",
    "BuildState",
    "Classification",
    "GlossaryTerm",
    "Paper",
    "PaperBuild",
    "PaperEvent",
    "PaperState",
    "PaperVersion",
    "PreviouslyConsidered",
    "PublicPage",
    "Recommendation",
    "RecommendationAction",
    "Section",
    "SectionKind",
    "StrategicPriority",
    "Template",
]
