"""What the API's functions take, made into what the commands take: registers given as paths, folders,
patterns or pandas DataFrames; the rules as a path or loaded; an as-of date as a date or as the command
line writes it; the official division list."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from kuaidi_cli.commands.inputs import Registers, Skipped, Source, expand
from kuaidi_cli.core import gazetteer
from kuaidi_cli.core import rules as rules_file
from kuaidi_cli.core.errors import InputError
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.read import Limits, RegisterFrame

PathLike: TypeAlias = str | os.PathLike[str]
Input: TypeAlias = PathLike | pd.DataFrame
# one file, folder, pattern or DataFrame, or a list of them (or the registers the command line resolved)
Inputs: TypeAlias = Input | Sequence[Input] | Registers
RulesLike: TypeAlias = PathLike | Rules | None
DateLike: TypeAlias = dt.date | str | np.datetime64  # (a datetime and a pandas.Timestamp are dates)


def _items(given: Inputs) -> list[Input]:
    """The files, folders, patterns and DataFrames given; InputError for what is none of them (None, a
    Series or a dict, whose items would read as paths)."""
    if isinstance(given, str | os.PathLike | pd.DataFrame):
        return [given]
    assert not isinstance(given, Registers)
    anything: object = given  # (what a caller without type checks may pass)
    if isinstance(anything, pd.Series | Mapping):
        kind = "Series" if isinstance(anything, pd.Series) else type(anything).__name__
        raise InputError(f"不是台账：{kind}。请给出 DataFrame（如 pd.DataFrame(…)）、文件、文件夹或"
                         "通配符，或它们的列表",
                         f"not a register: a {kind}. Give a DataFrame (pd.DataFrame(…)), a file, a "
                         "folder or a "
                         "pattern, or a list of them")
    if anything is None or isinstance(anything, bytes) or not isinstance(anything, Iterable):
        raise InputError(f"不是台账路径或 DataFrame：{type(anything).__name__}",
                         f"not a register path or a DataFrame: {type(anything).__name__}")
    return list(given)


def _frame(frame: pd.DataFrame, name: str) -> RegisterFrame:
    """A DataFrame as a register file; InputError for columns of several levels (a MultiIndex: its CSV would
    hold a header of several rows, and the frame's rows would not be the rows its findings name)."""
    if isinstance(frame.columns, pd.MultiIndex):
        levels = frame.columns.nlevels
        raise InputError(f"{name} 的列名有 {levels} 层（MultiIndex）：请合并为一层列名，或直接给出台账文件",
                         f"{name} has columns of {levels} levels (a MultiIndex): make them one level "
                         "(frame.columns = [...]), or give the register file itself")
    return RegisterFrame(frame, name)


def registers(villages: Inputs, outlets: Inputs | None = (), *,
              sheet: str | None = None, encoding: str | None = None,
              limits: Limits | None = None, need_villages: bool = True) -> Registers:
    """The register files (and DataFrames) of what was given for each kind. A file is of the kind it was
    given for; a folder's files and a pattern's matches are of the kinds their headers tell (as on the
    command line: `commands.inputs.expand`). DataFrames are named `<DataFrame 1>`, `<DataFrame 2>`, … in
    the order given, the villages' first; `outlets` None is none. Raises InputError when nothing is left to
    read, or for what is no register (None, a Series, a dict as `villages`)."""
    if isinstance(villages, Registers):
        return villages
    if isinstance(outlets, Registers):
        raise InputError("outlets 不能是 Registers", "outlets cannot be Registers")
    if outlets is None:  # (no outlet register, as an empty list)
        outlets = ()
    found: dict[Kind, list[Source]] = {Kind.VILLAGES: [], Kind.OUTLETS: []}
    skipped: list[Skipped] = []
    frames = 0
    for kind, given in ((Kind.VILLAGES, villages), (Kind.OUTLETS, outlets)):
        for item in _items(given):
            if isinstance(item, pd.DataFrame):
                frames += 1
                found[kind].append(_frame(item, f"<DataFrame {frames}>"))
                continue
            if not isinstance(item, str | os.PathLike):
                raise InputError(f"不是台账路径或 DataFrame：{type(item).__name__}",
                                 f"not a register path or a DataFrame: {type(item).__name__}")
            village_files, outlet_files = expand([Path(item)], kind, limits=limits, skipped=skipped,
                                                 encoding=encoding)
            found[Kind.VILLAGES] += village_files
            found[Kind.OUTLETS] += outlet_files
    village_sources, outlet_sources = (_unique(found[k]) for k in (Kind.VILLAGES, Kind.OUTLETS))
    if not village_sources and (need_villages or not outlet_sources):
        why = "；".join(f"{k.path.name}（{k.why_zh}）" for k in skipped[:5])
        why_en = "; ".join(f"{k.path.name} ({k.why_en})" for k in skipped[:5])
        raise InputError("给出的文件、文件夹和 DataFrame 中没有行政村台账" + (f"：{why}" if why else ""),
                         "no village register in the files, folders and DataFrames given" + (
                             f": {why_en}" if why_en else ""))
    return Registers(village_sources, outlet_sources, None, "api", skipped, sheet=sheet, encoding=encoding)


def _unique(sources: list[Source]) -> list[Source]:
    """Each file once (by its resolved path), in the order first given; every DataFrame."""
    seen: dict[object, Source] = {}
    for s in sources:
        seen.setdefault(s.resolve() if isinstance(s, Path) else id(s), s)
    return list(seen.values())


def rules_of(rules: RulesLike) -> tuple[Rules, str]:
    """The rules and the sha256 a report names them by: of the file's bytes (a Rules loaded from a file
    keeps it), else of the rules' JSON."""
    if isinstance(rules, Rules):
        return rules, rules._sha256 or hashlib.sha256(rules.model_dump_json().encode("utf-8")).hexdigest()
    return rules_file.load_rules(None if rules is None else Path(rules))


def date_of(value: DateLike, name: str = "as_of") -> dt.date:
    """A date (datetime.date, a datetime, pandas.Timestamp, numpy.datetime64), or any text the command line's
    --as-of takes (2021-12-31, 2021年12月, 20211231, …); InputError for anything else."""
    when: object = value  # (what a caller without type checks may pass)
    if isinstance(when, np.datetime64):
        when = pd.NaT if np.isnat(when) else pd.Timestamp(when)
    if when is pd.NaT:  # (a datetime, whose .date() fails)
        raise InputError(f"{name} 不是有效日期：NaT", f"{name} is not a valid date: NaT")
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    if not isinstance(when, str):
        raise InputError(f"{name} 须为日期或日期文字，不是 {type(when).__name__}",
                         f"{name} must be a date or a date's text, not {type(when).__name__}")
    from kuaidi_cli.commands.asof import parse

    return parse(when, name)


def official_list(rules: Rules, divisions: PathLike | int | None) -> gazetteer.Gazetteer | None:
    """The official division list: the rules' choice, or `divisions` (a bundled year, a folder, "none")."""
    return gazetteer.load(rules, None if divisions is None else str(divisions))


def load_rules(path: PathLike | None = None) -> Rules:
    """The rules of a file (default: the bundled rules/targets.yaml), validated; RulesError when invalid.
    The loaded rules keep their file's sha256, which a report made with them names."""
    return rules_of(path)[0]
