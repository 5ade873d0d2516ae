"""The official division list (国家统计局 统计用区划代码): names and codes that registers are checked against.

Bundled editions live in `gazetteer/<city_code>/<year>/`; another city points its rules at a folder of
files with the same layout (counties.csv, townships.csv, villages.csv). Names are compared by a key
that ignores what NBS itself writes differently from one edition to the next: the committee suffix
("袁楼村委会", "袁楼村民委员会", "袁楼村" and "袁楼" are one village), a doubled 村 (2021's "时村村村委会" is
2023's "时村"), and the variant characters it spells both ways (砦/寨, 候/侯, 档/垱). A 居委会 and a 村委会
of the same name are two units: the key is looked up within the kind the name says (name_class). The
name a register should write is the official name without its suffix, ending in 村 for a village
committee ("袁楼村"; "宜村庙" becomes "宜村庙村"; a doubled 村 is kept as the edition writes it, since
荣村村 is 荣村村 in every edition: only the comparison folds it).
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
_DOUBLED = re.compile(r"村{2,}$")
_VILLAGE_END = re.compile(r"(?:村民委员会|村委会|村委|村)$")
_RESIDENTS_END = re.compile(r"(?:居民委员会|居委会|社区)$")
_TOWNSHIP_OFFICE = re.compile(r"(?:街道)?办事处$")
# the characters NBS writes both ways for the same unit, from one edition to the next (2021 → 2023:
# 李砦村村委会 → 李寨村, 候寨村委会 → 侯寨村, 丁圪档村委会 → 丁圪垱村): compared as one
VARIANTS = str.maketrans({"砦": "寨", "候": "侯", "档": "垱"})
VILLAGE_COMMITTEE = "村委会"
VILLAGE, RESIDENTS = "village", "residents"
_RESIDENT_TYPES = {"居委会", "类似居委会"}


def name_key(name: str) -> str:
    """The comparable form of a village name: no spaces, no committee or 社区 suffix, variant characters
    folded, no final 村 (nor a doubled one)."""
    t = _KEY_SUFFIX.sub("", _SPACES.sub("", str(name))).translate(VARIANTS)
    while t.endswith("村") and len(t) > 1:
        t = t[:-1]
    return t


def name_class(name: str) -> str:
    """The kind of unit a written name says: RESIDENTS (…居委会, …居民委员会, …社区), VILLAGE (…村委会,
    …村民委员会, …村委, …村), or "" when the name does not say ("袁楼")."""
    t = _SPACES.sub("", str(name))
    if _RESIDENTS_END.search(t):
        return RESIDENTS
    return VILLAGE if _VILLAGE_END.search(t) else ""


def committee_class(committee_type: str) -> str:
    """The kind of an official entry's committee type: RESIDENTS for 居委会 and 类似居委会, else VILLAGE."""
    return RESIDENTS if committee_type in _RESIDENT_TYPES else VILLAGE


def register_name(official: str, committee_type: str) -> str:
    """The name a register writes for an official entry: "袁楼村委会" → "袁楼村", "时村村村委会" → "时村村",
    "南京巷社区居民委员会" → "南京巷社区"."""
    base = _SUFFIX.sub("", _SPACES.sub("", official))
    if committee_type == VILLAGE_COMMITTEE and not base.endswith("村"):
        return base + "村"
    return base  # a doubled 村 kept as the edition writes it: 荣村村 is its own name in 2021 and 2023


def village_form(name: str) -> str:
    """A village committee's name in one form, whichever NBS wrote: "袁楼村委会", "袁楼村民委员会" and
    "袁楼村" are "袁楼村", "时村村村委会" and "时村" are "时村", "娄砦村" is "娄寨村". A name that is written
    in this form as its official entry's register_name is one NBS writes: it gets no "counted as" line."""
    t = _SPACES.sub("", str(name)).translate(VARIANTS)
    base = _SUFFIX.sub("", t)
    if base != t or t.endswith("村"):  # a committee name, or a name ending in 村
        return _DOUBLED.sub("村", base) if base.endswith("村") else base + "村"
    return t


def township_forms(name: str) -> list[str]:
    """The official names a written township name may stand for, as NBS writes them both ways:
    "兰阳街道办事处" and "兰阳办事处" are "兰阳街道"; variant characters folded (西姜砦乡 is 西姜寨乡)."""
    t = _SPACES.sub("", str(name)).translate(VARIANTS)
    if _TOWNSHIP_OFFICE.search(t) and len(t) > 3:
        t = _TOWNSHIP_OFFICE.sub("", t)
        return [t + "街道"] if t else []
    return [t]


@dataclass(frozen=True)
class Gazetteer:
    edition: str  # "2021", or the folder it was read from
    counties: pd.DataFrame  # code, name
    townships: pd.DataFrame  # code, name, county_code, county_name, township_type
    # code, name, township_code, township_name, county_code, county_name, committee_type,
    villages: pd.DataFrame
    #                         key, kind (VILLAGE or RESIDENTS), register_name

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
            raise RulesError(f"无法读取区划文件 {path}：{zh}",
                             f"cannot read the division file {path}: {en}") from e
        # (pandas' words are English: kept in English)
        except (UnicodeDecodeError, pd.errors.ParserError) as e:
            raise RulesError(
                f"无法读取区划文件 {path}：不是 UTF-8 的 CSV，或格式有误；请检查 --divisions 给出的文件夹",
                f"cannot read the division file {path}: {e}",
            ) from e

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
        kind=villages["committee_type"].map(committee_class),
        register_name=[register_name(n, c) for n, c in zip(villages["name"], villages["committee_type"],
                                                           strict=True)],
    )
    return Gazetteer(edition=edition, counties=counties, townships=townships, villages=villages)


@cache
def _bundled(city_code: str, year: int) -> Gazetteer:
    folder = Path(str(resources.files("kuaidi_cli") / "core" / "divisions" / city_code / str(year)))
    if not folder.is_dir():
        have = sorted(p.name for p in folder.parent.iterdir()) if folder.parent.is_dir() else []
        raise RulesError(
            f"没有内置的 {city_code} {year} 年区划（有：{'、'.join(have) or '无'}）；在规则文件 divisions 中"
            "写一个文件夹路径",
            f"no bundled {year} division list for {city_code} (have: {', '.join(have) or 'none'}); "
            "give a folder in the rules' divisions",
        )
    return _read(folder, str(year))


@cache
def _folder(path: str) -> Gazetteer:
    return _read(Path(path), path)


def load(rules: Rules, override: str | None = None) -> Gazetteer | None:
    """The division list the rules choose (or `override`: a year, a folder, or "none"). Each call gets
    frames of its own: an edition is read once per process, and what one caller changes in its frames
    is never what the next caller reads."""
    choice: int | str | None = rules.divisions
    if override is not None:
        choice = int(override) if override.isdigit() else override
    if choice is None or choice == "none":
        return None
    if isinstance(choice, int):
        if not rules.city_code:
            raise RulesError("规则文件须写 city_code 才能使用内置区划",
                             "the rules need a city_code to use a bundled division list")
        return _own(_bundled(rules.city_code, choice))
    if not Path(choice).is_dir():
        raise KuaidiError(f"区划文件夹 {choice} 不存在", f"no division folder {choice}")
    return _own(_folder(str(Path(choice).resolve())))


def _own(cached: Gazetteer) -> Gazetteer:
    """A copy of a cached edition for one caller (a city's few thousand rows: microseconds)."""
    return Gazetteer(edition=cached.edition, counties=cached.counties.copy(),
                     townships=cached.townships.copy(), villages=cached.villages.copy())


def suggest(name: str, candidates: list[str], n: int = 3) -> list[str]:
    """The nearest official names, best first (difflib's ratio on characters)."""
    key = name_key(name)
    keyed = {name_key(c): c for c in candidates}
    hits = difflib.get_close_matches(key, list(keyed), n=n, cutoff=0.5)
    return [keyed[h] for h in hits]
