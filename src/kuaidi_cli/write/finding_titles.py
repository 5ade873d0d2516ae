"""What each finding is, in a few words, for the sheets people read (docs/FINDINGS.md has each code)."""

from __future__ import annotations

# What each finding is, for the sheets people read (the stable codes stay in JSON, CSV and `check`)
FINDING_TITLES: dict[str, tuple[str, str]] = {
    "missing-value": ("必填项为空", "required cell empty"),
    "missing-column": ("缺少必需列", "required column missing"),
    "bad-number": ("数字无效", "not a number"),
    "negative-value": ("负数", "negative value"),
    "absurd-value": ("数值超出合理范围", "implausible value"),
    "bad-date": ("日期无效", "not a date"),
    "bad-yes-no": ("不是“是/否”", "not yes or no"),
    "bad-code": ("区划代码格式错误", "malformed code"),
    "unknown-code": ("区划代码不在官方名单", "code not in the official list"),
    "bad-mode": ("合作模式无效", "unknown mode"),
    "bad-level": ("层级无效", "unknown level"),
    "bad-date-order": ("停用早于启用", "closed before opened"),
    "duplicate-village": ("村重复", "village repeated"),
    "duplicate-outlet": ("服务点编号重复", "outlet id repeated"),
    "duplicate-row": ("重复行", "row repeated"),
    "old-division-name": ("旧称或简称", "old or short name"),
    "inconsistent-flags": ("设点与通达矛盾", "flags contradict"),
    "duplicate-column": ("重复列", "column repeated"),
    "in-village-disagrees": ("驻村设点与服务点台账不一致", "outlet register disagrees"),
    "outlet-village-unknown": ("服务点所在村不在台账中", "outlet's village not in the register"),
    "serves-unknown": ("辐射村不在台账中", "served village not in the register"),
    "unknown-county": ("县区不在官方名单", "county not in the official list"),
    "unknown-township": ("乡镇不在官方名单", "township not in the official list"),
    "unknown-village": ("行政村不在官方名单", "village not in the official list"),
    "code-division-mismatch": ("代码与县区或乡镇不符", "code contradicts county or township"),
    "code-name-mismatch": ("代码与村名不符", "code names another village"),
    "code-prefix-disagrees": (
        "代码与台账其余行的县区或乡镇不一致",
        "code disagrees with the other rows' place",
    ),
    "outside-scope": ("不属于本市（未计入）", "outside the city (not counted)"),
    "no-rows-in-scope": ("文件中没有本市的行", "no row of the city in the file"),
    "village-name-normalised": ("村名已规范", "village name normalised"),
    "not-a-village": ("不是行政村（已跳过）", "not a village (skipped)"),
    "missing-village": ("官方名单中的村未报", "official village missing"),
    "file-skipped": ("文件未读取", "file skipped"),
    "file-copy": ("同一份台账报了两次，只计较新的", "file sent twice; the newer counts"),
    "sheet-skipped": ("工作表不是台账，未读取", "sheet not a register; not read"),
    "sheet-hidden": ("隐藏的台账工作表，未读取", "hidden register sheet; not read"),
    "sheet-other-register": ("另一种台账的工作表，未读取", "sheet of the other register; not read"),
    "findings-truncated": ("问题过多，未全部保留", "findings truncated"),
    "priority-unknown": ("是否重点村待核实", "priority undecided"),
    "column-empty": ("整列为空", "column empty"),
    "empty-register": ("台账没有数据", "register empty"),
    "empty-outlets": ("服务点台账没有数据", "outlet register empty"),
    "merged-filled": ("合并单元格已按首格计", "merged cell read down"),
    "total-row": ("合计行（已跳过）", "total row (skipped)"),
    "note-row": ("说明行（已跳过）", "note row (skipped)"),
    "unmapped-column": ("未识别的列（已忽略）", "column not read (ignored)"),
}


def finding_title(code: str, lang: str) -> str:
    """What a finding is, in words (its code when a newer kuaidi knows a code this table does not)."""
    zh, en = FINDING_TITLES.get(code, (code, code))
    return en if lang == "en" else zh
