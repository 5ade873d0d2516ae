"""Report: the `kuaidi.report/1` contract as static pydantic models (`report.model`), built from a
coverage (`report.build`), with the dated targets evaluated (`report.targets`) and the pace of the
history projected (`report.trend`).

May import: kuaidi_cli.measure, kuaidi_cli.core.
"""

from kuaidi_cli.report.build import Sent, build, select
from kuaidi_cli.report.model import (
    SCHEMA,
    AttentionVillage,
    County,
    InputRef,
    Outlets,
    Reference,
    Report,
    ReportContext,
    RulesRef,
    ScopeOut,
    ScopeRow,
    Submission,
    Summary,
    TargetOut,
    Township,
)

__all__ = ["SCHEMA", "AttentionVillage", "County", "InputRef", "Outlets", "Reference", "Report",
           "ReportContext",
           "RulesRef", "ScopeOut", "ScopeRow", "Sent", "Submission", "Summary", "TargetOut", "Township",
           "build", "select"]
