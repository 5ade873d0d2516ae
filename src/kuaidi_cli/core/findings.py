"""Findings: problems in the data, each with its place in the file and a stable code.

A finding is collected, never raised. Its code is stable (tests and scripts rely on it); its
message exists in Chinese and English. Positions are as the user sees them: the sheet name and
the spreadsheet row number (the header is on the row it is on; the first row of a file is 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# code: (severity, Chinese template, English template). Templates may use {column}, {value}, {detail}.
CATALOGUE: dict[str, tuple[Severity, str, str]] = {
    "missing-value": (Severity.ERROR, "「{column}」为空，此项必填", "{column} is empty; it is required"),
    "missing-column": (
        Severity.ERROR,
        "找不到必填列「{column}」，本文件所有行都无法使用（可用表头：{detail}）",
        "no column for the required field {column}; no row of this file can be used (accepted headers: "
        "{detail})",
    ),
    "bad-number": (Severity.ERROR, "「{value}」不是有效的数值{detail}",
                   "'{value}' is not a valid number{detail}"),
    "negative-value": (Severity.ERROR, "「{value}」为负数", "'{value}' is negative"),
    "absurd-value": (Severity.ERROR, "「{value}」超出合理范围（{detail}）",
                     "'{value}' is out of range ({detail})"),
    "bad-date": (
        Severity.ERROR,
        "「{value}」不是有效日期（如 2021-09-30、2021年9月）{detail}",
        "'{value}' is not a valid date (e.g. 2021-09-30, 2021年9月){detail}",
    ),
    "bad-yes-no": (
        Severity.ERROR,
        "「{value}」不是“是/否”（可写 是/否、有/无、√/×、Y/N 或 1/0）",
        "'{value}' is not yes/no (write 是/否, 有/无, √/×, Y/N or 1/0)",
    ),
    "bad-code": (
        Severity.ERROR,
        "「{value}」不是12位统计用区划代码{detail}",
        "'{value}' is not a 12-digit statistical division code{detail}",
    ),
    "unknown-code": (Severity.ERROR, "区划代码「{value}」格式正确，但不在官方区划中{detail}：请核对代码",
                     "code '{value}' is well formed but not in the official list{detail}: check it"),
    "bad-mode": (Severity.ERROR, "「{value}」不是规则中的合作模式（{detail}）",
                 "'{value}' is not a mode of the rules ({detail})"),
    "bad-level": (Severity.ERROR, "「{value}」不是服务点层级（{detail}）",
                  "'{value}' is not an outlet level ({detail})"),
    "bad-date-order": (Severity.ERROR, "停用日期「{value}」早于启用日期{detail}",
                       "closed '{value}' is before opened{detail}"),
    "duplicate-village": (
        Severity.ERROR,
        "与{detail}是同一个行政村，只计第一行",
        "the same village as {detail}; only the first row counts",
    ),
    "duplicate-outlet": (
        Severity.ERROR,
        "服务点编号「{value}」与{detail}重复，只计第一行",
        "outlet id '{value}' repeats {detail}; only the first row counts",
    ),
    "duplicate-row": (Severity.WARNING, "与{detail}都相同，已跳过",
                      "the same as {detail}; skipped"),
    "old-division-name": (
        Severity.WARNING,
        "「{value}」是旧称或简称，按「{detail}」计",
        "'{value}' is an old or short name; counted as '{detail}'",
    ),
    "inconsistent-flags": (
        Severity.WARNING,
        "已驻村设点，但“是否通达”为否",
        "an outlet stands in the village, but 'reached' says no",
    ),
    "duplicate-column": (
        Severity.WARNING,
        "列「{column}」与列「{detail}」表示同一字段，只用前一列",
        "column '{column}' means the same field as '{detail}'; only the earlier one is used",
    ),
    "in-village-disagrees": (Severity.WARNING, "「{value}」：{detail}", "'{value}': {detail}"),
    "outlet-village-unknown": (
        Severity.WARNING,
        "服务点所在村「{value}」不在行政村台账中，未计为驻村设点",
        "the outlet's village '{value}' is not in the village register; not counted as in-village",
    ),
    "serves-unknown": (
        Severity.WARNING,
        "辐射村「{value}」不在行政村台账中（或在县内重名），未计为通达",
        "served village '{value}' is not in the village register (or is ambiguous); not counted as reached",
    ),
    "unknown-county": (Severity.ERROR, "县区「{value}」不在官方区划中{detail}",
                       "county '{value}' is not in the official list{detail}"),
    "outside-scope": (Severity.ERROR, "{column}「{value}」不属于{detail}",
                      "{column} '{value}' is not in {detail}"),
    "no-rows-in-scope": (Severity.ERROR, "本文件没有{value}的行{detail}：报表中不计任何一行",
                         "no row of this file is in {value}{detail}: the report counts none of them"),
    "unknown-township": (Severity.ERROR, "乡镇「{value}」不在该县区的官方区划中{detail}",
                         "township '{value}' is not in the county's official list{detail}"),
    "unknown-village": (Severity.ERROR, "行政村「{value}」不在该乡镇的官方区划中{detail}",
                        "village '{value}' is not in the township's official list{detail}"),
    "code-division-mismatch": (Severity.ERROR, "区划代码「{value}」与本行的县区或乡镇不符{detail}",
                               "code '{value}' contradicts the row's county or township{detail}"),
    "code-prefix-disagrees": (Severity.WARNING, "区划代码「{value}」与台账其余行的县区或乡镇不一致{detail}",
                              "code '{value}' disagrees with the register's other rows{detail}"),
    "code-name-mismatch": (Severity.ERROR, "「{value}」与区划代码不符{detail}",
                           "'{value}' does not match its code{detail}"),
    "village-name-normalised": (Severity.INFO, "「{value}」按官方名称计为「{detail}」",
                                "'{value}' counted as '{detail}'"),
    "not-a-village": (Severity.WARNING, "「{value}」是居委会/社区，不是行政村，未计入",
                      "'{value}' is a residents' committee, not a village; not counted"),
    "missing-village": (Severity.WARNING, "台账缺少 {detail} 的「{value}」（官方区划中有此村）",
                        "the register lacks '{value}' of {detail} (in the official list)"),
    "file-skipped": (Severity.WARNING, "跳过「{value}」：{detail}", "skipped '{value}': {detail}"),
    "file-copy": (Severity.WARNING, "「{value}」与{detail}", "'{value}' {detail}"),
    "sheet-skipped": (Severity.INFO, "工作表「{value}」未读取：{detail}",
                      "sheet '{value}' not read: {detail}"),
    "sheet-hidden": (Severity.WARNING,
                     "隐藏的工作表「{value}」也是台账，未读取：要计入，请在 Excel 或 WPS 中取消隐藏",
                     "hidden sheet '{value}' holds a register too and was not read: unhide it to count it"),
    "sheet-other-register": (Severity.WARNING, "工作表「{value}」是{detail}", "sheet '{value}' is {detail}"),
    "findings-truncated": (Severity.INFO,
                           "另有 {value} 条问题未保留（上限 {detail} 条，--max-findings-kept 可调）；行数"
                           "统计不受影响",
                           "{value} more findings not kept (limit {detail}, see --max-findings-kept); the "
                           "row counts are unaffected"),
    "priority-unknown": (
        Severity.WARNING,
        "「{column}」为空或无效，无法判定是否重点村（{detail}）；报表仍计入此村，是否重点村待核实",
        "{column} is blank or invalid, so whether this is a priority village ({detail}) is undecided; the "
        "report counts the village and marks its priority unverified",
    ),
    "column-empty": (
        Severity.WARNING,
        "列「{column}」缺失或全部为空：{detail}",
        "column {column} is absent or blank in every row: {detail}",
    ),
    "empty-register": (Severity.ERROR, "表头下没有数据行{detail}", "no data rows under the header{detail}"),
    "empty-outlets": (Severity.WARNING, "服务点台账表头下没有数据行：园区、服务站、服务点数量无法统计",
                      "no rows under the outlet register's header: parks, stations and points cannot be "
                      "counted"),
    "merged-filled": (Severity.INFO, "合并单元格「{value}」：其下合并的各行，此列都按「{value}」计",
                      "merged cell '{value}': each row merged under it reads '{value}' in this column"),
    "total-row": (Severity.INFO, "合计/小计行，已跳过", "total or subtotal row; skipped"),
    "note-row": (Severity.INFO, "说明或落款行「{value}」，已跳过", "note row '{value}'; skipped"),
    "unmapped-column": (Severity.INFO, "列「{column}」未识别，已忽略",
                        "column '{column}' is not recognised; ignored"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    value: str | None
    code: str
    severity: Severity
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def to_dict(self) -> dict[str, object]:
        # field by field (dataclasses.asdict deep-copies every value: 0.3 s for 200 000 findings)
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "field": self.field,
                "value": self.value, "code": self.code, "severity": str(self.severity),
                "message_zh": self.message_zh, "message_en": self.message_en}


def make(
    code: str,
    *,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    value: object = None,
    detail_zh: str = "",
    detail_en: str | None = None,
) -> Finding:
    """A finding of a catalogued code with both messages filled in."""
    severity, zh, en = CATALOGUE[code]
    text = None if value is None else str(value)
    shown = "" if text is None else (text if len(text) <= 60 else text[:57] + "…")
    col = column or field or ""
    return Finding(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        field=field,
        value=text if text is None or len(text) <= 200 else text[:200] + "…",
        code=code,
        severity=severity,
        message_zh=zh.format(column=col, value=shown, detail=detail_zh),
        message_en=en.format(column=col, value=shown, detail=detail_zh if detail_en is None else detail_en),
    )


def row_ref(row: int, file: str | None = None, lang: str = "zh", sheet: str | None = None) -> str:
    """How a message names another row: 第12行 / row 12 (with the file, and the sheet, when it is another
    one)."""
    if lang == "en":
        return f"row {row}" + (f" of sheet '{sheet}'" if sheet else "") + (f" of {file}" if file else "")
    return (f"{file} " if file else "") + (f"工作表「{sheet}」" if sheet else "") + f"第{row}行"
