"""The official division list (国家统计局 统计用区划代码): names and codes that registers are checked against.

Bundled editions live in `gazetteer/<city_code>/<year>/`; another city points its rules at a folder of
files with the same layout (counties.csv, townships.csv, villages.csv). Names are compared by a key
that ignores the committee suffix — "袁楼村委会", "袁楼村民委员会", "袁楼村" and "袁楼" are one village —
and the name a register should write is the official name without that suffix, ending in 村 for a
village committee ("袁楼村"; a name such as "宜村庙" becomes "宜村庙村").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from kuaidi_cli.core.errors import KuaidiError, RulesError, os_reason
from kuaidi_cli.core.rules import Rules

_SUFFIX = re.compile(r"(村民委员会|村委会|村委|居民委员会|居委会)$")
# for comparing: also "社区" ("温泉社区" is the 温泉居委会; "南京巷社区居民委员会" is 南京巷)
_KEY_SUFFIX = re.compile(r"(?:社区)?(?:村民委员会|村委会|村委|居民委员会|居委会)$|社区$")
_SPACES = re.compile(r"\s+")
VILLAGE_COMMITTEE = "村委会"


def name_key(name: str) -> str:
    """The comparable form of a village name: no spaces, no committee or 社区 suffix, no final 村."""
    t = _KEY_SUFFIX.sub("", _SPACES.sub("", str(name)))
    return t[:-1] if t.endswith("村") and len(t) > 1 else t


def register_name(official: str, committee_type: str) -> str:
    """The name a register writes for an official entry: "袁楼村委会" → "袁楼村", "南京巷社区居民委员会" → "南京巷社区"."""
    base = _SUFFIX.sub("", _SPACES.sub("", official))
    if committee_type == VILLAGE_COMMITTEE and not base.endswith("村"):
        return base + "村"
    return base


@dataclass(frozen=True)
class Gazetteer:
    edition: str  # "2021", or the folder it was read from
    counties: pd.DataFrame  # code, name
    townships: pd.DataFrame  # code, name, county_code, county_name, township_type
    villages: pd.DataFrame  # code, name, township_code, township_name, county_code, county_name, committee_type,
    #                         key, register_name

    @property
    def county_names(self) -> set[str]:
        return set(self.counties["name"])

    def administrative_villages(self, counties: list[str] | None = None) -> pd.DataFrame:
        """The 村委会 (administrative villages), optionally of some counties."""
        v = self.villages[self.villages["committee_type"] == VILLAGE_COMMITTEE]
        return v[v["county_name"].isin(counties)] if counties else v


def _read(folder: Path, edition: str) -> Gazetteer:
    def csv(name: str) -> pd.DataFrame:
        path = folder / name
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except OSError as e:
            zh, en = os_reason(e)
            raise RulesError(f"无法读取区划文件 {path}：{zh}", f"cannot read the division file {path}: {en}") from e
        except (UnicodeDecodeError, pd.errors.ParserError) as e:  # (pandas' words are English: kept in English)
            raise RulesError(f"无法读取区划文件 {path}：不是 UTF-8 的 CSV，或格式有误；请检查 --divisions 给出的文件夹",
                             f"cannot read the division file {path}: {e}") from e

    counties, townships, villages = csv("counties.csv"), csv("townships.csv"), csv("villages.csv")
    need = {"counties.csv": (counties, {"code", "name"}),
            "townships.csv": (townships, {"code", "name", "county_code", "county_name"}),
            "villages.csv": (villages, {"code", "name", "township_code", "township_name", "county_code",
                                        "county_name", "committee_type"})}
    for name, (frame, cols) in need.items():
        missing = cols - set(frame.columns)
        if missing:
            raise RulesError(f"区划文件 {folder / name} 缺少列 {', '.join(sorted(missing))}",
                             f"the division file {folder / name} lacks columns {', '.join(sorted(missing))}")
    villages = villages.assign(
        key=villages["name"].map(name_key),
        register_name=[register_name(n, c) for n, c in zip(villages["name"], villages["committee_type"], strict=True)],
    )
    return Gazetteer(edition=edition, counties=counties, townships=townships, villages=villages)


@cache
def _bundled(city_code: str, year: int) -> Gazetteer:
    folder = Path(str(resources.files("kuaidi_cli") / "core" / "divisions" / city_code / str(year)))
    if not folder.is_dir():
        have = sorted(p.name for p in folder.parent.iterdir()) if folder.parent.is_dir() else []
        raise RulesError(
            f"没有内置的 {city_code} {year} 年区划（有：{'、'.join(have) or '无'}）；在规则文件 divisions 中写一个文件夹路径",
            f"no bundled {year} division list for {city_code} (have: {', '.join(have) or 'none'}); "
            "give a folder in the rules' divisions",
        )
    return _read(folder, str(year))


@cache
def _folder(path: str) -> Gazetteer:
    return _read(Path(path), path)


def load(rules: Rules, override: str | None = None) -> Gazetteer | None:
    """The division list the rules choose (or `override`: a year, a folder, or "none")."""
    choice: int | str | None = rules.divisions
    if override is not None:
        choice = int(override) if override.isdigit() else override
    if choice is None or choice == "none":
        return None
    if isinstance(choice, int):
        if not rules.city_code:
            raise RulesError("规则文件须写 city_code 才能使用内置区划", "the rules need a city_code to use a bundled division list")
        return _bundled(rules.city_code, choice)
    if not Path(choice).is_dir():
        raise KuaidiError(f"区划文件夹 {choice} 不存在", f"no division folder {choice}")
    return _folder(str(Path(choice).resolve()))


def suggest(name: str, candidates: list[str], n: int = 3) -> list[str]:
    """The nearest official names, best first (difflib's ratio on characters)."""
    key = name_key(name)
    keyed = {name_key(c): c for c in candidates}
    hits = difflib.get_close_matches(key, list(keyed), n=n, cutoff=0.5)
    return [keyed[h] for h in hits]
