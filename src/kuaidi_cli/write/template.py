"""`kuaidi template`: a register workbook that makes clean data the easy path.

The village sheet is pre-filled with the official county, township, village names and codes; the
columns a team fills have drop-downs (是/否, the rules' modes and outlet levels) and number and date
validation, every header carries a comment saying what to write, and a 填写说明 sheet explains it all.
What kuaidi reads back is exactly what it wrote: a filled template checks clean.
"""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter

from kuaidi_cli.check.units import DATE_MAX, DATE_MIN, MAX_DISTANCE_KM, MAX_POPULATION
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read.sheets import TEMPLATE_HELP_SHEET

VILLAGE_SHEET, OUTLET_SHEET = "行政村台账", "服务点台账"
HELP_SHEET = TEMPLATE_HELP_SHEET  # (read.sheets leaves it out without a word)
OUTLET_ROWS = 5000  # rows of the outlet sheet that carry the validations

VILLAGE_COLUMNS = [
    # header, width, comment
    ("县区", 10, "已按官方区划填好，请勿修改。"),
    ("乡镇", 12, "已按官方区划填好，请勿修改。"),
    ("行政村", 14, "已按官方区划填好（行政村即村委会）。居委会、社区不填。"),
    ("区划代码", 15, "12位统计用区划代码，已填好，请勿修改。"),
    ("人口数(人)", 11, "户籍人口，整数，0–100000。写数字即可，不写“人”。"),
    ("距乡镇驻地距离(公里)", 12, "村委会到乡镇政府驻地的道路距离，单位公里，可带一位小数，0–200。"),
    ("是否驻村设点", 10, "村内是否有在用的村级快递服务点：从下拉框选 是 或 否。"),
    ("设点时间", 12, "服务点启用日期，如 2021-09-30。未设点不填。"),
    ("是否通达", 10, "快递是否进村（含驻村设点、辐射、合作模式）：从下拉框选 是 或 否。"),
    ("通达时间", 12, "开始通达的日期，如 2021-09-30。未通达不填。"),
    ("合作模式", 12, "从下拉框选择进村的合作模式。"),
]

OUTLET_COLUMNS = [
    ("服务点编号", 14, "每个服务点一个唯一编号，如 V410212100200。"),
    ("服务点名称", 22, "服务点的名称。"),
    ("层级", 20, "从下拉框选择：县级园区、乡镇服务站或村级服务点。"),
    ("县区", 10, "从下拉框选择。"),
    ("乡镇", 12, "乡镇服务站和村级服务点必填。"),
    ("行政村", 14, "村级服务点必填（或填所在村区划代码）。"),
    ("所在村区划代码", 15, "村级服务点所在行政村的12位代码。"),
    ("合作模式", 12, "从下拉框选择。"),
    ("合作企业", 20, "用顿号分隔，如 中通、圆通。"),
    ("启用日期", 12, "如 2021-09-30。"),
    ("停用日期", 12, "仍在使用的不填；撤点的填撤点日期。"),
    ("辐射村", 24, "该点服务的其他行政村，用顿号分隔。"),
]


def _help_lines(rules: Rules, gz: Gazetteer | None, counties: list[str], with_outlets: bool) -> list[str]:
    modes = "、".join(m.id for m in rules.modes)
    lines = [
        f"{rules.city or ''}“快递进村”台账 填写说明",
        "",
        f"依据：{rules.name}",
        f"范围：{'、'.join(counties) if counties else '全部县区'}",
        f"官方区划：国家统计局统计用区划代码 {gz.edition} 年版" if gz else "官方区划：未使用",
        "",
        "一、行政村台账（每个行政村一行）",
        "1. 县区、乡镇、行政村、区划代码已按官方区划填好，请勿增删改；官方名单外的村请另附说明。",
        "2. 人口数填户籍人口整数；距离填村委会到乡镇政府驻地的道路公里数。",
        f"3. 是否驻村设点、是否通达：下拉选择 是/否；合作模式：下拉选择（{modes}）。",
        "4. 日期一律写成 2021-09-30 的形式；只知道月份时写该月最后一天。",
        "5. 不要合并单元格，不要加合计行或小计行，不要改表头。",
    ]
    if with_outlets:
        levels = "、".join(level.label for level in rules.outlet_levels.values())
        lines += [
            "",
            "二、服务点台账（每个服务点一行）",
            f"1. 层级下拉选择（{levels}）。",
            "2. 村级服务点须填所在行政村（或其区划代码）；辐射村填它服务的其他村，用顿号分隔。",
            "3. 撤点的服务点不删除，填停用日期。",
        ]
    lines += [
        "",
        "填好后可用 kuaidi check 检查：kuaidi check 本文件.xlsx"
        + (" --outlets 本文件.xlsx" if with_outlets else ""),
    ]
    return lines


def to_template(rules: Rules, gz: Gazetteer | None, counties: list[str], *,
                with_outlets: bool = False) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center",
                            "valign": "vcenter",
                            "text_wrap": True, "font_name": "等线"})
    fixed = wb.add_format({"bg_color": "#F2F2F2", "font_name": "等线"})
    code = wb.add_format({"bg_color": "#F2F2F2", "num_format": "@", "font_name": "等线"})
    date = wb.add_format({"num_format": "yyyy-mm-dd", "font_name": "等线"})
    text = wb.add_format({"font_name": "等线", "num_format": "@"})
    plain = wb.add_format({"font_name": "等线"})
    start, end = (
        dt.datetime.combine(DATE_MIN.date(), dt.time()),
        dt.datetime.combine(DATE_MAX.date(), dt.time()),
    )
    modes = [m.id for m in rules.modes]

    villages = gz.administrative_villages(counties or None) if gz is not None else None
    n = len(villages) if villages is not None else 0
    last = max(n, 1000)  # without a division list, 1000 empty rows carry the validations

    ws = wb.add_worksheet(VILLAGE_SHEET)
    for col, (head, width, comment) in enumerate(VILLAGE_COLUMNS):
        ws.write_string(0, col, head, header)
        ws.write_comment(0, col, comment, {"x_scale": 1.6, "y_scale": 1.2})
        ws.set_column(col, col, width, date if head.endswith("时间") else plain)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 32)
    if villages is not None:
        for r, v in enumerate(villages.itertuples(), start=1):
            ws.write_string(r, 0, v.county_name, fixed)
            ws.write_string(r, 1, v.township_name, fixed)
            ws.write_string(r, 2, v.register_name, fixed)
            ws.write_string(r, 3, v.code, code)
    yes_no = {"validate": "list", "source": ["是", "否"], "error_title": "是/否",
              "error_message": "请从下拉框选择 是 或 否"}
    ws.data_validation(1, 4, last, 4, {"validate": "integer", "criteria": "between", "minimum": 0,
                                       "maximum": MAX_POPULATION,
                                       "error_message": f"人口为 0–{MAX_POPULATION} 的整数"})
    ws.data_validation(1, 5, last, 5, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                       "maximum": MAX_DISTANCE_KM,
                                       "error_message": f"距离为 0–{MAX_DISTANCE_KM:g} 公里"})
    ws.data_validation(1, 6, last, 6, yes_no)
    ws.data_validation(1, 8, last, 8, yes_no)
    for col in (7, 9):
        ws.data_validation(1, col, last, col, {"validate": "date", "criteria": "between", "minimum": start,
                                               "maximum": end,
                                               "error_message": "请填 2000-01-01 至 2049-12-31 之间的日期"})
    ws.data_validation(1, 10, last, 10, {"validate": "list", "source": modes,
                                         "error_message": "请从下拉框选择合作模式"})
    ws.autofilter(0, 0, max(n, 1), len(VILLAGE_COLUMNS) - 1)

    if with_outlets:
        wo = wb.add_worksheet(OUTLET_SHEET)
        for col, (head, width, comment) in enumerate(OUTLET_COLUMNS):
            wo.write_string(0, col, head, header)
            wo.write_comment(0, col, comment, {"x_scale": 1.6, "y_scale": 1.2})
            wo.set_column(
                col, col, width, date if head.endswith("日期") else (text if head.endswith("代码") else plain)
            )
        wo.freeze_panes(1, 0)
        wo.set_row(0, 32)
        levels = [level.label for level in rules.outlet_levels.values()]
        wo.data_validation(1, 2, OUTLET_ROWS, 2, {"validate": "list", "source": levels,
                                                  "error_message": "请从下拉框选择层级"})
        county_list = counties or (sorted(gz.county_names) if gz else [])
        if county_list:
            wo.data_validation(1, 3, OUTLET_ROWS, 3, {"validate": "list", "source": county_list})
        wo.data_validation(1, 7, OUTLET_ROWS, 7, {"validate": "list", "source": modes})
        for col in (9, 10):
            wo.data_validation(1, col, OUTLET_ROWS, col, {"validate": "date", "criteria": "between",
                                                          "minimum": start,
                                                          "maximum": end})

    wh = wb.add_worksheet(HELP_SHEET)
    wh.set_column(0, 0, 110)
    for r, line in enumerate(_help_lines(rules, gz, counties, with_outlets)):
        wh.write_string(r, 0, line, header if r == 0 else plain)
    wb.close()
    return buf.getvalue()
