"""Every sheet of a workbook, every file of a folder (issue 20, items 5 and 12): a workbook of one sheet per
township is read whole, the sheets left out are named; a folder's files kuaidi cannot use are named on
stderr with what to do; a file sent twice is one finding, and the newer copy counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
from conftest import HEADER
from typer.testing import CliRunner

from kuaidi_cli.cli import app

# three townships of 祥符区, one sheet each: 6 villages, 5 reached (刘庄村 not), 2 with a point in the village
SHEETS = {
    "城关镇": ["祥符区,城关镇,袁楼村,410212100200,1571,6.6,是,2021-10-04,是,2021-08-21,邮快合作",
            "祥符区,城关镇,黄龙村,410212100201,900,5.1,否,,是,2021-01-31,快快合作"],
    "陈留镇": ["祥符区,陈留镇,西街村,410212101200,3067,6.2,是,2021-05-31,是,2020-03-11,快快合作",
            "祥符区,陈留镇,大寺村,410212101201,1641,6.7,否,,是,2021-10-31,邮快合作",
            "祥符区,陈留镇,刘庄村,410212101202,759,4.6,否,,否,,"],
    "仇楼镇": ["祥符区,仇楼镇,仇楼村,410212102200,1200,3.0,否,,是,2022-03-01,邮快合作"],
}


def _cells(line: str) -> list[object]:
    return [int(c) if c.isdigit() and len(c) < 6 else c for c in line.split(",")]


def _book(path: Path, sheets: dict[str, list[str]], *, header: str = HEADER, extra: dict[str, list[list[object]]]
          | None = None, first: dict[str, list[list[object]]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (first or {}).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name, lines in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header.split(","))
        for line in lines:
            sheet.append(_cells(line))
    for name, rows in (extra or {}).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _invoke(*args: str):
    return CliRunner().invoke(app, [*args, "--divisions", "none"])


def _report(*args: str) -> dict:
    result = _invoke("report", *args, "--as-of", "2023-01-31", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _check(*args: str) -> tuple[int, dict, str]:
    result = _invoke("check", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def _codes(found: dict) -> list[str]:
    return [f["code"] for f in found["findings"]]


def test_a_workbook_of_one_sheet_per_township_is_read_whole(tmp_path):
    book = _book(tmp_path / "祥符区.xlsx", SHEETS)
    report = _report("--villages", str(book))
    xf = next(c for c in report["counties"] if c["county"] == "祥符区")
    assert (xf["villages"], xf["reached"], xf["in_village"]) == (6, 5, 2)
    assert sorted(t["township"] for t in report["townships"] if t["county"] == "祥符区") == ["仇楼镇", "城关镇", "陈留镇"]
    assert report["inputs"][0]["rows"] == 6 and len(report["inputs"]) == 1
    code, found, _ = _check(str(book))
    assert code == 0 and sum(f["valid"] for f in found["files"]) == 6
    assert [f["sheet"] for f in found["files"]] == ["城关镇", "陈留镇", "仇楼镇"]


def test_a_village_on_two_sheets_is_named_by_its_sheet_and_row(tmp_path):
    sheets = {**SHEETS, "仇楼镇": [*SHEETS["仇楼镇"], SHEETS["城关镇"][1].replace("黄龙村,410212100201", "黄龙村,")]}
    code, found, _ = _check(str(_book(tmp_path / "祥符区.xlsx", sheets)))
    dup = [f for f in found["findings"] if f["code"] == "duplicate-village"]
    assert code == 1 and len(dup) == 1 and dup[0]["sheet"] == "仇楼镇" and dup[0]["row"] == 3
    assert "工作表「城关镇」第3行" in dup[0]["message_zh"] and "row 3 of sheet '城关镇'" in dup[0]["message_en"]


def test_only_the_register_sheet_is_read_beside_notes_and_a_summary(tmp_path):
    book = _book(tmp_path / "台账.xlsx", {"台账": SHEETS["陈留镇"]},
                 first={"说明": [["本表按乡镇填写，每村一行"], ["填表人：张三"]]},
                 extra={"汇总": [["乡镇", "行政村数", "通达数"], ["陈留镇", 3, 2]]})
    wb = openpyxl.load_workbook(book)  # last month's register, hidden: not read, named
    hidden = wb.create_sheet("上月")
    hidden.sheet_state = "hidden"
    hidden.append(HEADER.split(","))
    hidden.append(_cells(SHEETS["城关镇"][0]))
    wb.save(book)
    code, found, _ = _check(str(book))
    assert code == 0 and [f["sheet"] for f in found["files"]] == ["台账"]
    assert found["files"][0]["valid"] == 3
    skipped = [(f["sheet"], f["code"]) for f in found["findings"] if f["code"].startswith("sheet-")]
    assert sorted(skipped) == [("上月", "sheet-hidden"), ("汇总", "sheet-skipped"), ("说明", "sheet-skipped")]
    report = _report("--villages", str(book))
    assert report["summary"]["villages"] == 3 and report["summary"]["reached"] == 2


def test_sheet_picks_exactly_one(tmp_path):
    book = _book(tmp_path / "祥符区.xlsx", SHEETS)
    code, found, _ = _check(str(book), "--sheet", "陈留镇")
    assert code == 0 and [f["sheet"] for f in found["files"]] == ["陈留镇"] and not found["findings"]
    assert _report("--villages", str(book), "--sheet", "3")["summary"]["villages"] == 1  # 仇楼镇, by its number


def test_report_and_export_take_sheet_and_encoding(tmp_path):
    book = _book(tmp_path / "祥符区.xlsx", SHEETS)
    out = tmp_path / "out"
    result = _invoke("export", "--villages", str(book), "--sheet", "城关镇", "--out", str(out), "--formats", "json",
                     "--as-of", "2023-01-31", "--no-history", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))["summary"]["villages"] == 2
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "\n" + "\n".join(SHEETS["陈留镇"]) + "\n").encode("gbk"))
    assert _report("--villages", str(gbk), "--encoding", "gb18030")["summary"]["villages"] == 3
    # the encoding named is the one used: a GBK file read as UTF-8 is refused, by its line
    told = _invoke("report", "--villages", str(gbk), "--encoding", "utf-8", "--as-of", "2023-01-31")
    assert told.exit_code == 2 and "不能按 utf-8 解码" in told.stderr and "No such option" not in told.output
    told = _invoke("export", "--villages", str(gbk), "--encoding", "utf-8", "--out", str(out), "--no-history")
    assert told.exit_code == 2 and "不能按 utf-8 解码" in told.stderr


def test_an_outlet_sheet_is_named_unless_the_workbook_is_given_as_outlets_too(tmp_path):
    outlets = "服务点编号,服务点名称,层级,县区,乡镇,行政村,启用日期"
    book = openpyxl.load_workbook(_book(tmp_path / "book.xlsx", {"行政村": SHEETS["陈留镇"]}))
    sheet = book.create_sheet("服务点")
    sheet.append(outlets.split(","))
    sheet.append(["XF001", "西街村服务点", "村级", "祥符区", "陈留镇", "西街村", "2021-05-31"])
    book.save(tmp_path / "book.xlsx")
    _, found, _ = _check(str(tmp_path / "book.xlsx"))
    assert [(f["sheet"], f["code"]) for f in found["findings"] if f["code"].startswith("sheet-")] == \
        [("服务点", "sheet-other-register")]
    _, found, _ = _check(str(tmp_path / "book.xlsx"), "--outlets", str(tmp_path / "book.xlsx"))
    assert not [f for f in found["findings"] if f["code"].startswith("sheet-")]
    assert [f["sheet"] for f in found["files"]] == ["行政村", "服务点"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "祥符区.csv").write_text(HEADER + "\n" + "\n".join(SHEETS["城关镇"] + SHEETS["陈留镇"]) + "\n",
                                     encoding="utf-8")
    (folder / "杞县.csv").write_text(HEADER + "\n杞县,城关镇,东关村,410221100201,2000,1.0,是,2021-06-01,是,2021-06-01,邮快合作\n",
                                   encoding="utf-8")
    (folder / "说明.txt").write_text("各县区于每月5日前报送。\n联系人：李四\n", encoding="utf-8")
    (folder / "尉氏县.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (folder / "通知.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "兰考县.et").write_bytes(b"\xd0\xcf\x11\xe0 a WPS spreadsheet")
    return folder


def test_a_folder_names_every_file_it_leaves_out_and_check_exits_by_the_data(tmp_path):
    folder = _folder(tmp_path)
    code, found, err = _check(str(folder))
    assert code == 0 and sorted(Path(f["path"]).name for f in found["files"]) == ["杞县.csv", "祥符区.csv"]
    lines = [line for line in err.splitlines() if line.startswith("kuaidi: 跳过")]
    assert len(lines) == 4
    said = {name: next(line for line in lines if name in line) for name in ("说明.txt", "尉氏县.zip", "通知.docx", "兰考县.et")}
    assert "请解压后再查" in said["尉氏县.zip"] and "另存为" in said["兰考县.et"] and ".xlsx" in said["兰考县.et"]
    assert "Word" in said["通知.docx"] and "表头" in said["说明.txt"]
    # report and export leave out the same files, with the same lines, and English with --lang en
    for command in (["report", "--villages", str(folder), "--as-of", "2023-01-31"],
                    ["export", "--villages", str(folder), "--out", str(tmp_path / "out"), "--no-history",
                     "--formats", "json", "--as-of", "2023-01-31"]):
        result = _invoke(*command, "--lang", "en")
        assert result.exit_code == 0, result.output
        assert "skipped" in result.stderr and "unpack it" in result.stderr and "save it as an Excel" in result.stderr
        assert all(name in result.stderr for name in said)
    assert _report("--villages", str(folder))["summary"]["villages"] == 6
    # a file named on its own that cannot be read still stops the run
    assert _invoke("check", str(folder / "说明.txt")).exit_code == 2


def test_a_file_sent_twice_is_one_finding_and_the_newer_by_its_dates_counts(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    old = HEADER + "\n" + "\n".join(SHEETS["陈留镇"]) + "\n"
    # the re-sent copy: 刘庄村 reached on 2022-12-20 (the copy's latest date); the first copy is newer on disk
    new = old.replace("刘庄村,410212101202,759,4.6,否,,否,,", "刘庄村,410212101202,759,4.6,否,,是,2022-12-20,邮快合作")
    (folder / "祥符区(1).csv").write_text(new, encoding="utf-8")
    (folder / "祥符区.csv").write_text(old, encoding="utf-8")
    os.utime(folder / "祥符区(1).csv", (1_600_000_000, 1_600_000_000))  # 2020: older on disk
    os.utime(folder / "祥符区.csv", (1_700_000_000, 1_700_000_000))  # 2023
    code, found, _ = _check(str(folder))
    assert code == 0 and _codes(found) == ["file-copy"], found["findings"]
    copy = found["findings"][0]
    assert copy["file"].endswith("祥符区.csv") and "祥符区(1).csv" in copy["message_zh"]
    assert "2022-12-20" in copy["message_zh"] and "本文件 3 行未计入" in copy["message_zh"]
    counts = {Path(f["path"]).name: f for f in found["files"]}
    assert counts["祥符区(1).csv"]["valid"] == 3 and counts["祥符区.csv"]["valid"] == 0
    report = _report("--villages", str(folder))
    assert (report["summary"]["villages"], report["summary"]["reached"]) == (3, 3)


def test_identical_copies_are_one_finding_and_the_later_modified_counts(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    text = HEADER + "\n" + "\n".join(SHEETS["城关镇"] + SHEETS["陈留镇"]) + "\n"
    for name, when in (("a.csv", 1_700_000_000), ("b.csv", 1_600_000_000)):
        (folder / name).write_text(text, encoding="utf-8")
        os.utime(folder / name, (when, when))
    code, found, _ = _check(str(folder))
    assert code == 0 and _codes(found) == ["file-copy"]
    assert found["findings"][0]["file"].endswith("b.csv") and "内容完全相同" in found["findings"][0]["message_zh"]
    assert "修改时间较晚" in found["findings"][0]["message_zh"]
    assert sum(f["valid"] for f in found["files"]) == 5
    assert _report("--villages", str(folder))["summary"]["villages"] == 5


def test_the_second_process_reads_every_sheet_and_the_sheet_named(tmp_path, monkeypatch):
    """A large workbook pair is checked in a second process (commands.second_process): it reads every
    register sheet, or the one --sheet names, as one process does."""
    import datetime as dt

    from conftest import SAMPLES

    from kuaidi_cli.commands import inputs, second_process
    from kuaidi_cli.commands import report as reporting
    from kuaidi_cli.core.rules import load_rules

    rules, sha = load_rules()
    book = _book(tmp_path / "祥符区.xlsx", SHEETS, extra={"说明": [["按乡镇分表填写"]]})
    monkeypatch.setattr(reporting, "SECOND_PROCESS_BYTES", 0)
    started = []
    real = second_process.SecondProcess.__init__

    def spy(self, *a, **k):
        started.append(k.get("sheet"))
        real(self, *a, **k)

    monkeypatch.setattr(second_process.SecondProcess, "__init__", spy)
    for sheet, villages in ((None, 6), ("陈留镇", 3)):
        registers = inputs.Registers([book], [SAMPLES / "outlets.csv"], None, "flags", sheet=sheet)
        report, context = reporting.run(registers, rules, sha, dt.date(2023, 1, 31), generated_at="t")
        assert report.summary.villages == villages
        assert [f.sheet for f in context.findings if f.code == "sheet-skipped"] == (["说明"] if sheet is None else [])
    assert started == [None, "陈留镇"]
