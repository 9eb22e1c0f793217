from django.db import models


class Classification(models.TextChoices):
    UNRESTRICTED = "unrestricted", "Unrestricted"
    RESTRICTED = "restricted", "Restricted"
    CONFIDENTIAL = "confidential", "Confidential"


class PaperState(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RecommendationAction(models.TextChoices):
    RECEIVE = "receive", "RECEIVE"
    NOTE = "note", "NOTE"
    APPROVE = "approve", "APPROVE"
    AGREE = "agree", "AGREE"
    DISCUSS = "discuss", "DISCUSS"
    ENDORSE = "endorse", "ENDORSE"


class Template(models.TextChoices):
    HWBB_UPDATE = "hwbb_update", "HWBB update"
    PARTNERSHIP_REPORT = "partnership_report", "Partnership board report"
    ICB_DELEGATION_DECISION = "icb_delegation_decision", "ICB delegation decision report"


class SectionKind(models.TextChoices):
    NARRATIVE = "narrative", "Narrative"
    DECISION_MAP = "decision_map", "Decision map for a body"
    CONDITIONS = "conditions", "Conditions of a body's delegations"
    MILESTONES = "milestones", "Milestones and timeline"
    LANDSCAPE = "landscape", "Landscape diagram"
    PROPOSALS = "proposals", "Proposals decided since a date"
    MAP_DIFF = "map_diff", "Changes between two map versions"


DATA_KINDS = frozenset(SectionKind.values) - {SectionKind.NARRATIVE}
# Which parameters each data section reads; the forms and the API ask for no others.
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    SectionKind.NARRATIVE: (),
    SectionKind.DECISION_MAP: ("body",),
    SectionKind.CONDITIONS: ("body",),
    SectionKind.MILESTONES: ("programme",),
    SectionKind.LANDSCAPE: (),
    SectionKind.PROPOSALS: ("since",),
    SectionKind.MAP_DIFF: ("from_version", "to_version"),
}

# The implications of the seeds' cover sheets, in their order: (field, printed label).
IMPLICATIONS: tuple[tuple[str, str], ...] = (
    ("implication_equality", "Equality analysis"),
    ("implication_risk", "Risk and assurance"),
    ("implication_people", "Service users, carers and staff"),
    ("implication_financial", "Financial"),
    ("implication_quality", "Quality"),
    ("implication_legal", "Legal"),
    ("implication_data_protection", "Data protection"),
)


class BuildState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Building"
    DONE = "done", "Built"
    FAILED = "failed", "Failed"


class BuildStage(models.TextChoices):
    WAITING = "waiting", "Waiting for a worker"
    GATHERING = "gathering", "Gathering data"
    RENDERING = "rendering", "Rendering"
    WRITING = "writing", "Writing the PDF"
    FINISHED = "finished", "Finished"


# How far along the bar each stage puts a build, in per cent.
STAGE_PROGRESS = {
    BuildStage.WAITING: 5,
    BuildStage.GATHERING: 20,
    BuildStage.RENDERING: 50,
    BuildStage.WRITING: 85,
    BuildStage.FINISHED: 100,
}
