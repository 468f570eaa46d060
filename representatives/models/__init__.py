"""The representatives app's models, one module per subject, all importable from
`representatives.models`: the roster and what is kept on it (`roster`), performance records,
points rules, report-backs and the annual evaluation (`performance`), the roster import (`imports`)."""

from representatives.models.imports import ImportBatch
from representatives.models.performance import (
    AnnualEvaluation,
    EvaluationEntry,
    OutstandingProposal,
    PerformanceKind,
    PerformanceRecord,
    PointsPublication,
    PointsRule,
    PointsRuleSet,
    ProposalResult,
    ProposalSatisfaction,
    ReportBack,
    evidence_upload_to,
)
from representatives.models.roster import (
    GroupMembership,
    JointMeeting,
    MobileRegisterEntry,
    RecordCorrection,
    RefreshCampaign,
    RefreshConfirmation,
    Representative,
    RepresentativeGroup,
    Specialty,
)

__all__ = [
    "AnnualEvaluation",
    "EvaluationEntry",
    "GroupMembership",
    "ImportBatch",
    "JointMeeting",
    "MobileRegisterEntry",
    "OutstandingProposal",
    "PerformanceKind",
    "PerformanceRecord",
    "PointsPublication",
    "PointsRule",
    "PointsRuleSet",
    "ProposalResult",
    "ProposalSatisfaction",
    "RecordCorrection",
    "RefreshCampaign",
    "RefreshConfirmation",
    "ReportBack",
    "Representative",
    "RepresentativeGroup",
    "Specialty",
    "evidence_upload_to",
]
