"""Labels of the user interface, in Chinese (default) and English; those of the metrics (core.metrics)
and of the statuses (core.statuses) are declared beside them and found by `t` too."""

import re

from kuaidi_cli.core import metrics, statuses

LABELS: dict[str, tuple[str, str]] = {
    "findings": ("数据问题", "Findings"),
    "where": ("位置", "Where"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "severity": ("级别", "Severity"),
    "code": ("代码", "Code"),
    "message": ("说明", "Message"),
    "file": ("文件", "File"),
    "row_no": ("行号", "Row"),
    "sheet": ("工作表", "Sheet"),
    "format": ("格式", "Format"),
    "header": ("表头行", "Header row"),
    "rows": ("行数", "Rows"),
    "valid": ("有效", "Valid"),
    "invalid": ("无效", "Invalid"),
    "skipped": ("跳过", "Skipped"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "kind.villages": ("行政村台账", "village register"),
    "kind.outlets": ("服务点台账", "outlet register"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    "row": ("第{n}行", "row {n}"),
    "rows_many": ("第{rows}行（共{n}行）", "rows {rows} ({n} rows)"),
    "skipped_file": ("跳过 {path}：{why}", "skipped {path}: {why}"),
    "more_changes": (
        "… 还有 {n} 个村未显示（--format json 可看全部）",
        "… and {n} more (--format json gives all)",
    ),
    "more": ("… 还有 {n} 条未显示（--max-findings 调整条数，--format json 可看全部）",
             "… and {n} more (raise --max-findings, or use --format json for all)"),
    "no_findings": ("没有发现数据问题。", "No findings."),
    "skip.blank": ("空行", "blank"),
    "skip.total": ("合计", "total"),
    "skip.note": ("说明", "note"),
    "skip.duplicate": ("重复", "repeat"),
    "skip.not_village": ("非行政村", "not a village"),
    "file_line": ("{name}（{kind}，{fmt}，{sheet}表头在第{header}行）",
                  "{name} ({kind}, {fmt}, {sheet}header on row {header})"),
    "sheet_part": ("工作表「{sheet}」，", "sheet '{sheet}', "),
    "count_line": (
        "  行数 {rows} = 有效 {valid}{uncertain} + 无效 {invalid} + 跳过 {skipped}{detail}；错误 {errors}，警"
        "告 {warnings}",
        "  rows {rows} = valid {valid}{uncertain} + invalid {invalid} + skipped {skipped}{detail}; errors "
        "{errors}, warnings {warnings}",
    ),
    "count_uncertain": (" + 待核实 {n}", " + uncertain {n}"),
    "failed_uncertain": ("，{n} 行待核实（仍计入）", ", {n} uncertain (counted)"),
    "ok": ("✓ 检查通过：{files} 个文件，{valid} 行有效，没有错误（警告 {warnings} 条）。",
           "✓ Passed: {files} files, {valid} valid rows, no errors ({warnings} warnings)."),
    "failed": (
        "✗ 发现 {errors} 个错误、{warnings} 条警告：{invalid} 行无效{uncertain}。请按上表修改后再查。",
        "✗ {errors} errors and {warnings} warnings: {invalid} rows are invalid{uncertain}. Fix them and "
        "check again.",
    ),
    "report_title": ("{scope}“快递进村”工作进展 — 截至{date}", "{scope} 快递进村 progress — as of {date}"),
    "targets": ("目标", "Targets"),
    "target_label": ("目标", "Target"),
    "kind": ("类别", "Kind"),
    "kind.required": ("必达", "required"),
    "kind.stretch": ("力争", "stretch"),
    "kind.info": ("进度", "info"),
    "target_value": ("目标值", "Target value"),
    "current": ("当前", "Now"),
    "due": ("截止", "Due"),
    "status": ("状态", "Status"),
    "gap": ("差距", "Gap"),
    "gap.undecided": (
        "{n} 个村缺人口/距离，无法判定是否重点村",
        "{n} villages lack population/distance: priority undecided",
    ),
    "gap.unsubmitted": ("{n} 个县区或乡镇未报送", "{n} counties or townships sent nothing"),
    "gap.no_column": ("台账中没有可计算的数据", "nothing in the registers to compute it from"),
    "unsubmitted": ("未报送", "not submitted"),
    "row.no_county": ("（不属于所列县区）", "(in no county listed)"),
    "row.no_township": ("（不属于所列乡镇，如县级园区）", "(in no township listed, e.g. county parks)"),
    "submissions": ("报送情况", "Submissions"),
    "changes": ("本期变化（{since} 至 {to}）", "What changed ({since} to {to})"),
    "changes.none": ("与上期（{since}）相比没有变化。", "Nothing changed since {since}."),
    "change": ("变化", "Change"),
    "change.newly_reached": ("新通达", "newly reached"),
    "change.newly_in_village": ("新驻村设点", "newly with a point"),
    "change.lost_reach": ("不再通达", "no longer reached"),
    "change.lost_in_village": ("驻村点撤去", "point gone"),
    "change.added": ("台账新增", "added to the register"),
    "change.removed": ("台账移出", "gone from the register"),
    "change.unreadable": ("本期无法读取", "unreadable now"),
    "change.readable_again": ("恢复可读", "readable again"),
    "change.first_submitted": ("首次报送", "first sent"),
    "change.not_submitted": ("本期未报送", "not sent now"),
    "changes.first_submitted": (
        "{county}：上期（{since}）未报送，本期首次报送 {n} 个村（其中已通达 {reached} 个），列为“首次报送”，"
        "不计入新通达等变化",
        "{county} sent nothing as of {since}: its {n} villages sent now ({reached} of them reached) are "
        "listed as first sent, not as newly reached or the like",
    ),
    "changes.not_submitted": (
        "{county}：本期未报送，上期（{since}）的 {n} 个村列为“本期未报送”，不计为台账移出",
        "{county} sent nothing now: its {n} villages of {since} are listed as not sent now, not as gone from "
        "the register",
    ),
    "sub.files": ("文件", "Files"),
    "sub.latest": ("最近日期", "Latest date"),
    "sub.status": ("报送", "Status"),
    "sub.sent": ("已报送", "submitted"),
    "sub.no_valid": ("无有效行", "no valid rows"),
    "sub.unassigned": ("（未能归属县区）", "(no county)"),
    "sub.unassigned_status": (
        "未能归属县区：请填写县区或区划代码",
        "county unknown: fill in 县区 or the code",
    ),
    "sub.register": ("台账", "Register"),
    "sub.villages": ("行政村", "villages"),
    "sub.outlets": ("服务点", "outlets"),
    "sub.villages_unsent": ("行政村未报送", "no village rows"),
    "sub.outlets_unsent": ("服务点未报送", "no outlet rows"),
    "sub.villages_no_valid": ("行政村无有效行", "no valid village rows"),
    "sub.outlets_no_valid": ("服务点无有效行", "no valid outlet rows"),
    "sub.by_township": ("分乡镇报送情况", "Submissions by township"),
    "sub.no_township": ("（县级或未填乡镇）", "(county level or no township)"),
    "sub.no_outlet_register": (
        "未给服务点台账：报送情况只列行政村台账",
        "no outlet register given: only the village register is listed",
    ),
    "unsubmitted_line": ("未报送（没有有效的行政村数据）：{names}；比率目标标为“数据不全”",
                         "not submitted (no valid village row): {names}; rate targets are marked incomplete"),
    "unsubmitted_line_nothing": (
        "未报送（没有有效的行政村数据）：{names}；没有可计算的数据，目标标为“无数据”",
        "not submitted (no valid village row): {names}; nothing to compute, the targets have no data",
    ),
    "no_divisions_line": (
        "未对照官方区划（--divisions none）：无法核对是否缺报乡镇和行政村",
        "no official division list (--divisions none): missing townships and villages cannot be checked",
    ),
    "unsubmitted_line_gazetteer": (
        "未报送（没有有效的行政村数据）：{names}；按官方名单，这些村计为未通达",
        "not submitted (no valid village row): {names}; over the official list, their villages count as not "
        "reached",
    ),
    "undecided_line": (
        "{n} 个村缺人口或距离，无法判定是否重点村（列在待整改村中，原因“缺人口/距离”）",
        "{n} villages lack population or distance, so their priority is undecided (listed among the villages "
        "needing attention)",
    ),
    "unknown_metrics_line": (
        "台账的“是否驻村设点/是否通达”列全空且未给服务点台账：{metrics}无法计算",
        "the register's in-village/reached columns are blank and no outlet register was given: {metrics} "
        "cannot be computed",
    ),
    "no_outlets_line": (
        "未给服务点台账：园区、服务站、服务点数量无法统计，数量目标标为“无数据”",
        "no outlet register: parks, stations and points cannot be counted; their targets have no data",
    ),
    "uncertain_line": (
        "{n} 行有无法识别的单元格（见数据问题）：这些村仍计入各项比率，单元格影响的指标按待核实处理",
        "{n} rows have a cell kuaidi cannot read (see the findings): their villages are counted, the figures "
        "those cells decide treated as undecided",
    ),
    "uncertain_outlets_line": (
        "服务点台账 {n} 行有无法识别的日期或层级（见数据问题）：这些服务点影响的指标按待核实处理",
        "{n} outlet rows have a date or level kuaidi cannot read (see the findings): the figures they decide "
        "are treated as undecided",
    ),
    "no_outlet_rows_line": (
        "服务点台账中没有这些县区/乡镇的行：{names}；其驻村设点、通达按行政村台账的“是否驻村设点/是否通达”列"
        "计算，园区、服务站、服务点数量不全",
        "the outlet register holds no row of: {names}; their in-village and reached figures come from the "
        "village register's columns, and their parks, stations and points are not counted",
    ),
    "no_outlet_rows_blank_line": (
        "服务点台账中没有这些县区/乡镇的行，行政村台账的“是否驻村设点”列也为空：{names}；相关目标标为“数"
        "据不全”",
        "the outlet register holds no row of, and the village register's in-village column is blank for: "
        "{names}; the targets concerned are incomplete",
    ),
    "gap.undecided_cells": (
        "{n} 个村的单元格无法识别，待核实",
        "{n} villages have a cell kuaidi cannot read: undecided",
    ),
    "gap.undecided_outlets": (
        "{n} 个服务点的日期或层级无法识别，待核实",
        "{n} outlets have a date or level kuaidi cannot read: undecided",
    ),
    "gap.no_outlet_rows": (
        "{n} 个村所在县区/乡镇无服务点台账数据",
        "{n} villages lie where the outlet register holds no row",
    ),
    "reason.unreadable": ("{column}「{value}」无法识别", "{column} '{value}' unreadable"),
    "reason.undecided_in_village": ("驻村设点待核实", "in-village undecided"),
    "reason.undecided_reached": ("通达待核实", "reached undecided"),
    "footer.input_uncertain": (
        "，{n} 行仍计入、相关指标待核实",
        "; {n} still counted, the figures they decide undecided",
    ),
    "samples_mark": ("【示例数据】", "[SAMPLE DATA] "),
    "export_no_changes": (
        "；本期变化：历史库中没有更早的导出可比，下次导出起写出",
        "; what changed: no earlier export in the history to compare with, written from the next export on",
    ),
    "export_unsubmitted": (
        "；未报送：{names}，以上为部分数据（只含已报送的县区）",
        "; not submitted: {names}, so the figures are partial (the counties that sent registers only)",
    ),
    "export_samples": ("（示例数据，未记入历史库）", " (sample data; not recorded in the history)"),
    "reason.missing": ("缺{fields}", "lacks {fields}"),
    "field.population": ("人口", "population"),
    "field.distance_km": ("距离", "distance"),
    "gap.villages": ("还差 {n} 个村", "{n} more villages"),
    "gap.count": ("还差 {n} 个", "{n} more"),
    "county": ("县区", "County"),
    "township": ("乡镇", "Township"),
    "village": ("行政村", "Village"),
    "total_row": ("合计", "Total"),
    "by_county": ("分县区", "By county"),
    "by_township": ("分乡镇", "By township"),
    "sheet.汇总": ("汇总", "Summary"),
    "sheet.分县区": ("分县区", "Counties"),
    "sheet.分乡镇": ("分乡镇", "Townships"),
    "sheet.报送情况": ("报送情况", "Submissions"),
    "sheet.本期变化": ("本期变化", "Changes"),
    "sheet.待整改村": ("待整改村", "Attention"),
    "sheet.数据问题": ("数据问题", "Findings"),
    "sheet.说明": ("说明", "About"),
    "attention_all": ("待整改村（共{total}个）", "Villages needing attention ({total})"),
    "attention": ("待整改村（前{n}个，共{total}个）", "Villages needing attention (first {n} of {total})"),
    "attention_none": ("没有需要整改的村。", "No village needs attention."),
    "population": ("人口", "Population"),
    "distance": ("距离(km)", "Distance (km)"),
    "reasons": ("原因", "Why"),
    "reason.not_in_village": ("未驻村设点", "no outlet in village"),
    "reason.not_reached": ("未通达", "not reached"),
    "footer.as_of": ("截至 {date}", "as of {date}"),
    "footer.rules": ("规则：{name}（sha256 {sha}）", "rules: {name} (sha256 {sha})"),
    "footer.input": ("输入：{path}（{rows} 行，其中 {invalid} 行有错误{uncertain}）",
                     "input: {path} ({rows} rows, {invalid} with errors{uncertain})"),
    "footer.samples": (
        "示例数据（--samples）：内置示例台账，村名与代码真实，人口、距离、服务点为合成数据，不可作为工作"
        "报表报送",
        "sample data (--samples): the bundled example registers, real names and codes, synthetic attributes; "
        "not a report to send",
    ),
    "footer.source": ("台账来自 {source}", "registers from {source}"),
    "footer.scope": ("范围外的 {n} 行未计入（规则 scope）", "{n} rows outside the rules' scope not counted"),
    "footer.findings": ("数据问题：错误 {errors} 条、警告 {warnings} 条，用 {command} 查看",
                        "data findings: {errors} errors, {warnings} warnings; see {command}"),
    "footer.file_findings": (
        "其中 {n} 条关于文件本身（表头、合计行、重复行等），不属于任何一个县区的行",
        "{n} of them are about a file (its header, total or repeated rows), not a row of any county",
    ),
    "footer.partial": (
        "只看 {what}：园区、服务站、服务点数量目标按{city}整体考核，此处不列",
        "showing {what} only: the count targets of {city} as a whole are left out",
    ),
    "footer.generated": ("生成于 {at} · kuaidi.report/1", "generated {at} · kuaidi.report/1"),
    "as_of_col": ("截至", "As of"),
    "trend.data": ("数据", "Data"),
    "trend.unsubmitted": ("部分县区未报送：{names}", "counties not submitted: {names}"),
    "trend.unestablished": ("目标未能确认：{ids}", "targets not established: {ids}"),
    "trend.partial_short": ("部分县区未报送", "counties missing"),
    "trend.unestablished_short": ("目标未能确认", "targets unverified"),
    "trend.partial_legend": ("数据不全（不用于预计）", "partial (not projected from)"),
    "trend.partial_note": (
        "标出数据不全的截至日期不用于预计达成（空心点）",
        "the as-of dates marked partial are not used for the projections (hollow dots)",
    ),
    "projection": ("按近期进度预计达成", "When each target is reached at the recent pace"),
    "projected": ("预计达成", "Projected"),
    "not_at_pace": ("按当前进度无法达成", "not at this pace"),
    "too_few_points": (
        "数据不足（需至少 {n} 个截至日期、跨 {days} 天以上）",
        "too little data (needs {n} as-of dates over {days}+ days)",
    ),
    "late": ("（晚于截止）", " (after the due date)"),
    "export_done": (
        "kuaidi export：截至 {date} 的报表已写入 {files}；通达率 {rate}，到期未确认达标的必达目标 "
        "{missed} 项",
        "kuaidi export: report as of {date} written to {files}; reach rate {rate}; required targets due and "
        "not established as met: {missed}",
    ),
    "chart_written": ("趋势图已写入 {path}", "chart written to {path}"),
    "ref.townships": (
        "区划中有 {n} 个乡镇级单位（{edition}年）",
        "{n} township-level units in the {edition} list",
    ),
    "ref.villages": ("区划中有 {n} 个村委会（{edition}年）", "{n} village committees in the {edition} list"),
    "footer.reference": (
        "官方区划（{edition}年）：范围内 {villages} 个行政村（村委会），分布在 {townships} 个乡镇级单位；台账"
        "缺少其中 {lacking} 个",
        "official list ({edition}): {villages} administrative villages in {townships} township-level units; "
        "the register lacks {lacking}",
    ),
    "footer.universe_register": (
        "比率按台账中的行政村计算，不按官方名单（--universe gazetteer 按官方名单，缺的村计为未通达）",
        "rates are over the register, not over the official list (--universe gazetteer counts the lacking "
        "villages as not reached)",
    ),
    "footer.universe_gazetteer": (
        "比率按官方名单计算：台账缺少或无效的村计为未通达",
        "rates are over the official list: villages lacking or invalid in the register count as not reached",
    ),
}


# English for a count of one, where the label's English is written for many ("1 more village")
SINGULAR_EN: dict[str, str] = {
    "rows_many": "rows {rows} ({n} row)",
    "more_changes": "… and {n} more (--format json gives it)",
    "gap.undecided": "{n} village lacks population/distance: priority undecided",
    "gap.unsubmitted": "{n} county or township sent nothing",
    "undecided_line": (
        "{n} village lacks population or distance, so its priority is undecided (listed among the villages "
        "needing attention)"
    ),
    "uncertain_line": "{n} row has a cell kuaidi cannot read (see the findings): its village is counted, the "
                      "figures that cell decides treated as undecided",
    "gap.undecided_cells": "{n} village has a cell kuaidi cannot read: undecided",
    "gap.undecided_outlets": "{n} outlet has a date or level kuaidi cannot read: undecided",
    "gap.no_outlet_rows": "{n} village lies where the outlet register holds no row",
    "gap.villages": "{n} more village",
    "footer.scope": "{n} row outside the rules' scope not counted",
    "ref.townships": "{n} township-level unit in the {edition} list",
    "ref.villages": "{n} village committee in the {edition} list",
}


# English nouns a count of one makes singular in any label ("{errors} errors and {warnings} warnings:
# {invalid}
# rows are invalid"): the template's own words after a placeholder that is 1, never the values filled in (a
# path)
_ONE = re.compile(
    r"\{(\w+)\}( (?:valid |invalid |more )?)(rows|errors|warnings|files|villages|counties|townships|"
                  r"targets|findings|outlets|sheets)\b( are| were)?")
_SINGULAR = {"rows": "row", "errors": "error", "warnings": "warning", "files": "file", "villages": "village",
             "counties": "county", "townships": "township", "targets": "target", "findings": "finding",
             "outlets": "outlet", "sheets": "sheet", " are": " is", " were": " was"}


def t(key: str, lang: str = "zh", **kw: object) -> str:
    """A label in the language, filled in; in English, the singular where `n` is 1 (SINGULAR_EN), and any
    other count of one followed by its noun in the singular."""
    zh, en = LABELS.get(key) or _declared(key)
    if lang != "en":
        return zh.format(**kw)
    if kw.get("n") == 1 and key in SINGULAR_EN:
        en = SINGULAR_EN[key]

    def singular(m: re.Match[str]) -> str:
        if kw.get(m[1]) != 1:
            return m[0]
        return f"{{{m[1]}}}{m[2]}{_SINGULAR[m[3]]}{_SINGULAR.get(m[4] or '', '')}"

    return _ONE.sub(singular, en).format(**kw)


def _declared(key: str) -> tuple[str, str]:
    """The labels of a metric (by its label key) or of a status (status.met)."""
    found = metrics.label(key) or statuses.label(key)
    if found is None:
        raise KeyError(key)
    return found


def yes_no(value: bool | None, lang: str = "zh") -> str:
    """是 / 否, or — when nothing establishes it."""
    if value is None:
        return "—"
    return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
