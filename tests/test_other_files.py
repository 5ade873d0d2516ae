"""Files other programs write, told for what they are (issue 16): an xlsx whose zip parts are named with
backslashes (as some Chinese office software writes them), a Word document, a damaged workbook, a PDF."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, HEADER
from typer.testing import CliRunner

from kuaidi_cli.cli import app

ROWS = HEADER + "\n祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作\n"


def check(path: Path):
    return CliRunner().invoke(app, ["check", str(path), "--divisions", "none"])


def _workbook_parts() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    for line in ROWS.strip().splitlines():
        book.active.append(line.split(","))
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_backslash_part_names_are_a_workbook(tmp_path):
    path = _zip(tmp_path / "台账.xlsx", {n.replace("/", "\\"): d for n, d in _workbook_parts().items()})
    result = check(path)
    assert result.exit_code == 0, result.output
    assert "1 行有效" in result.stdout


def test_a_word_document_is_named_so(tmp_path):
    path = _zip(tmp_path / "台账.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    result = check(path)
    assert result.exit_code == 2 and "Word 文档" in result.stderr and "解压" not in result.stderr


def test_a_workbook_without_its_workbook_part_is_damaged(tmp_path):
    parts = {n: d for n, d in _workbook_parts().items() if not n.endswith("workbook.xml")}
    result = check(_zip(tmp_path / "台账.xlsx", parts))
    assert result.exit_code == 2 and "已损坏" in result.stderr and "解压" not in result.stderr


def test_a_pdf_is_named_so(tmp_path):
    path = tmp_path / "台账.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    result = check(path)
    assert result.exit_code == 2 and "PDF" in result.stderr and "--sheet" not in result.stderr


def test_a_register_delimited_by_bars_or_semicolons_or_tabs(tmp_path):
    for name, delimiter in (("bar.txt", "|"), ("semicolon.csv", ";"), ("tab.txt", "\t")):
        path = tmp_path / name
        path.write_text(ROWS.replace(",", delimiter), encoding="utf-8")
        result = check(path)
        assert result.exit_code == 0 and "1 行有效" in result.stdout, (name, result.output)


def test_text_in_another_encoding_is_told_to_use_encoding(tmp_path):
    for name, data in (("big5.csv", ROWS.encode("big5", errors="replace")),
                       ("latin1.csv", "County,Town,Village\nCafé,Zoë,Müller\n".encode("latin-1"))):
        path = tmp_path / name
        path.write_bytes(data)
        result = check(path)
        assert result.exit_code == 2 and "--encoding" in result.stderr and "不是文本表格" not in result.stderr, name


def test_a_workbook_of_many_sheets_gets_a_short_message(tmp_path):
    import xlsxwriter

    path = tmp_path / "很多表.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for i in range(1024):
        book.add_worksheet(f"表{i}").write(0, 0, "备注")
    book.close()
    result = check(path)
    assert result.exit_code == 2 and "等 1024 个" in result.stderr and len(result.stderr) < 500


def test_two_columns_of_an_outlet_register_are_no_outlet_register(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("COUNTY,NAME\nKaifeng,Bob\n", encoding="utf-8")
    result = check(path)
    assert result.exit_code == 2 and "--outlets" not in result.stderr and "找不到行政村台账的表头" in result.stderr


def test_a_wrong_encoding_named_is_told_by_line_and_column(tmp_path):
    """--encoding utf-8 on a GBK file, and on a UTF-8 file with one GBK cell: the line as an editor shows it
    (the title row counted), the column under the header, and what to do, in both languages."""
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(("开封市快递进村台账\n" + ROWS).encode("gbk"))
    one_cell = tmp_path / "one_cell.csv"
    lines = ("开封市快递进村台账\n" + ROWS).splitlines(keepends=True)
    one_cell.write_bytes("".join(lines[:2]).encode() + "祥符区,城关镇,".encode() + "袁楼村".encode("gbk")
                         + lines[2].split("袁楼村", 1)[1].encode())

    def told(path: Path, lang: str) -> str:
        result = CliRunner().invoke(app, ["check", str(path), "--encoding", "utf-8", "--divisions", "none",
                                          "--lang", lang])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        return result.stderr

    assert "第 1 行不能按 utf-8 解码" in told(gbk, "zh") and "--encoding gbk" in told(gbk, "zh")
    assert "去掉 --encoding" in told(gbk, "zh") and "字节" not in told(gbk, "zh")
    assert "line 1 cannot be decoded as utf-8" in told(gbk, "en") and "drop --encoding" in told(gbk, "en")
    assert "第 3 行（「行政村」列）不能按 utf-8 解码" in told(one_cell, "zh")
    assert "line 3 (column '行政村') cannot be decoded" in told(one_cell, "en")


def test_windows_1252_text_is_told_to_use_encoding_and_junk_is_still_no_text(tmp_path):
    """Western text from Windows: curly quotes, a dash and a euro sign are bytes 0x93 0x94 0x96 0x80, which
    Latin-1 reads as control characters; they are text, not junk. Random bytes remain no text."""
    import random

    text = tmp_path / "cp1252.csv"
    text.write_bytes("Name,Note,Price\n“Alpha”,café – good,€5\nBeta,“x”,€10\n".encode("cp1252"))
    assert b"\x93" in text.read_bytes() and b"\x80" in text.read_bytes()
    result = check(text)
    assert result.exit_code == 2 and "--encoding cp1252" in result.stderr and "不是文本表格" not in result.stderr
    junk = tmp_path / "junk.csv"
    junk.write_bytes(random.Random(16).randbytes(512))
    result = check(junk)
    assert result.exit_code == 2 and "不是文本表格" in result.stderr


def _record(rid: int, body: bytes) -> bytes:
    """A BIFF record: its id and length (little-endian), then its body."""
    return rid.to_bytes(2, "little") + len(body).to_bytes(2, "little") + body


def test_an_excel_4_file_is_too_old_and_told_to_be_saved_as_xlsx(tmp_path):
    """Excel 2.x, 3.0 and 4.0 wrote a plain stream of BIFF records, not the OLE container of Excel 5.0 and
    later (which calamine reads): a BOF record (id 0x0009, 0x0209 or 0x0409; version; 0x0010 = worksheet),
    a LABEL cell (row 0, column 0, 'County'; the record as Excel 3.0 and 4.0 write it), EOF."""
    for version, bof, body in (("Excel 2.x", 0x0009, b"\x00\x00\x10\x00"),
                               ("Excel 3.0", 0x0209, b"\x00\x00\x10\x00\x00\x00"),
                               ("Excel 4.0", 0x0409, b"\x00\x00\x10\x00\x00\x00")):
        path = tmp_path / f"{version}.xls"
        label = _record(0x0204, b"\x00\x00\x00\x00\x0f\x00\x06\x00County")
        path.write_bytes(_record(bof, body) + label + _record(0x000A, b""))
        result = check(path)
        assert result.exit_code == 2 and version in result.stderr and "另存为 .xlsx" in result.stderr, result.output
        assert "不是文本表格" not in result.stderr
        result = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--lang", "en"])
        assert "too old" in result.stderr and "save it as .xlsx" in result.stderr


def _chart_sheet(book, name: str, values: str) -> None:
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": values})
    book.add_chartsheet(name).set_chart(chart)


def test_chart_sheets_are_passed_over_in_seeking_the_register(tmp_path):
    """A workbook whose first sheet is a chart sheet: the register is on the sheet after it; a chart sheet
    named with --sheet is told to be a chart; a workbook of chart sheets only holds no register."""
    import warnings

    import xlsxwriter

    path = tmp_path / "图表在前.xlsx"
    book = xlsxwriter.Workbook(str(path))
    _chart_sheet(book, "Chart", "=台账!$E$2:$E$2")
    register = book.add_worksheet("台账")
    for r, line in enumerate(ROWS.strip().splitlines()):
        register.write_row(r, 0, line.split(","))
    book.close()
    result = check(path)
    assert result.exit_code == 0 and "1 行有效" in result.stdout, result.output
    result = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--sheet", "Chart"])
    assert result.exit_code == 2 and "「Chart」是图表，不是表格" in result.stderr and "有：台账" in result.stderr

    charts = tmp_path / "只有图表.xlsx"
    book = xlsxwriter.Workbook(str(charts))
    _chart_sheet(book, "图1", "=数据!$A$1:$A$3")
    with warnings.catch_warnings():  # (XlsxWriter warns that the chart's data is on no sheet of the workbook)
        warnings.simplefilter("ignore")
        book.close()
    result = check(charts)
    assert result.exit_code == 2 and "只有图表工作表（图1），没有台账" in result.stderr, result.output
    result = CliRunner().invoke(app, ["check", str(charts), "--divisions", "none", "--lang", "en"])
    assert "holds only chart sheets" in result.stderr


def test_a_chart_sheet_of_an_xlsb_is_no_unreadable_sheet():
    """calamine fails on the chart sheet of an xlsb ('failed to fill whole buffer'); it is passed over, and the
    workbook (numbers on its worksheets, no register) is told to hold no register. (The file is from
    calamine's tests: see fixtures/calamine/README.md.)"""
    path = FIXTURES / "calamine" / "any_sheets.xlsb"
    result = check(path)
    assert result.exit_code == 2 and "找不到行政村台账的表头" in result.stderr, result.output
    assert "无法读取" not in result.stderr and "Chart" not in result.stderr


def _latin_words(line: str, path: Path) -> list[str]:
    """The words in Latin letters of a Chinese message, besides the file's name, a sheet's 「name」 and the
    programs named."""
    import re

    rest = re.sub(r"「[^」]*」", "", line.replace(str(path), ""))
    return [w for w in re.findall(r"[A-Za-z]+", rest) if w not in ("kuaidi", "Excel", "WPS", "xlsx", "CSV")]


def test_a_damaged_workbook_is_told_in_chinese_and_the_reader_s_words_are_kept_for_english(tmp_path):
    """Malformed XML in an xlsx (its workbook part, or its sheet, cut off in a tag): calamine's English
    ('syntax error: tag not closed…') stays out of the Chinese line, which says the file is damaged and to
    save it again from Excel or WPS; the English line keeps it."""
    parts = _workbook_parts()
    for broken in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
        path = _zip(tmp_path / f"{broken.replace('/', '_')}.xlsx",
                    {**parts, broken: parts[broken][: len(parts[broken]) // 2] + b"<x"})
        zh = check(path)
        assert zh.exit_code == 2 and _latin_words(zh.stderr, path) == [], zh.output
        assert "已损坏" in zh.stderr and "WPS" in zh.stderr
        en = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--lang", "en"])
        assert en.exit_code == 2 and "syntax error" in en.stderr and "corrupt" in en.stderr, en.output


def test_a_csv_the_csv_module_refuses_is_told_in_chinese(tmp_path):
    """A row wider than the header with a cell longer than the csv module's field limit: the Chinese line
    says so in Chinese ('field larger than field limit' only in English)."""
    path = tmp_path / "long_cell.csv"
    path.write_text(ROWS.strip() + ",多的一格\n祥符区,城关镇,\"" + "长" * 140_000 + "\",1\n", encoding="utf-8")
    zh = check(path)
    assert zh.exit_code == 2 and "第 3 行不是有效的 CSV（有单元格长于 131072 个字符）" in zh.stderr, zh.output
    assert _latin_words(zh.stderr, path) == []
    en = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--lang", "en"])
    assert "field larger than field limit" in en.stderr


def _moved(parts: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """An xlsx's parts with its xl/ folder renamed, and every reference to it (_rels/.rels names the
    workbook part, [Content_Types].xml and the workbook's relationships the others) changed with it."""
    return {name.replace("xl/", folder, 1): data.replace(b"xl/", folder.encode()) for name, data in parts.items()}


def test_a_workbook_part_outside_xl_is_a_workbook(tmp_path):
    """A valid package may keep its workbook anywhere (_rels/.rels names it): here at wb/workbook.xml."""
    parts = _moved(_workbook_parts(), "wb/")
    assert "wb/workbook.xml" in parts and not any(n.startswith("xl/") for n in parts)
    assert b'Target="wb/workbook.xml"' in parts["_rels/.rels"]
    result = check(_zip(tmp_path / "台账.xlsx", parts))
    assert result.exit_code == 0 and "1 行有效" in result.stdout, result.output


def test_a_workbook_of_no_sheets_says_so(tmp_path):
    """A workbook part whose <sheets> is empty (and no sheet part): no sheet, not 'every sheet hidden'."""
    import re

    parts = {n: d for n, d in _workbook_parts().items() if not n.startswith("xl/worksheets/")}
    parts["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"])
    assert b"<sheets/>" in parts["xl/workbook.xml"]
    result = check(_zip(tmp_path / "空.xlsx", parts))
    assert result.exit_code == 2 and "中没有工作表" in result.stderr and "隐藏" not in result.stderr, result.output
    result = CliRunner().invoke(app, ["check", str(tmp_path / "空.xlsx"), "--divisions", "none", "--lang", "en"])
    assert "holds no sheet" in result.stderr


def test_an_error_cell_is_found_wherever_the_package_keeps_its_sheet(tmp_path):
    """A #DIV/0! in the population column (calamine reads it as empty) is reported as a bad number in a
    workbook written as openpyxl writes it (a relationship's Target before its Id), with its parts at wb/,
    and with its part names written with backslashes: never silently an empty cell."""
    import re

    parts = _workbook_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<c r="E2".*?</c>', b'<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
                                               sheet)
    assert parts["xl/worksheets/sheet1.xml"] != sheet
    assert re.search(rb"<Relationship [^>]*Target=[^>]*Id=", parts["xl/_rels/workbook.xml.rels"])
    for name, variant in (("openpyxl.xlsx", parts), ("wb.xlsx", _moved(parts, "wb/")),
                          ("backslash.xlsx", {n.replace("/", "\\"): d for n, d in parts.items()})):
        result = check(_zip(tmp_path / name, variant))
        assert result.exit_code == 1 and "「#DIV/0!」不是有效的数值" in result.stdout, (name, result.output)


def test_a_utf8_file_with_a_bom_and_a_gbk_line_is_told_as_two_encodings(tmp_path):
    """A UTF-8 file (with its BOM) whose line 12 was pasted in GBK: told as two encodings, from line 12, as
    the same file without a BOM is; under --encoding utf-8, line 12 and its column 县区 (without the BOM)."""
    head = "县区,乡镇,行政村,区划代码,人口数(人),距乡镇驻地距离(公里),是否驻村设点,设点时间,是否通达,通达时间,合作模式\n"
    rows = "".join(f"祥符区,城关镇,村{i},,900,2,否,,否,,\n" for i in range(10))  # lines 2-11
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (head + rows).encode() + "祥符区,城关镇,丁村,,900,2,否,,否,,\n".encode("gbk"))
    detected = CliRunner().invoke(app, ["check", str(path), "--divisions", "none"])
    assert detected.exit_code == 2 and "前面是 UTF-8，第 12 行起却是另一种编码" in detected.stderr
    named = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--encoding", "utf-8"])
    assert named.exit_code == 2 and "第 12 行（「县区」列）" in named.stderr


def test_sheet_advice_only_where_there_is_another_sheet(tmp_path):
    """A workbook of one sheet with no register is not told to choose a sheet (even after --sheet 1); one of
    two sheets is."""
    import xlsxwriter

    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    for path, sheets in ((one, ["Sheet1"]), (two, ["Sheet1", "Sheet2"])):
        wb = xlsxwriter.Workbook(str(path))
        for name in sheets:
            wb.add_worksheet(name).write_row(0, 0, ["姓名", "电话"])
        wb.close()
    for args in ([str(one)], [str(one), "--sheet", "1"]):
        said = CliRunner().invoke(app, ["check", *args])
        assert said.exit_code == 2 and "找不到行政村台账的表头" in said.stderr and "--sheet" not in said.stderr
    said = CliRunner().invoke(app, ["check", str(two)])
    assert said.exit_code == 2 and "或用 --sheet 指定工作表" in said.stderr


@pytest.mark.parametrize(("fixture", "named"), [("villages.xls", "台账.xlsx"), ("villages.ods", "台账.xlsx"),
                                               ("villages_two_row_header.xlsx", "台账.ods"),
                                               ("villages.xls", "台账.ods")])
def test_a_workbook_named_as_another_kind_is_read_as_what_it_is(fixture, named, tmp_path):
    """An .xls saved under .xlsx, an .ods under .xlsx, an .xlsx under .ods: read by their bytes, as the same
    workbook under its own name is (it was called damaged and told to be saved as .xlsx)."""
    own = CliRunner().invoke(app, ["check", str(FIXTURES / fixture), "--divisions", "none", "--format", "json"])
    renamed = tmp_path / named
    renamed.write_bytes((FIXTURES / fixture).read_bytes())
    other = CliRunner().invoke(app, ["check", str(renamed), "--divisions", "none", "--format", "json"])
    assert other.exit_code == own.exit_code and "已损坏" not in other.stderr, other.stderr
    import json

    assert [f["rows"] for f in json.loads(other.stdout)["files"]] == [f["rows"] for f in json.loads(own.stdout)["files"]]


@pytest.mark.parametrize(("text", "said"), [
    ("<html><body><table><tr><td>县区</td><td>乡镇</td><td>行政村</td></tr></table></body></html>", "网页（HTML）文件"),
    ('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>',
     "Excel 2003 XML 表格"),
])
def test_a_web_systems_export_to_excel_is_named(text, said, tmp_path):
    """What many systems' 导出Excel writes — a web page or an Excel 2003 XML file named .xls — is named as
    such and told to be saved as .xlsx (it was searched for a header and told to use --sheet)."""
    path = tmp_path / "导出.xls"
    path.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2 and said in done.stderr and "另存为 .xlsx" in done.stderr and "--sheet" not in done.stderr


def test_a_gzip_archive_is_told_to_be_unpacked(tmp_path):
    import gzip

    path = tmp_path / "台账.csv.gz"
    path.write_bytes(gzip.compress(f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n".encode()))
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2 and "gzip 压缩包" in done.stderr and "解压" in done.stderr


@pytest.mark.parametrize(("encoding", "name"), [("gbk", "GBK"), ("utf-8", "UTF-8")])
def test_one_stray_byte_is_told_by_its_line(encoding, name, tmp_path):
    """A GBK (or UTF-8) register with one stray byte (0xFF) on its line 3: told so, by that line — not
    guessed to be Big5, nor two encodings pasted together; under --encoding gbk, another encoding than gbk
    is suggested."""
    rows = [HEADER, "祥符区,城关镇,丁村,410212100203,900,2,否,,否,,", "祥符区,城关镇,甲村,410212100204,900,2,否,,是,,",
            "祥符区,城关镇,乙村,410212100205,900,2,否,,是,,"]
    data = [r.encode(encoding) for r in rows]
    data[2] = data[2].replace(b",900,", b",9\xff00,")
    path = tmp_path / "台账.csv"
    path.write_bytes(b"\n".join(data) + b"\n")
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2 and f"是 {name} 编码，但第 3 行有无法识别的字节" in done.stderr
    if encoding == "gbk":
        named = CliRunner().invoke(app, ["check", str(path), "--encoding", "gbk"])
        assert named.exit_code == 2 and "第 3 行" in named.stderr and "--encoding gb18030" in named.stderr


def test_an_ods_with_a_password_is_told_the_libreoffice_way():
    """calamine's pass_protected.ods: told to remove the password in LibreOffice or WPS, not in Excel
    (which cannot open it)."""
    done = CliRunner().invoke(app, ["check", str(FIXTURES / "calamine" / "pass_protected.ods")])
    assert done.exit_code == 2 and "密码" in done.stderr and "LibreOffice" in done.stderr and "Excel" not in done.stderr


def test_a_county_merged_down_its_rows_counts_for_each_row(tmp_path):
    """县区 merged over rows 2-4 (as registers are often laid out), a title merged across the columns above
    the header: the three villages are 祥符区's (no "「县区」为空"), told once as merged-filled; the title is
    not read down."""
    import json

    import xlsxwriter

    path = tmp_path / "合并.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("台账")
    head = HEADER.split(",")
    ws.merge_range(0, 0, 0, len(head) - 1, "祥符区行政村台账")
    ws.write_row(1, 0, head)
    ws.merge_range(2, 0, 4, 0, "祥符区")
    for i, (village, code) in enumerate([("丁村", "410212100203"), ("甲村", "410212100204"), ("乙村", "410212100205")]):
        ws.write_row(2 + i, 1, ["城关镇", village, code, 900, 2, "否", "", "是", "", ""])
    wb.close()
    done = CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--format", "json"])
    result = json.loads(done.stdout)
    assert done.exit_code == 0 and result["files"][0]["valid"] == 3
    merged = [f for f in result["findings"] if f["code"] == "merged-filled"]
    assert [(f["row"], f["column"], f["value"]) for f in merged] == [(3, "县区", "祥符区")]
    assert not [f for f in result["findings"] if f["code"] == "missing-value"]
    report = json.loads(CliRunner().invoke(app, ["report", "--villages", str(path), "--divisions", "none",
                                                 "--as-of", "2021-12-31", "--format", "json"]).stdout)
    assert [(c["county"], c["villages"]) for c in report["counties"] if c["villages"]] == [("祥符区", 3)]


def test_a_row_numbering_the_columns_under_the_header_is_part_of_it(tmp_path):
    """Statistical forms print 栏次 1, 2, 3 … under their header: that row is no village (it made 7 errors);
    the header is told as rows 1-2 and the village on row 3 keeps its row number."""
    import json

    numbers = ",".join(str(i) for i in range(1, 12))
    path = tmp_path / "栏次.csv"
    path.write_text(f"{HEADER}\n{numbers}\n祥符区,城关镇,丁村,410212100203,abc,2,否,,否,,\n", encoding="utf-8")
    result = json.loads(CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--format", "json"]).stdout)
    assert result["files"][0]["header_rows"] == [1, 2] and result["files"][0]["rows"] == 1
    assert [(f["code"], f["row"]) for f in result["findings"] if f["severity"] == "error"] == [("bad-number", 3)]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32"])
def test_a_register_in_utf16_without_a_bom_or_utf32_is_read(encoding, tmp_path):
    """Chinese text in UTF-16 has few 0 bytes (县 is 0x53BF) and no BOM may mark it; UTF-32 has its own BOM
    (Python's utf-32 writes it). Both were 'not a text table'."""
    path = tmp_path / "台账.csv"
    path.write_bytes(f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n".encode(encoding))
    done = CliRunner().invoke(app, ["check", str(path), "--divisions", "none"])
    assert done.exit_code == 0 and "1 行有效" in done.stdout, done.output


def test_a_gbk_register_with_a_utf8_line_is_told_by_that_line(tmp_path):
    """A GBK register of 30 villages with one line pasted in UTF-8 (line 25): told as GBK with line 25 to mend
    (it was guessed to be Big5)."""
    lines = [HEADER.encode("gbk")] + [f"祥符区,城关镇,村{i},,900,2,否,,否,,".encode("gbk") for i in range(30)]
    lines[24] = "祥符区,城关镇,丁村,,900,2,否,,否,,".encode()
    path = tmp_path / "台账.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2 and "是 GBK 编码，但第 25 行" in done.stderr


def test_a_flat_ods_is_named(tmp_path):
    path = tmp_path / "台账.fods"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office='
                    '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"></office:document>', encoding="utf-8")
    done = CliRunner().invoke(app, ["check", str(path)])
    assert done.exit_code == 2 and "Flat ODS" in done.stderr and "另存为 .ods" in done.stderr


def test_a_blank_row_inside_a_merged_block_stays_blank(tmp_path):
    """县区 and 乡镇 merged over rows 3-6 (under the header on row 2), villages on rows 3, 4 and 6: row 5 is a
    blank row (skipped), not a village without a name."""
    import json

    import xlsxwriter

    path = tmp_path / "留空.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("台账")
    ws.write_row(1, 0, HEADER.split(","))
    ws.merge_range(2, 0, 5, 0, "祥符区")
    ws.merge_range(2, 1, 5, 1, "城关镇")
    ws.write_row(2, 2, ["丁村", "410212100203", 900, 2, "否", "", "是", "", ""])
    ws.write_row(3, 2, ["甲村", "410212100204", 900, 2, "否", "", "是", "", ""])
    ws.write_row(5, 2, ["乙村", "410212100205", 900, 2, "否", "", "是", "", ""])
    wb.close()
    result = json.loads(CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--format", "json"]).stdout)
    assert (result["files"][0]["valid"], result["files"][0]["invalid"]) == (3, 0)
    assert result["files"][0]["skipped_detail"].get("blank") == 1 and result["errors"] == 0


@pytest.mark.parametrize("numbering", ["甲,乙,丙,1,2,3,4,5,6,7,8", "栏次,甲,乙,丙,1,2,3,4,5,6,7"])
def test_a_numbering_row_with_jia_yi_bing_is_part_of_the_header(numbering, tmp_path):
    """Statistical forms number their text columns 甲, 乙, 丙 and the others 1, 2, 3 …"""
    import json

    path = tmp_path / "栏次.csv"
    path.write_text(f"{HEADER}\n{numbering}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n", encoding="utf-8")
    result = json.loads(CliRunner().invoke(app, ["check", str(path), "--divisions", "none", "--format", "json"]).stdout)
    assert result["files"][0]["header_rows"] == [1, 2] and result["errors"] == 0


def test_an_xlsb_named_xlsx_and_an_encrypted_ods_named_xlsx_are_what_they_are(tmp_path):
    """calamine's any_sheets.xlsb as .xlsx: no register in it (not 'damaged'); its pass_protected.ods as
    .xlsx: the LibreOffice password advice."""
    xlsb, ods = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    xlsb.write_bytes((FIXTURES / "calamine" / "any_sheets.xlsb").read_bytes())
    ods.write_bytes((FIXTURES / "calamine" / "pass_protected.ods").read_bytes())
    said = CliRunner().invoke(app, ["check", str(xlsb)])
    assert said.exit_code == 2 and "找不到行政村台账的表头" in said.stderr and "损坏" not in said.stderr
    said = CliRunner().invoke(app, ["check", str(ods)])
    assert said.exit_code == 2 and "密码" in said.stderr and "LibreOffice" in said.stderr


@pytest.mark.parametrize("start", ['<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
                                   "<!-- 导出 -->\n<html>", "<style>td{}</style>\n<table>", "<body>\n<table>",
                                   "MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n"])
def test_more_forms_of_web_exports_are_named(start, tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text(start + "<tr><td>县区</td><td>乡镇</td><td>行政村</td></tr></table></body></html>\n", encoding="utf-8")
    said = CliRunner().invoke(app, ["check", str(path)])
    assert said.exit_code == 2 and ("网页（HTML）文件" in said.stderr or "网页存档（MHT）" in said.stderr)


def test_under_encoding_gb18030_another_is_suggested(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(f"{HEADER}\n".encode("gbk") + "祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n".encode() + b"\xff\xfe\n")
    said = CliRunner().invoke(app, ["check", str(path), "--encoding", "gb18030"])
    assert said.exit_code == 2 and "--encoding gb18030）" not in said.stderr and "--encoding utf-8" in said.stderr
