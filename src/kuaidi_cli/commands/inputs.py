"""Where the registers of a report come from: the flags, else the environment (KUAIDI_VILLAGES,
KUAIDI_OUTLETS), else `kuaidi.toml` in the working directory. The bundled sample data only when asked
(`--samples`): a report of synthetic figures must never be made, or sent on, by mistake."""

from __future__ import annotations

import glob
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.read.frame import RegisterFrame
from kuaidi_cli.read.table import Limits

Source = Path | RegisterFrame  # a register file, or a pandas DataFrame given as one (the API's)


@dataclass(frozen=True)
class Skipped:
    """A file or subfolder of a folder given that kuaidi left out, and why."""

    path: Path
    why_zh: str
    why_en: str
    # a data finding (file-skipped); not so for kuaidi's own reports beside the registers
    finding: bool = True


def skipped_lines(skipped: list[Skipped], lang: str) -> list[str]:
    """The stderr line of each file left out of a folder, and why (report, export and check print them)."""
    from kuaidi_cli.write.labels import t

    return [t("skipped_file", lang, path=k.path, why=k.why_en if lang == "en" else k.why_zh) for k in skipped]


@dataclass(frozen=True)
class Registers:
    villages: Sequence[Source]  # the files (or DataFrames) that together make the village register
    outlets: Sequence[Source]  # and the outlet register (none: no outlet register)
    rules: Path | None
    source: str  # flags | env | kuaidi.toml | samples | api
    skipped: list[Skipped] = field(default_factory=list)  # of the folders given: files holding no register
    sheet: str | None = None  # --sheet: the one sheet of each village workbook
    encoding: str | None = None  # --encoding: of the CSV files

    @property
    def paths(self) -> list[Source]:
        """Every register file (and DataFrame)."""
        return [*self.villages, *self.outlets]

    @property
    def files(self) -> list[Path]:
        """Every register file (not the DataFrames)."""
        return [p for p in self.paths if isinstance(p, Path)]


REGISTER_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

# files a folder may hold that kuaidi cannot read, and what to do with each: (Chinese, English)
_ARCHIVE = ("压缩包：请解压后再查（把其中的台账放进文件夹）",
            "an archive: unpack it and give the registers inside")
_NOT_READ: dict[str, tuple[str, str]] = {
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".cab", ".arj"), _ARCHIVE),
    ".et": ("WPS 表格文件（.et）：请在 WPS 中“另存为” Excel 文件（.xlsx）再查",
            "a WPS spreadsheet (.et): in WPS, save it as an Excel workbook (.xlsx)"),
    ".ett": ("WPS 表格模板（.ett）：请填好后在 WPS 中另存为 .xlsx",
             "a WPS spreadsheet template: save it as .xlsx"),
    ".docx": ("Word 文档不是台账：请要报送单位的 Excel 或 CSV 原表，或把其中的表格复制到 Excel 另存为 .xlsx",
              "a Word document is no register: ask for the Excel or CSV table, or copy its table into a "
              "workbook"),
    ".doc": ("Word 文档不是台账：请要报送单位的 Excel 或 CSV 原表，或把其中的表格复制到 Excel 另存为 .xlsx",
             "a Word document is no register: ask for the Excel or CSV table, or copy its table into a "
             "workbook"),
    ".wps": ("WPS 文字文档不是台账：请要报送单位的 Excel 或 CSV 原表，或把其中的表格复制到表格中另存为 .xlsx",
             "a WPS text document is no register: ask for the table as .xlsx or .csv"),
    ".pdf": ("PDF 不是台账（无法可靠读出表格）：请要报送单位的 Excel 或 CSV 原表",
             "a PDF is no register (its table cannot be read reliably): ask for the Excel or CSV table"),
    ".numbers": ("Numbers 文件：请导出为 Excel（.xlsx）再查", "a Numbers file: export it as .xlsx"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic"),
                    ("图片不是台账：请要报送单位的 Excel 或 CSV 原表",
                     "a picture is no register: ask for the Excel or CSV table")),
}


def _not_a_register_type(path: Path) -> Skipped:
    """A file of a folder whose type kuaidi does not read, and what to do with it."""
    zh, en = _NOT_READ.get(path.suffix.lower(), (
        f"不是台账文件类型（可读：{' '.join(REGISTER_SUFFIXES)}）",
        f"not a register file type (kuaidi reads {' '.join(REGISTER_SUFFIXES)})"))
    return Skipped(path, zh, en)


def _listed_files(path: Path, skipped: list[Skipped]) -> list[Path]:
    """The files of a folder (not hidden files, not an open workbook's ~$ lock file), its subfolders told in
    `skipped`. Raises InputError for a folder holding no file."""
    entries = sorted(p for p in path.iterdir() if not p.name.startswith((".", "~$")))
    files = [p for p in entries if p.is_file()]
    if not files:
        raise InputError(f"文件夹 {path} 中没有文件", f"no file in the folder {path}")
    skipped += [Skipped(sub, "子文件夹不读取：其中的台账请另用 --villages 列出",
                        "a subfolder is not read: name its registers with --villages too")
                for sub in entries if sub.is_dir()]
    return files


def expand(given: list[Path], kind: Kind, *, limits: Limits | None = None,
           skipped: list[Skipped] | None = None, encoding: str | None = None) -> tuple[list[Path], list[
               Path]]:
    """Files as given (a file, a folder, or a shell-style pattern such as 台账/*.xlsx) split into (village
    files, outlet files). A file named is of the kind it was given for (`kind`), and read as it is (an
    unreadable one stops the run); a folder's files and a pattern's matches are treated alike: each is of the
    kinds its headers tell (`registers_in`), and one that holds no register (a 说明.txt, an archive, a Word
    document, a damaged workbook) or is no file (a subfolder) is left out and told in `skipped`, with why.
    Raises InputError for a folder or a pattern with nothing in it. kuaidi's own reports are always left
    out."""
    skipped = [] if skipped is None else skipped
    named: list[Path] = []
    found: list[Path] = []
    for path in given:
        text = str(path)
        if path.is_dir():
            found += _listed_files(path, skipped)
        elif not path.exists() and any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text) if not Path(m).name.startswith("~$"))
            if not matches:
                raise InputError(f"没有文件与「{text}」相符", f"no file matches '{text}'")
            found += [m for m in matches if m.is_file()]
            skipped += [Skipped(m, "文件夹不读取：其中的台账请另行列出",
                                "a folder is not read: name its registers too")
                        for m in matches if m.is_dir()]
        else:
            if _ours(path):
                raise InputError(f"{path} 是 kuaidi 生成的报表，不是台账：请给出县区报来的台账",
                                 f"{path} is a report kuaidi wrote, not a register: name the registers the "
                                 "counties sent")
            named.append(path)
    villages, outlets = ([], named) if kind is Kind.OUTLETS else (named, [])
    for path in found:
        if path.suffix.lower() not in REGISTER_SUFFIXES:
            skipped.append(_not_a_register_type(path))
            continue
        if _ours(path):  # last month's report beside the registers is not a register
            skipped.append(Skipped(path, "kuaidi 生成的报表，不是台账",
                                   "a report kuaidi wrote, not a register", False))
            continue
        try:
            kinds = registers_in(path, limits, encoding=encoding)
        except InputError as e:  # its own words, the file named once (at the start of the line)
            zh = "此文件" + e.zh.removeprefix(str(path)).lstrip() if e.zh.startswith(str(path)) else e.zh
            skipped.append(Skipped(path, zh, e.en.replace(str(path), "this file")))
            continue
        if Kind.VILLAGES in kinds:
            villages.append(path)
        if Kind.OUTLETS in kinds:
            outlets.append(path)
    return _unique(villages), _unique(outlets)


def _ours(path: Path) -> bool:
    """Whether a file is one of kuaidi's own outputs (a report's workbook or CSV), which holds a county table
    a header search would take for a register."""
    suffix = path.suffix.lower()
    if not path.is_file() or suffix not in (".xlsx", ".csv"):
        return False
    # kuaidi writes its CSVs with a BOM: a file without one (a GBK register) is none of them
    if suffix == ".csv":
        with path.open("rb") as fh:
            start = fh.read(1 << 16)
        if not start.startswith(b"\xef\xbb\xbf"):
            return False
    # (the writers load only for a file that may be ours)
    from kuaidi_cli.write.files import written_by_kuaidi
    from kuaidi_cli.write.json_csv import csv_headers

    heads = csv_headers()
    # a register's header is none of kuaidi's: its first line alone tells (not the whole file)
    if suffix == ".csv":
        from kuaidi_cli.write.marks import after_samples_line

        first = after_samples_line(start.decode("utf-8-sig", "replace").splitlines()[:2])[:1]
        if not first or first[0] not in heads:
            return False
    return written_by_kuaidi(path, heads)


def expand_both(villages: list[Path], outlets: list[Path], *, limits: Limits | None = None,
                skipped: list[Skipped] | None = None, encoding: str | None = None) -> tuple[list[Path], list[
                    Path]]:
    """The village and the outlet files of what was given for each (files, folders, patterns: `expand`);
    a folder given for one may hold registers of the other kind."""
    village_files, outlet_files = expand(villages, Kind.VILLAGES, limits=limits, skipped=skipped,
                                         encoding=encoding)
    more_villages, more_outlets = expand(outlets, Kind.OUTLETS, limits=limits, skipped=skipped,
                                         encoding=encoding)
    return _unique(village_files + more_villages), _unique(outlet_files + more_outlets)


def registers_in(
    path: Path, limits: Limits | None = None, *, encoding: str | None = None
) -> tuple[Kind, ...]:
    """The registers a file of a folder holds, told by its headers: a village register, an outlet
    register, or both — a workbook with sheets of each (as `kuaidi template --with-outlets` writes it).
    Raises the village register's InputError for a file that holds neither."""
    from kuaidi_cli.read import is_workbook, load_sheets

    failed: list[InputError] = []

    def sheets_of(kind: Kind) -> set[str | None]:
        try:
            return {t.sheet for t in load_sheets(path, kind, limits=limits, encoding=encoding)}
        except InputError as e:
            failed.append(e)
            return set()

    village_sheets = sheets_of(Kind.VILLAGES)
    if village_sheets and not is_workbook(path):  # a CSV holds one table
        return (Kind.VILLAGES,)
    outlet_sheets = sheets_of(Kind.OUTLETS)
    if not outlet_sheets and not village_sheets:
        raise failed[0]
    return ((Kind.VILLAGES,) if village_sheets else ()) + ((Kind.OUTLETS,) if outlet_sheets - village_sheets
                                                           else ())


def _unique(paths: list[Path]) -> list[Path]:
    """Each file once (by its resolved path), in the order first given."""
    seen: dict[Path, Path] = {}
    for p in paths:
        seen.setdefault(p.resolve(), p)
    return list(seen.values())


def for_check(files: list[Path], outlets: list[Path], *, limits: Limits | None = None, encoding: str
              | None = None
              ) -> tuple[list[Path], list[Path], list[Skipped]]:
    """What `check` checks of the files, folders and patterns given (`expand`, as report and export take
    them), and the files left out with why. Raises InputError when nothing is left to check."""
    skipped: list[Skipped] = []
    village_files, outlet_files = expand_both(files, outlets, limits=limits, skipped=skipped,
                                              encoding=encoding)
    if not village_files and not outlet_files:
        raise _nothing_left(skipped)
    return village_files, outlet_files, skipped


def _nothing_left(skipped: list[Skipped]) -> InputError:
    """No register in the folders given: each file left out, and why (the first five)."""
    zh = "；".join(f"{k.path.name}（{k.why_zh}）" for k in skipped[:5]) + ("……" if len(skipped) > 5 else "")
    en = "; ".join(f"{k.path.name} ({k.why_en})" for k in skipped[:5]) + ("; …" if len(skipped) > 5 else "")
    return InputError(f"给出的文件夹中没有可读的台账：{zh}",
                      f"no readable register in the folders given: {en}")


def samples_dir() -> Path:
    """data/samples of a source checkout, else the copy inside the installed package."""
    checkout = Path(__file__).resolve().parents[3] / "data" / "samples"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("kuaidi_cli") / "samples"))


def resolve(villages: list[Path], outlets: list[Path], rules: Path | None, *, samples: bool = False,
            env: Mapping[str, str] | None = None, cwd: Path | None = None, limits: Limits | None = None,
            sheet: str | None = None, encoding: str | None = None) -> Registers:
    """The registers to report on; raises InputError when none is given (and `samples` is not asked).

    Each of `villages` and `outlets` may be files, folders or patterns (`expand`); a folder's outlet
    registers join the outlet register, wherever the folder was given."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    if samples:
        if villages or outlets:
            raise InputError("--samples 使用内置示例台账，不能与 --villages/--outlets 同时使用",
                             "--samples runs on the bundled example registers; it cannot be combined with "
                             "--villages/--outlets")
        base = samples_dir()
        if base.is_relative_to(cwd.resolve()):
            base = base.relative_to(cwd.resolve())  # shown as data/samples/… when run from the checkout
        return Registers([base / "villages.csv"], [base / "outlets.csv"], rules, "samples", sheet=sheet,
                         encoding=encoding)
    source = "flags"
    if not villages and env.get("KUAIDI_VILLAGES"):
        villages = [Path(p) for p in env["KUAIDI_VILLAGES"].split(os.pathsep) if p]
        outlets = outlets or [Path(p) for p in env.get("KUAIDI_OUTLETS", "").split(os.pathsep) if p]
        source = "env"
    elif not villages and (cwd / "kuaidi.toml").is_file():
        villages, toml_outlets, toml_rules = _from_toml(cwd / "kuaidi.toml")
        outlets, rules, source = outlets or toml_outlets, rules or toml_rules, "kuaidi.toml"
    if not villages:
        raise InputError(
            "没有指定行政村台账：用 --villages 文件或文件夹（或环境变量 KUAIDI_VILLAGES、当前目录的 "
            "kuaidi.toml）"
            "指定；加 --samples 可用内置示例台账试运行",
            "no village register given: use --villages FILE or FOLDER (or KUAIDI_VILLAGES, or a kuaidi.toml "
            "here); --samples runs on the bundled example registers")
    skipped: list[Skipped] = []
    village_files, outlet_files = expand_both(villages, outlets, limits=limits, skipped=skipped,
                                              encoding=encoding)
    if not village_files:
        if skipped and not outlet_files:
            raise _nothing_left(skipped)
        raise InputError("给出的文件和文件夹中只有服务点台账，没有行政村台账",
                         "the files and folders given hold no village register")
    return Registers(village_files, outlet_files, rules, source, skipped, sheet=sheet, encoding=encoding)


def _from_toml(config: Path) -> tuple[list[Path], list[Path], Path | None]:
    """villages, outlets (a path, a folder, a pattern, or a list of them) and rules of a kuaidi.toml, paths
    relative to the file."""
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        # (the parser's words are English: the Chinese line gives the place it names, and the form to write)
        at = re.search(r"at line (\d+), column (\d+)", str(e))
        where = (
            f"第 {at[1]} 行第 {at[2]} 列附近"
            if at
            else "不是 UTF-8 文本"
            if isinstance(e, UnicodeDecodeError)
            else ""
        )
        raise InputError(
            f"{config} 不是有效的 TOML{f'（{where}）' if where else ''}：每行写成 villages = \"台账文件夹"
            "\" 这样的形式",
                         f"{config} is not valid TOML: {e}") from e
    if "villages" not in data:
        raise InputError(f"{config} 缺少 villages = \"行政村台账路径\"",
                         f"{config} has no villages = \"path\"")

    def paths(key: str) -> list[Path]:
        value = data.get(key, [])
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(x, str) for x in items):
            raise InputError(f"{config} 的 {key} 应为路径或路径列表",
                             f"{config}: {key} must be a path or a list of paths")
        return [config.parent / x for x in items]

    rules = paths("rules")
    return paths("villages"), paths("outlets"), rules[0] if rules else None


def sha256(path: Source) -> str:
    if isinstance(path, RegisterFrame):
        return path.sha256()
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
