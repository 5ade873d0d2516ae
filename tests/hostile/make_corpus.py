#!/usr/bin/env python3
"""Write the hostile-input corpus (tests/hostile/). Small files are committed; the large ones (a zip
bomb, a 100 000-column row, a 10 MB cell) are made by the same functions at test time.

    .venv/bin/python tests/hostile/make_corpus.py
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "县区,乡镇,行政村,区划代码,人口数(人),距乡镇驻地距离(公里),是否驻村设点,设点时间,是否通达,通达时间,合作模式"
GOOD = "祥符区,城关镇,袁楼村,410212100200,1571,7.9,是,2021-10-04,是,2021-08-21,邮快合作"


def _xlsx(rows: list[list], hidden: bool = False, formulas: bool = False) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("台账")
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    if formulas:  # formulas whose cached results are error values
        ws.write_formula(1, 4, "=1/0", None, "#DIV/0!")
        ws.write_formula(1, 5, "=#REF!+1", None, "#REF!")
    wb.close()
    if not hidden:
        return buf.getvalue()
    # xlsxwriter always keeps one sheet visible: hide it in workbook.xml afterwards, as Excel can
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'<sheet name=', b'<sheet state="hidden" name=')
            zf.writestr(item, data)
    return out.getvalue()


def zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """An xlsx whose worksheet unpacks to `megabytes` MiB of one character (ratio > 1000)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(b"0" * (1 << 20))
    return path


def wide_row(path: Path, cells: int = 100_000) -> Path:
    path.write_text(HEADER + "\n" + ",".join(["1"] * cells) + "\n", encoding="utf-8")
    return path


def big_cell(path: Path, megabytes: int = 10) -> Path:
    path.write_text(HEADER + "\n" + "祥符区,城关镇," + "村" * (megabytes * (1 << 20) // 3) + ",,,,,,,,\n", encoding="utf-8")
    return path


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""


def billion_laughs() -> bytes:
    """A real workbook whose shared strings expand an entity a billion times, if a parser let them."""
    plain = _xlsx([HEADER.split(","), GOOD.split(",")])
    src = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = BILLION_LAUGHS.encode("utf-8")
            zf.writestr(item, data)
    return out.getvalue()


def main() -> None:
    rng = random.Random(7)
    files = {
        "empty.csv": b"",
        "header_only.csv": (HEADER + "\n").encode("utf-8"),
        "zero_rows.xlsx": _xlsx([HEADER.split(",")]),
        "junk.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "junk.xlsx": bytes(rng.randrange(256) for _ in range(4096)),
        "truncated.xlsx": _xlsx([HEADER.split(","), GOOD.split(",")])[:1500],
        "billion_laughs.xlsx": billion_laughs(),
        "mixed_encodings.csv": (HEADER + "\n" + GOOD + "\n").encode("utf-8")
        + "祥符区,陈留镇,西街村,410212101200,3067,7.5,是,2021-05-31,是,2021-05-31,快商合作\n".encode("gbk"),
        "nul_bytes.csv": (HEADER + "\n" + GOOD + "\n").encode("utf-8") + b"\x00\x00bad\x00\n",
        "cr_only.csv": (HEADER + "\r" + GOOD + "\r" + GOOD.replace("1571", "很多").replace("袁楼村", "黄龙村")
                        .replace("410212100200", "410212100201") + "\r").encode("utf-8"),
        "formulas_errors.xlsx": _xlsx([HEADER.split(","), GOOD.split(",")], formulas=True),
        "dates_1899_2099.csv": (HEADER + "\n" + GOOD.replace("2021-10-04", "1899-12-31").replace("2021-08-21", "2099-01-01")
                                + "\n").encode("utf-8"),
        "negative_nan.csv": (HEADER + "\n" + GOOD.replace("1571", "-5").replace("7.9", "NaN") + "\n").encode("utf-8"),
        "all_hidden.xlsx": _xlsx([HEADER.split(","), GOOD.split(",")], hidden=True),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"{len(files)} files written to {HERE}")


if __name__ == "__main__":
    main()
