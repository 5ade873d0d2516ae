"""What every output says of its scope and its trust: the title (scope, sample data), target labels
that name the scope they are measured over, the words beside a status kuaidi could not establish, and
the parts of the scope that sent nothing. Shared by the terminal, the workbook, HTML and CSV."""

from __future__ import annotations

import re

from kuaidi_cli.core import metrics
from kuaidi_cli.core.findings import Severity
from kuaidi_cli.core.rules import Rules, Target
from kuaidi_cli.report import Report, ReportContext, ScopeRow, TargetOut
from kuaidi_cli.write.labels import t
from kuaidi_cli.write.text import date_text


def short_name(report: Report) -> str:
    """The scope without the city: 祥符区, 祥符区陈留镇, 祥符区、杞县 (the city itself: its name)."""
    scope = report.scope
    if scope.level == "township":
        return "".join(scope.counties[:1]) + (scope.township or "")
    if scope.level == "county":
        return "、".join(scope.counties)
    return scope.name


def title(report: Report, lang: str, *, what: str = "report_title") -> str:
    """开封市祥符区“快递进村”工作进展 — 截至2021年12月31日, marked 【示例数据】 for the sample registers."""
    text = t(what, lang, scope=report.scope.name, date=date_text(report.as_of, lang))
    return (t("samples_mark", lang) + text) if report.samples else text


def scope_heading(report: Report, lang: str, zh: str, en: str) -> str:
    """A sheet's title for the scope: "{scope}“快递进村”工作进展统计表", marked for sample data."""
    text = (en if lang == "en" else zh).format(scope=report.scope.name)
    return (t("samples_mark", lang) + text) if report.samples else text


_CITY_WORDS = re.compile(r"^全市|全市(?=行政村)")


def target_label(rule: Target, report: Report, rules: Rules, lang: str) -> str:
    """A target's label as measured over the report's scope: for a county, 全市行政村覆盖率不低于80% reads
    祥符区行政村覆盖率不低于80%; a label that names no scope is prefixed with it. No output for a part of
    the city labels its figures as the city's."""
    return scoped_label(rule, None if report.scope.level == "city" else short_name(report), rules, lang)


def scoped_label(rule: Target, part: str | None, rules: Rules, lang: str) -> str:
    """A target's label for the city (`part` None) or for a part of it named `part` (see target_label)."""
    label = (rule.label_en or rule.label) if lang == "en" else rule.label
    if part is None:
        return label
    name = part
    if lang == "en":
        if re.match(r"(?i)^city\b", label):
            return re.sub(r"(?i)^city\b", name, label, count=1)
        return f"{name}: {label}"
    city = rules.city or ""
    if _CITY_WORDS.search(label):
        return _CITY_WORDS.sub(name, label, count=1)
    if city and label.startswith(city):
        return name + label[len(city):]
    return f"{name}：{label}"


def status_note(x: TargetOut, lang: str, *, is_rate: bool) -> str:
    """The gap, or why a status could not be established."""
    if x.status == "no-data":
        return t("gap.undecided", lang, n=x.undecided) if x.undecided else t("gap.no_column", lang)
    if x.status == "incomplete":
        if not x.unsubmitted and x.outlets_missing:
            return t("gap.no_outlet_rows", lang, n=x.outlets_missing)
        return t("gap.unsubmitted", lang, n=x.unsubmitted)
    if x.status == "unverified":
        if not is_rate:
            return t("gap.undecided_outlets", lang, n=x.undecided)
        if metrics.rate(x.metric).among is None:  # (its denominator decided: every village)
            return t("gap.undecided_cells", lang, n=x.undecided)
        return t("gap.undecided", lang, n=x.undecided)
    return "—" if not x.gap else t("gap.villages" if is_rate else "gap.count", lang, n=x.gap)


def unsubmitted_names(report: Report) -> list[str]:
    """Counties that sent nothing, then townships that sent nothing in counties that did (county+township)."""
    silent = [c.county for c in report.counties if not c.submitted]
    sent = {c.county for c in report.counties if c.submitted}
    return silent + [f"{w.county}{w.township}" for w in report.townships if not w.submitted
                     and w.county in sent]


def unsubmitted_line(report: Report, universe: str, lang: str) -> str | None:
    names = unsubmitted_names(report)
    if not names:
        return None
    shown = "、".join(names[:30]) + (f" … 等 {len(names)} 个" if len(names) > 30 and lang != "en" else
                                      f" … ({len(names)} in all)" if len(names) > 30 else "")
    if universe == "gazetteer":
        key = "unsubmitted_line_gazetteer"
    elif not report.summary.villages:  # nothing at all to compute from: the targets have no data
        key = "unsubmitted_line_nothing"
    else:
        key = "unsubmitted_line"
    return t(key, lang, names=shown)


def scope_name_cell(name: str, submitted: bool, lang: str) -> str:
    """A county or township as a table row names it: 杞县（未报送） when it sent nothing."""
    if submitted:
        return name
    return f"{name} ({t('unsubmitted', lang)})" if lang == "en" else f"{name}（{t('unsubmitted', lang)}）"


def county_rows(report: Report, lang: str) -> list[tuple[list[str], ScopeRow]]:
    """The rows of the county table: each county, then what belongs to no county (when there is any), so
    that the rows add up to the 合计 under them."""
    rows: list[tuple[list[str], ScopeRow]] = [([scope_name_cell(c.county, c.submitted, lang)], c)
                                              for c in report.counties]
    if report.counties_unassigned is not None:
        rows.append(([t("row.no_county", lang)], report.counties_unassigned))
    return rows


def township_rows(report: Report, lang: str) -> list[tuple[list[str], ScopeRow]]:
    """The rows of the township table (county, township): each township, then what belongs to no township
    (a county's park, an outlet of a township no village row names), when there is any."""
    rows: list[tuple[list[str], ScopeRow]] = [([w.county, scope_name_cell(w.township, w.submitted, lang)], w)
                                              for w in report.townships]
    if report.townships_unassigned is not None:
        rows.append((["", t("row.no_township", lang)], report.townships_unassigned))
    return rows


def trust_notes(report: Report, context: ReportContext, lang: str) -> list[str]:
    """What the figures cannot establish, said where the reader looks first (under the title)."""
    notes = []
    universe = context.reference.universe if context.reference is not None else "register"
    line = unsubmitted_line(report, universe, lang)
    if line:
        notes.append(line)
    if report.summary.priority_unknown:
        notes.append(t("undecided_line", lang, n=report.summary.priority_unknown))
    if context.uncertain_rows:
        notes.append(t("uncertain_line", lang, n=context.uncertain_rows))
    if context.uncertain_outlets:
        notes.append(t("uncertain_outlets_line", lang, n=context.uncertain_outlets))
    sep = "、" if lang != "en" else ", "
    if context.no_outlet_rows:
        notes.append(t("no_outlet_rows_line", lang, names=sep.join(context.no_outlet_rows)))
    if context.no_outlet_rows_blank:
        notes.append(t("no_outlet_rows_blank_line", lang, names=sep.join(context.no_outlet_rows_blank)))
    flags = metrics.flags()  # the rates of the reach first, each flag's over every village first
    shown = sorted((m for m in metrics.columns() if m.is_rate and m.name in context.unknown_metrics),
                   key=lambda m: (flags.index(m.flag or ""), m.among is not None))
    names = [t(m.label_key, lang) for m in shown]
    if names:
        notes.append(t("unknown_metrics_line", lang, metrics=("、" if lang != "en" else ", ").join(names)))
    if "outlets.park" in context.unknown_metrics and report.scope.level == "city":
        notes.append(t("no_outlets_line", lang))
    if context.reference is None and report.scope.level != "township":
        notes.append(t("no_divisions_line", lang))
    if report.samples:
        notes.append(t("footer.samples", lang))
    return notes


def footer_lines(report: Report, context: ReportContext, lang: str) -> list[str]:
    """What the figures stand on, under every report (terminal and page): the date, the rules, the inputs, the
    official list and what the rates are over, the findings and the command that lists them, what a partial
    scope leaves out; last, when it was generated."""
    lines = [t("footer.as_of", lang, date=report.as_of.isoformat()),
             t("footer.rules", lang, name=report.rules.name, sha=report.rules.sha256[:12])]
    lines += [t("footer.input", lang, path=i.path, rows=i.rows, invalid=i.invalid_rows + i.uncertain_rows,
                uncertain=t("footer.input_uncertain", lang, n=i.uncertain_rows) if i.uncertain_rows else "")
              for i in report.inputs]
    # (the command line and a script: what they were given)
    if context.source not in ("flags", "samples", "api"):
        lines.append(t("footer.source", lang, source=context.source))
    if context.reference is not None:
        ref = context.reference
        lines.append(t("footer.reference", lang, edition=ref.edition, villages=ref.villages,
                       townships=ref.townships,
                       lacking=ref.lacking))
        lines.append(t("footer.universe_gazetteer" if ref.universe == "gazetteer"
                       else "footer.universe_register", lang))
    if context.out_of_scope:
        lines.append(t("footer.scope", lang, n=context.out_of_scope))
    errors = sum(f.severity is Severity.ERROR for f in context.findings)
    warnings = sum(f.severity is Severity.WARNING for f in context.findings)
    if errors or warnings:
        lines.append(t("footer.findings", lang, errors=errors, warnings=warnings,
                       command=context.check_command or f"kuaidi check --as-of {report.as_of.isoformat()}"))
        if context.file_findings:
            lines.append(t("footer.file_findings", lang, n=context.file_findings))
    if context.counts_omitted:
        lines.append(t("footer.partial", lang, what="、".join(x for x in context.selection if x),
                       city=report.scope.name[: len(report.scope.name) - len(short_name(report))] or "—"))
    # its last line: kuaidi knows its own file
    lines.append(t("footer.generated", lang, at=report.generated_at))
    return lines


def reference_note(metric: str, context: ReportContext, lang: str) -> str:
    """What the official list holds beside a count target: 79 township-level units, 2137 村委会."""
    ref = context.reference
    if ref is None:
        return ""
    if metric == "outlets.township_station":
        return t("ref.townships", lang, n=ref.townships, edition=ref.edition)
    if metric == "outlets.village_point":
        return t("ref.villages", lang, n=ref.villages, edition=ref.edition)
    return ""
