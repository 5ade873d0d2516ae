"""`--fail-on`: what makes a report or an export exit 1, and the one line that says why (for cron's mail)."""

from __future__ import annotations

from collections import Counter

from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report.model import Report
from kuaidi_cli.report.targets import TargetResult
from kuaidi_cli.write.scope import target_label

KINDS = ("missed", "errors", "incomplete")


def parse(values: list[str]) -> set[str]:
    """`--fail-on missed,errors` (or repeated): the kinds asked for; `never` (the default) is none."""
    if any(not value.strip(" ,") for value in values):
        raise KuaidiError("--fail-on 为空（可用 missed、errors、incomplete，逗号分隔；never 为不设）",
                          "--fail-on is empty (use missed, errors, incomplete, comma-separated; never "
                          "for none)")
    kinds = {v.strip().lower() for value in values for v in value.split(",") if v.strip()} - {"never"}
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise KuaidiError(f"--fail-on 不认识「{unknown[0]}」（可用 missed、errors、incomplete，逗号分隔）",
                          f"--fail-on: unknown '{unknown[0]}' (use missed, errors, incomplete, "
                          "comma-separated)")
    return kinds


def failures(kinds: set[str], results: list[TargetResult], findings: list[Finding], report: Report,
             rules: Rules,
             lang: str) -> str | None:
    """None when nothing asked for failed; else one line naming what failed: the due required targets not
    established as met (by their labels, over the report's scope), the data errors in any register given
    (by file), the counties of the scope that sent nothing."""
    zh = lang != "en"
    sep = "、" if zh else ", "
    parts = []
    if "missed" in kinds:
        missed = [target_label(r.target, report, rules, lang) for r in results if r.due_missed]
        if missed:
            parts.append(("到期必达目标未确认达标：" if zh else "required targets due and not met: ")
                         + sep.join(missed))
    if "errors" in kinds:
        # in any register given, whatever the scope (a county's report fails on the city's broken files too)
        errors = Counter(f.file for f in findings if f.severity is Severity.ERROR)
        if errors:
            each = sep.join(f"{where} {n}" + (" 条" if zh else "") for where, n in errors.items())
            parts.append(f"数据错误 {sum(errors.values())} 条（{each}）" if zh else
                         f"{sum(errors.values())} data error{'s' if sum(errors.values()) != 1 else ''} "
                         f"({each})")
    if "incomplete" in kinds:
        silent = [s.county for s in report.submissions if not s.submitted]
        if silent:
            parts.append(("未报送：" if zh else "not submitted: ") + sep.join(silent))
    if not parts:
        return None
    return ("未通过 --fail-on：" if zh else "--fail-on: ") + ("；" if zh else "; ").join(parts)
