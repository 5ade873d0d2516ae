"""The 说明 (about) sheet's rows: where the figures come from, what they cannot establish, and the rules'
ids and metric names that the sheets people read leave out."""

from __future__ import annotations

from kuaidi_cli.core import metrics
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.report import Report, ReportContext
from kuaidi_cli.write.scope import target_label, trust_notes


def about_rows(report: Report, context: ReportContext, rules: Rules, lang: str) -> list[tuple[str, object]]:
    """(key, value) pairs, a date as a date."""
    en = lang == "en"
    rows: list[tuple[str, object]] = [
        ("报表" if not en else "Report", report.schema_),
        ("截至日期" if not en else "As of", report.as_of),
        ("生成时间" if not en else "Generated at", report.generated_at),
        ("规则" if not en else "Rules", report.rules.name),
        ("规则 sha256" if not en else "Rules sha256", report.rules.sha256),
        ("重点村" if not en else "Priority village", rules.priority.shown(lang)),
    ]
    for i in report.inputs:
        rows += [("输入文件" if not en else "Input", i.path), ("  sha256", i.sha256),
                 ("  行数 / 无效" if not en else "  rows / invalid", f"{i.rows} / {i.invalid_rows}")]
    rows.append(("范围" if not en else "Scope", report.scope.name))
    for note in trust_notes(report, context, lang):
        rows.append(("注意" if not en else "Note", note))
    named = {x.metric for x in report.targets}
    for m in metrics.rates():  # each rate as the catalogue makes it: its numerator ÷ its denominator
        if (m.column or m.name in named) and m.parts:
            rows.append((m.en if en else m.zh, " ÷ ".join(_part(name, en) for name in m.parts)))
    rows.append(("差距" if not en else "Gap",
                 "率：max(0, ⌈目标 × 分母⌉ − 分子) 个村；服务点数量：max(0, 目标 − 实有) 个" if not en else
                 "a rate: max(0, ceil(target × denominator) − numerator) villages; "
                 "an outlet count: max(0, target − active) outlets"))
    by_id = {x.id: x for x in rules.targets}
    for x in report.targets:  # the rules' ids and metrics, which the sheets people read leave out
        label = target_label(by_id[x.id], report, rules, lang)
        rows.append((f"目标 {x.id}" if not en else f"Target {x.id}", f"{label}（{x.metric}）" if not en
                     else f"{label} ({x.metric})"))
    return rows


def _part(name: str, en: bool) -> str:
    """A count a rate is made of, by its label in the tables (its name when it has none)."""
    labels = metrics.label(name)
    return name if labels is None else labels[1 if en else 0]
