"""Labels of the user interface, in Chinese (default) and English."""

LABELS: dict[str, tuple[str, str]] = {
    "findings": ("数据问题", "Findings"),
    "where": ("位置", "Where"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "severity": ("级别", "Severity"),
    "code": ("代码", "Code"),
    "message": ("说明", "Message"),
    "file": ("文件", "File"),
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
    "more": ("… 还有 {n} 条未显示（--max-findings 调整条数，--format json 可看全部）",
             "… and {n} more (raise --max-findings, or use --format json for all)"),
    "no_findings": ("没有发现数据问题。", "No findings."),
    "skipped_detail": ("空行 {blank}、合计 {total}、说明 {note}、重复 {duplicate}",
                       "blank {blank}, total {total}, note {note}, repeat {duplicate}"),
    "file_line": ("{name}（{kind}，{fmt}，{sheet}表头在第{header}行）",
                  "{name} ({kind}, {fmt}, {sheet}header on row {header})"),
    "sheet_part": ("工作表「{sheet}」，", "sheet '{sheet}', "),
    "count_line": ("  行数 {rows} = 有效 {valid} + 无效 {invalid} + 跳过 {skipped}{detail}；错误 {errors}，警告 {warnings}",
                   "  rows {rows} = valid {valid} + invalid {invalid} + skipped {skipped}{detail}; errors {errors}, warnings {warnings}"),
    "ok": ("✓ 检查通过：{files} 个文件，{valid} 行有效，没有错误（警告 {warnings} 条）。",
           "✓ Passed: {files} file(s), {valid} valid rows, no errors ({warnings} warnings)."),
    "failed": ("✗ 发现 {errors} 个错误、{warnings} 条警告：{invalid} 行无效，未计入。请按上表修改后再查。",
               "✗ {errors} errors and {warnings} warnings: {invalid} rows are invalid and not counted. Fix them and check again."),
    "conservation": ("行数 = 有效 + 无效 + 跳过", "rows = valid + invalid + skipped"),
}


def t(key: str, lang: str = "zh", **kw: object) -> str:
    zh, en = LABELS[key]
    return (en if lang == "en" else zh).format(**kw)
