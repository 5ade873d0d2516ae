"""What a file is, told by its bytes rather than its name: CSV text, a workbook (xlsx, xls, ods),
or something kuaidi refuses (encrypted, a zip that is no workbook, a zip bomb, binary junk)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kuaidi_cli.core.errors import InputError, os_reason
from kuaidi_cli.read.table import Limits

_ZIP = b"PK\x03\x04"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(path: Path) -> bool:
    """Whether a file is a workbook (a zip: xlsx or ods; an OLE file: xls) by its first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(_ZIP) or head.startswith(_OLE)


def sniff(path: Path, limits: Limits) -> str:
    """Tell the format from the bytes: xlsx, ods, xls or csv. Raises InputError when unusable."""
    if not path.exists():
        raise InputError(f"找不到文件 {path}，请检查路径", f"file not found: {path}; check the path")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请给出台账文件",
                         f"{path} is a directory; give a register file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)  # (the first bytes tell a format; the first lines a web page)
    except OSError as e:
        zh, en = os_reason(e)
        raise InputError(f"无法读取 {path}：{zh}", f"cannot read {path}: {en}") from e
    if size == 0:
        raise InputError(f"{path} 是空文件，请导出含表头和数据的台账",
                         f"{path} is empty; export the register with its header and rows")
    if size > limits.max_file_bytes:
        raise InputError(
            f"{path} 有 {size / 2**20:.0f} MiB，超过上限 {limits.max_file_bytes / 2**20:.0f} MiB，"
            "请拆分后再查",
            f"{path} is {size / 2**20:.0f} MiB, over the {limits.max_file_bytes / 2**20:.0f} MiB limit; "
            "split it",
        )
    if head.startswith(_ZIP):
        return _zip_kind(path, size, limits)
    if head.startswith(b"%PDF"):
        raise InputError(f"{path} 是 PDF 文件，不是表格：请用台账的 Excel 或 CSV 原件",
                         f"{path} is a PDF, not a table: use the register's Excel or CSV file")
    if head.startswith(_OLE):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise encrypted(path)
        return "xls"
    if (old := _old_excel(head)) is not None:
        raise InputError(
            f"{path} 是 {old} 的文件，格式太旧，kuaidi 读不了：请用 Excel 或 WPS 打开，另存为 .xlsx 后再查",
            f"{path} is an {old} file, a format too old to read: open it in Excel or WPS and save it "
            "as .xlsx",
        )
    if (packed := _compressed(head)) is not None:
        raise InputError(f"{path} 是 {packed} 压缩包，不是表格：请先解压，再给出其中的台账",
                         f"{path} is a {packed} archive, not a table: unpack it and name the register inside")
    _not_a_web_page(path, head)
    return "csv"


# archives other than zip, by their first bytes
_PACKED = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf\x27\x1c": "7z",
           b"Rar!": "RAR"}


def _compressed(head: bytes) -> str | None:
    return next((name for magic, name in _PACKED.items() if head.startswith(magic)), None)


def _not_a_web_page(path: Path, head: bytes) -> None:
    """A web page or an Excel 2003 XML file saved as .xls (what many systems' 导出Excel writes) is named as
    such, with what to do, rather than searched for a header as a text table (`head`: the file's first
    bytes)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        what, what_en = "Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"
    elif start.startswith(b"<?xml") and b"urn:oasis:names:tc:opendocument" in start:
        raise InputError(
            f"{path} 是 LibreOffice 的 Flat ODS（.fods）表格，kuaidi 读不了：请在 LibreOffice 中另存为 "
            ".ods 或 "
                         ".xlsx 后再查",
                         f"{path} is a LibreOffice Flat ODS (.fods) spreadsheet, which kuaidi cannot read: "
                         "save it as "
                         ".ods or .xlsx in LibreOffice")
    elif start.startswith(b"mime-version:") or b"content-type: multipart/related" in start[:1024]:
        what, what_en = "网页存档（MHT）文件", "a web archive (MHT)"
    elif start.startswith(b"<") and re.search(rb"<(html|table|body)[\s>]", start):
        what, what_en = "网页（HTML）文件", "a web page (HTML)"
    else:
        return
    raise InputError(
        f"{path} 是{' ' * what[0].isascii()}{what}，不是真正的 Excel 或 CSV 表格（常见于系统的“导出Excel”）："
                     "请用 Excel 或 WPS 打开，另存为 .xlsx 后再查",
                     f"{path} is {what_en}, not a real Excel or CSV table (as many systems' 'export to "
                     "Excel' write "
                     "it): open it in Excel or WPS and save it as .xlsx")


# The BOF record that starts an Excel 2.x-4.0 file (BIFF2-4: a plain record stream, not yet the OLE container
# of
# Excel 5.0 and later, which calamine reads): its id, by version
_OLD_EXCEL = {0x0009: "Excel 2.x", 0x0209: "Excel 3.0", 0x0409: "Excel 4.0"}


def _old_excel(head: bytes) -> str | None:
    """The Excel version of an Excel 2.x-4.0 file, by its first record (BOF: id, length 4 to 16, then the
    version and the kind of sheet: worksheet, chart, macro sheet or workbook); None for anything else."""
    if len(head) < 8:
        return None
    rid, size = int.from_bytes(head[0:2], "little"), int.from_bytes(head[2:4], "little")
    kind = int.from_bytes(head[6:8], "little")
    if rid in _OLD_EXCEL and 4 <= size <= 16 and kind in (0x0010, 0x0020, 0x0040, 0x0100):
        return _OLD_EXCEL[rid]
    return None


def encrypted(path: Path, *, ods: bool = False) -> InputError:
    """A workbook with a password to open it; an ODS is told the LibreOffice way (Excel cannot open it)."""
    if ods or path.suffix.lower() == ".ods":
        return InputError(
            f"{path} 设有打开密码，请在 LibreOffice 或 WPS 中打开，取消密码（文件→另存为，不勾选“使用密码保"
            "存”）后再查",
            f"{path} is password-protected; open it in LibreOffice or WPS and save it again without a "
            "password",
        )
    return InputError(
        f"{path} 设有打开密码，请在 Excel 或 WPS 中取消密码（Excel：文件→信息→保护工作簿）后另存再查",
        f"{path} is password-protected; remove the password in Excel or WPS and save it again",
    )


def _zip_kind(path: Path, size: int, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            unzipped = sum(i.file_size for i in infos)
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
            # an ODS with a password says so in its manifest
            manifest = zf.read("META-INF/manifest.xml") if b"opendocument" in mimetype and \
                "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        # (UnicodeDecodeError is a ValueError: a member name that is not UTF-8, found by fuzzing)
        raise InputError(
            f"{path} 已损坏（不是完整的 Excel 文件），请重新导出或另存为 .xlsx",
            f"{path} is corrupt (not a complete workbook); export or save it again",
        ) from e
    ratio = unzipped / max(size, 1)
    if unzipped > limits.max_unzipped_bytes or (unzipped > 100 * 2**20 and ratio > limits.max_zip_ratio):
        raise InputError(
            f"{path} 解压后有 {unzipped / 2**20:.0f} MiB（压缩比 {ratio:.0f}），不像正常台账，已拒绝读取",
            f"{path} unpacks to {unzipped / 2**20:.0f} MiB (ratio {ratio:.0f}); refused as a possible "
            "zip bomb",
        )
    if b"opendocument.spreadsheet" in mimetype:
        if b"encryption-data" in manifest:
            raise encrypted(path, ods=True)
        return "ods"
    return _package_kind(path, {n.replace("\\", "/").lstrip("/") for n in names}, mimetype)


_DOCUMENTS = {"word/document.xml": ("Word 文档", "a Word document"),
              "ppt/presentation.xml": ("PowerPoint 演示文稿", "a PowerPoint presentation")}


def _package_kind(path: Path, names: set[str], mimetype: bytes) -> str:
    """An Office package's kind, its part names with / (some Chinese office software writes xl\\workbook.xml):
    a workbook wherever its workbook part is; a document of another kind named as such; a package
    without its workbook damaged; any other zip an archive to unpack."""
    if any(n.endswith("workbook.bin") for n in names):
        return "xlsb"
    if any(n.endswith("workbook.xml") for n in names):
        return "xlsx"
    for part, (zh, en) in _DOCUMENTS.items():
        if part in names:
            raise InputError(f"{path} 是{zh}，不是表格：请把台账另存为 .xlsx 或 .csv",
                             f"{path} is {en}, not a spreadsheet: save the register as .xlsx or .csv")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise InputError(f"{path} 是 OpenDocument 文档，不是表格：请把台账另存为 .ods、.xlsx 或 .csv",
                         f"{path} is an OpenDocument file that is no spreadsheet: save the register as .ods, "
                         ".xlsx or .csv")
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        raise InputError(f"{path} 已损坏（Excel 文件缺少工作簿部分），请重新导出或另存为 .xlsx",
                         f"{path} is damaged (the workbook part is missing); export or save it again "
                         "as .xlsx")
    raise InputError(
        f"{path} 是压缩包，不是 Excel 或 ODS 表格，请解压或另存为 .xlsx",
        f"{path} is a zip archive, not an Excel or ODS workbook; unpack it or save it as .xlsx",
    )
