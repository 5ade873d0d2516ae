import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, HEADER, run, write

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.read import Limits, load

CANONICAL = ["county", "township", "village", "code", "population", "distance_km", "in_village",
             "in_village_since", "reached", "reached_since", "mode"]


def canonical(register) -> pd.DataFrame:
    return register.frame[CANONICAL].sort_values("code").reset_index(drop=True)


@pytest.mark.parametrize(("name", "fmt", "sheet", "header_rows", "first_row"), [
    ("villages_gbk_title_total.csv", "csv", None, [3], 4),
    ("villages_two_row_header.xlsx", "xlsx", "台账", [3, 4], 5),
    ("villages.xls", "xls", "Sheet1", [1], 2),
    ("villages_utf16.txt", "csv", None, [1], 2),
    ("villages.ods", "ods", "Sheet1", [1], 2),
])
def test_every_variant_gives_the_clean_villages(rules, name, fmt, sheet, header_rows, first_row):
    clean = run(FIXTURES / "villages_clean.csv", rules)
    variant = run(FIXTURES / name, rules)
    table = variant.files[0].table
    assert (table.format, table.sheet, table.header_rows, table.row_numbers[0]) == (fmt, sheet, header_rows, first_row)
    assert variant.errors == 0
    assert len(variant.frame) == 10
    pd.testing.assert_frame_equal(canonical(variant), canonical(clean), check_dtype=False)


def test_clean_fixture_values(rules):
    frame = run(FIXTURES / "villages_clean.csv", rules).frame.set_index("village")
    assert frame.at["大寺村", "population"] == 2500
    assert frame.at["仓王村", "distance_km"] == 5.0
    distance = frame.at["马庄村", "distance_km"]
    assert isinstance(distance, float) and math.isnan(distance)  # empty → NaN
    assert frame.at["袁楼村", "in_village_since"] == pd.Timestamp("2021-10-04")
    assert frame.at["毛儿岗村", "mode"] == "驻村设点"


def test_gbk_variant_details(rules):
    reg = run(FIXTURES / "villages_gbk_title_total.csv", rules)
    table, counts = reg.files[0].table, reg.files[0].counts
    assert table.encoding == "gbk"
    assert (counts.rows, counts.valid, counts.invalid, counts.blank, counts.total) == (12, 10, 0, 1, 1)
    # rows 4..15: 4 villages, a blank row (8), 6 villages, 合计 on row 15
    assert table.row_numbers == list(range(4, 16))


def test_two_row_header_labels(rules):
    table = load(FIXTURES / "villages_two_row_header.xlsx", Kind.VILLAGES)
    labels = {c.field: c.label for c in table.columns if c.field}
    assert labels["population"] == "基本情况/人口数(人)"
    assert labels["in_village_since"] == "驻村设点情况/设点时间"
    assert labels["county"] == "县区"


def test_sheet_option_by_name_and_number(rules):
    by_name = load(FIXTURES / "villages_two_row_header.xlsx", Kind.VILLAGES, sheet="台账")
    by_number = load(FIXTURES / "villages_two_row_header.xlsx", Kind.VILLAGES, sheet="2")
    assert by_name.sheet == by_number.sheet == "台账"
    with pytest.raises(InputError, match="填表说明"):
        load(FIXTURES / "villages_two_row_header.xlsx", Kind.VILLAGES, sheet="1")
    with pytest.raises(InputError, match="没有工作表「汇总」"):
        load(FIXTURES / "villages_two_row_header.xlsx", Kind.VILLAGES, sheet="汇总")


def test_tab_and_semicolon_delimiters(tmp_path, rules):
    row = "祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作"
    for sep in ("\t", ";"):
        path = write(tmp_path, f"{HEADER}\n{row}\n".replace(",", sep), name=f"r{ord(sep)}.csv")
        table = load(path, Kind.VILLAGES)
        assert table.delimiter == sep
        assert table.cells.iat[0, 2] == "袁楼村"


def test_encoding_option_overrides_detection(tmp_path, rules):
    path = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,,,,,,,,\n", encoding="gbk")
    assert load(path, Kind.VILLAGES, encoding="gbk").encoding == "gbk"
    with pytest.raises(InputError, match="utf-8"):
        load(path, Kind.VILLAGES, encoding="utf-8")
    with pytest.raises(InputError, match="不认识的编码"):
        load(path, Kind.VILLAGES, encoding="klingon")


def test_cr_only_line_ends_and_a_wide_row(tmp_path, rules):
    text = f"{HEADER}\r祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作,额外,更多\r"
    reg = run(write(tmp_path, text), rules)
    assert reg.files[0].counts.valid == 1
    assert reg.frame.at[0, "village"] == "袁楼村"


def test_a_workbook_saved_as_csv_is_read_as_a_workbook(tmp_path, rules):
    path = tmp_path / "actually_xlsx.csv"
    path.write_bytes((FIXTURES / "villages_two_row_header.xlsx").read_bytes())
    assert load(path, Kind.VILLAGES).format == "xlsx"


def test_outlet_register_is_not_a_village_register(rules):
    with pytest.raises(InputError, match="--outlets"):
        load(FIXTURES / "outlets_clean.csv", Kind.VILLAGES)
    assert load(FIXTURES / "outlets_clean.csv", Kind.OUTLETS).kind is Kind.OUTLETS


# --- files that cannot be read: one clear InputError each, and quickly ------------------------


def _xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_bomb(path: Path) -> Path:
    """A tiny xlsx whose worksheet unpacks to 150 MiB of zeros (ratio > 1000)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"0" * (1 << 20)
            for _ in range(150):
                fh.write(chunk)
    return path


HOSTILE = {
    "missing": (lambda d: d / "nope.csv", "找不到文件"),
    "directory": (lambda d: d, "文件夹"),
    "empty": (lambda d: write(d, "", "empty.csv"), "空文件"),
    "binary junk named .csv": (lambda d: _bytes(d, "junk.csv", bytes(range(256)) * 64), "不是文本表格"),
    "encrypted xlsx": (lambda d: FIXTURES / "encrypted.xlsx", "密码"),
    "truncated xlsx": (lambda d: _bytes(d, "cut.xlsx", _xlsx_bytes([["县区", "乡镇", "行政村"]])[:700]), "损坏"),
    "zip that is not a workbook": (lambda d: _zip(d), "压缩包"),
    "workbook with no register": (lambda d: _bytes(d, "notes.xlsx", _xlsx_bytes([["会议纪要"], ["无台账"]])), "找不到行政村台账"),
    "csv with no register": (lambda d: write(d, "姓名,电话\n张三,123\n", "phone.csv"), "找不到行政村台账"),
    "zip bomb": (lambda d: _zip_bomb(d / "bomb.xlsx"), "解压后"),
}


def _bytes(d: Path, name: str, data: bytes) -> Path:
    (d / name).write_bytes(data)
    return d / name


def _zip(d: Path) -> Path:
    with zipfile.ZipFile(d / "photos.xlsx", "w") as zf:
        zf.writestr("a.txt", "hello")
    return d / "photos.xlsx"


@pytest.mark.parametrize("case", list(HOSTILE))
def test_unreadable_files_raise_one_clear_error(tmp_path, case):
    make, words = HOSTILE[case]
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        load(path, Kind.VILLAGES, limits=Limits(max_zip_ratio=300))
    assert words in info.value.zh
    assert "\n" not in info.value.zh and info.value.en


def test_file_size_limit(tmp_path):
    path = write(tmp_path, f"{HEADER}\n" + "祥符区,城关镇,袁楼村,,,,,,,,\n" * 100)
    with pytest.raises(InputError, match="超过上限"):
        load(path, Kind.VILLAGES, limits=Limits(max_file_bytes=1000))


def test_one_workbook_with_both_registers(tmp_path, rules):
    """`check book.xlsx --outlets book.xlsx`: each kind finds its own sheet by its header."""
    from openpyxl import Workbook

    wb = Workbook()
    outlets = wb.active
    outlets.title = "服务点"
    for row in (FIXTURES / "outlets_clean.csv").read_text(encoding="utf-8").splitlines():
        outlets.append(row.split(","))
    villages = wb.create_sheet("行政村")
    for row in (FIXTURES / "villages_clean.csv").read_text(encoding="utf-8").splitlines():
        villages.append(row.split(","))
    path = tmp_path / "book.xlsx"
    wb.save(path)
    assert load(path, Kind.VILLAGES).sheet == "行政村"
    assert load(path, Kind.OUTLETS).sheet == "服务点"
    with pytest.raises(InputError, match="--outlets"):
        load(path, Kind.VILLAGES, sheet="服务点")


def test_hidden_sheets_are_tried_last(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    old = wb.active
    old.title = "旧表"
    old.append(HEADER.split(","))
    old.append(["祥符区", "城关镇", "旧村"])
    old.sheet_state = "hidden"
    new = wb.create_sheet("新表")
    new.append(HEADER.split(","))
    new.append(["祥符区", "城关镇", "袁楼村"])
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    assert load(path, Kind.VILLAGES).sheet == "新表"


def test_a_register_away_from_the_corner_read_in_small_parts(tmp_path, rules, monkeypatch):
    """A workbook register that starts at C5 (title and blank rows above, blank columns left), read
    three rows at a time: the same villages as the CSV, each with its own row number."""
    from openpyxl import Workbook

    monkeypatch.setattr("kuaidi_cli.read.STREAM_ROWS", 3)
    wb = Workbook()
    ws = wb.active
    ws["C2"] = "2021年行政村台账"
    lines = (FIXTURES / "villages_clean.csv").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        for j, cell in enumerate(line.split(",")):
            ws.cell(row=5 + i, column=3 + j, value=cell)
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    register = run(path, rules)
    table = register.files[0].table
    assert (table.header_rows, table.row_numbers) == ([5], list(range(6, 6 + len(lines) - 1)))
    assert register.errors == 0 and len(register.frame) == 10
    pd.testing.assert_frame_equal(canonical(register), canonical(run(FIXTURES / "villages_clean.csv", rules)),
                                  check_dtype=False)
    assert register.frame.set_index("village").at["大寺村", "_row"] == 6 + next(
        n for n, line in enumerate(lines[1:]) if "大寺村" in line)


@pytest.mark.parametrize("register_first", [True, False])
def test_error_cells_are_taken_from_the_sheet_chosen(tmp_path, monkeypatch, register_first):
    # the first visible sheet is scanned for error cells while calamine parses; when the register is on
    # another sheet, that sheet is scanned instead and its error cells patched in
    import openpyxl

    from kuaidi_cli.read import workbook as loading

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["开封市快递进村台账"])
    register = book.create_sheet("台账", 0 if register_first else 1)
    register.append(HEADER.split(","))
    register.append(["祥符区", "城关镇", "袁楼村", "410212100200", None, "", "", "", "", "", ""])
    path = tmp_path / "book.xlsx"
    book.save(path)
    calls = []

    def scan(p, sheet):
        calls.append(sheet)
        return {(1, 4): "#REF!"} if sheet == "台账" else {}

    monkeypatch.setattr(loading, "xlsx_error_cells", scan)
    table = load(path, Kind.VILLAGES)
    assert table.sheet == "台账"
    # the register's sheet is scanned (the wrong guess's scan runs in a thread nobody waits for: when it
    # records its call is not known, so it is not asserted)
    assert (calls == ["台账"]) if register_first else ("台账" in calls)
    assert calls.count("台账") == 1
    assert table.cells.iat[0, 4] == "#REF!"


def per_distinct(n: int, first: int = 200) -> str:
    return "".join(f"祥符区,城关镇,村{i},410212100{i:03d},{1000 + i},1.5,是,2021-10-04,是,2021-08-21,邮快合作\r\n"
                   for i in range(first, first + n))


def test_a_large_utf8_file_is_decoded_only_at_its_start(tmp_path, rules, monkeypatch):
    """Past its first HEAD_BYTES a UTF-8 file goes to pyarrow undecoded (it checks the cells are UTF-8);
    Windows line ends (CRLF) stay out of the cells."""
    from kuaidi_cli.read import csvfile as loading

    monkeypatch.setattr(loading, "HEAD_BYTES", 16384)
    decoded = []
    real = loading.decode
    def spy(*a):
        decoded.append(a[1])
        return real(*a)

    monkeypatch.setattr(loading, "decode", spy)
    path = write(tmp_path, f"{HEADER}\r\n" + per_distinct(400))  # 400 rows of ~90 bytes: twice 16384
    assert path.stat().st_size > 2 * 16384
    reg = run(path, rules)
    assert decoded == []
    assert reg.files[0].counts.valid == 400
    assert reg.frame.at[399, "village"] == "村599" and reg.frame.at[399, "mode"] == "邮快合作"
    assert reg.files[0].table.row_numbers[-1] == 401
    # with a BOM too
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load(bom, Kind.VILLAGES).encoding == "utf-8-sig" and decoded == []


def test_a_large_file_utf8_at_its_start_and_gbk_later_is_one_clear_error(tmp_path, rules, monkeypatch):
    from kuaidi_cli.read import csvfile as loading

    monkeypatch.setattr(loading, "HEAD_BYTES", 16384)
    path = tmp_path / "pasted.csv"
    # lines 1-301 UTF-8 (past the 16384 bytes decoded at the start), line 302 on in GBK
    path.write_bytes((f"{HEADER}\r\n" + per_distinct(300)).encode("utf-8") + per_distinct(3, first=900).encode("gbk"))
    assert path.stat().st_size > 16384
    with pytest.raises(InputError, match="第 302 行起却是另一种编码"):
        load(path, Kind.VILLAGES)


def test_the_header_is_sought_in_the_first_32_lines():
    from kuaidi_cli.read import HEADER_SEARCH_ROWS
    from kuaidi_cli.read.csvfile import preview

    assert HEADER_SEARCH_ROWS + 2 == 32
    lines = [f"L{i}" for i in range(1, 41)]
    assert preview("\n".join(lines) + "\n") == "\n".join(lines[:32])
    assert preview("L1\nL2\nL3") == "L1\nL2\nL3"
    assert preview("\n" * 32) == "\n" * 31  # 32 empty lines, the line end after the last left out
    assert preview("") == ""
