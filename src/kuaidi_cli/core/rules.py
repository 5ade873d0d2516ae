"""The rules file (`rules/targets.yaml`): the policy as data, validated by pydantic.

This module knows the shape of the file, not its content: everything about Kaifeng is in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kuaidi_cli.core import metrics as catalogue
from kuaidi_cli.core import normalise
from kuaidi_cli.core.errors import RulesError, os_reason
from kuaidi_cli.core.fields import header_key
from kuaidi_cli.core.metrics import LEVELS as LEVELS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Aliases(_Strict):
    counties: dict[str, str] = Field(default_factory=dict)
    townships: dict[str, str] = Field(default_factory=dict)


class Mode(_Strict):
    id: str
    aliases: list[str] = Field(default_factory=list)


class Level(_Strict):
    label: str
    aliases: list[str] = Field(default_factory=list)


# The metrics a target may name (core.metrics.target_names): rates are fractions in [0, 1]; counts are
# numbers of outlets.
COUNT_METRICS = tuple(f"outlets.{level}" for level in LEVELS)

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


class Condition(_Strict):
    """One test on a village: `population >= 2500`."""

    field: Literal["population", "distance_km"]
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float
    reason: str

    def describe(self, lang: str = "zh") -> str:
        unit = {"population": ("人口", "population", ""), "distance_km": ("距离", "distance", "km")}[
            self.field]
        name = unit[1] if lang == "en" else unit[0]
        return f"{name}{self.op}{self.value:g}{unit[2]}"

    def shown(self, lang: str = "zh") -> str:
        """As a reader writes it: 人口≥2500, 距离>5km."""
        return self.describe(lang).replace(">=", "≥").replace("<=", "≤")


class AnyOf(_Strict):
    """True for a village when any condition holds."""

    any: list[Condition] = Field(min_length=1)

    def describe(self, lang: str = "zh") -> str:
        return (" or " if lang == "en" else " 或 ").join(c.describe(lang) for c in self.any)

    def shown(self, lang: str = "zh") -> str:
        return (" or " if lang == "en" else " 或 ").join(c.shown(lang) for c in self.any)

    @property
    def fields(self) -> list[str]:
        """The fields the conditions read, each once, in the rules' order."""
        return list(dict.fromkeys(c.field for c in self.any))

    def decide(self, values: Callable[[str], pd.Series]) -> tuple[np.ndarray, np.ndarray]:
        """(combo, undecided) over the rows of `values(field)` (numbers, NA where blank or invalid).

        combo: bit i set where condition i holds. undecided: where no condition holds and some condition
        reads a blank value, so the answer depends on what the blank turns out to be (a village of 3000
        people is priority whatever its distance; one of 900 people with no distance is undecided)."""
        combo: np.ndarray | None = None
        blank: np.ndarray | None = None
        for bit, c in enumerate(self.any):
            column = pd.to_numeric(values(c.field), errors="coerce")
            hit = OPERATORS[c.op](column, c.value).fillna(False).astype(bool).to_numpy()
            na = column.isna().to_numpy()
            combo = hit.astype(np.int64) << bit if combo is None else combo | (hit.astype(np.int64) << bit)
            blank = na if blank is None else blank | na
        assert combo is not None and blank is not None  # at least one condition (min_length=1)
        return combo, (combo == 0) & blank


class Scope(_Strict):
    counties: list[str] = Field(default_factory=list)  # empty: every county of the register


class Target(_Strict):
    id: str
    kind: Literal["required", "stretch", "info"]
    metric: str
    target: float = Field(ge=0)
    due: dt.date
    label: str
    label_en: str | None = None
    source: str | None = None

    @field_validator("metric")
    @classmethod
    def _metric_known(cls, metric: str) -> str:
        names = catalogue.target_names()
        if metric not in names:
            raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(names)}")
        return metric

    @field_validator("target")
    @classmethod
    def _rate_is_a_fraction(cls, target: float, info: ValidationInfo) -> float:
        if info.data.get("metric") in catalogue.rate_names() and target > 1:
            raise ValueError(f"a rate target is a fraction of 1 (0.85 for 85%), not {target:g}")
        return target

    @property
    def is_rate(self) -> bool:
        return self.metric in catalogue.rate_names()


class Rules(_Strict):
    name: str
    city: str | None = None
    city_code: str | None = Field(default=None, pattern=r"^\d{2,6}$")
    divisions: int | str | None = None  # a bundled edition (2021), a folder of division files, or none
    scope: Scope = Field(default_factory=Scope)
    priority: AnyOf
    focus: AnyOf | None = None
    targets: list[Target] = Field(default_factory=list)
    aliases: Aliases = Field(default_factory=Aliases)
    modes: list[Mode] = Field(default_factory=list)
    outlet_levels: dict[str, Level] = Field(default_factory=dict)
    header_aliases: dict[str, list[str]] = Field(default_factory=dict)
    _sha256: str | None = PrivateAttr(default=None)  # of the file's bytes, when loaded from one (load_rules)

    @model_validator(mode="after")
    def _unique_target_ids(self) -> Rules:
        ids = [t.id for t in self.targets]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"target id {twice[0]!r} is used twice")
        return self

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def mode_lookup(self) -> dict[str, str]:
        """Written form (as a header key) → mode id."""
        out: dict[str, str] = {}
        for m in self.modes:
            for alias in (m.id, *m.aliases):
                out[header_key(alias)] = m.id
        return out

    @cached_property
    def level_lookup(self) -> dict[str, str]:
        """Written form (as a header key) → level id (park, township_station, village_point)."""
        out: dict[str, str] = {}
        for level_id, level in self.outlet_levels.items():
            for alias in (level_id, level.label, *level.aliases):
                out[header_key(alias)] = level_id
        return out


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that leaves dates as text, so that pydantic parses them and names a bad one's key. libyaml's
    parser where PyYAML has it (a tenth of the time: it is read on every run), else PyYAML's own; the same
    resolvers either way."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_rules_path() -> Path:
    """`rules/targets.yaml` of a source checkout, else the copy inside the installed package."""
    here = Path(__file__).resolve()
    checkout = here.parents[3] / "rules" / "targets.yaml"
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("kuaidi_cli") / "rules" / "targets.yaml"))


def load_rules(path: Path | None = None) -> tuple[Rules, str]:
    """Load and validate a rules file. Returns the rules and the sha256 of the file's bytes."""
    path = path or default_rules_path()
    try:
        raw = path.read_bytes()
    except OSError as e:
        zh, en = os_reason(e)
        raise RulesError(f"无法读取规则文件 {path}：{zh}", f"cannot read rules file {path}: {en}") from e
    try:
        text = raw.decode("utf-8")
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        where_en = f" at line {mark.line + 1}" if mark else ""
        raise RulesError(f"规则文件 {path} {where}不是有效的 YAML",
                         f"rules file {path} is not valid YAML{where_en}") from e
    try:
        rules = Rules.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        line = _line_of(text, err["loc"])
        raise RulesError(
            f"规则文件 {path} 第{line}行「{key}」有误：{_in_chinese(err)}",
            f"rules file {path}, line {line}: {key}: {err['msg']}",
        ) from e
    unknown = [lv for lv in rules.outlet_levels if lv not in LEVELS]
    if unknown:
        raise RulesError(
            f"规则文件 {path} 的 outlet_levels 含未知层级 {unknown[0]}（可用 {', '.join(LEVELS)}）",
            f"rules file {path}: outlet_levels: unknown level {unknown[0]} (use {', '.join(LEVELS)})",
        )
    if rules.divisions is not None and rules.divisions != "none" and not isinstance(rules.divisions, int):
        folder = Path(rules.divisions)
        rules = rules.model_copy(update={"divisions": str(folder if folder.is_absolute()
                                                          else path.parent / folder)})
    rules._sha256 = hashlib.sha256(raw).hexdigest()
    return rules, rules._sha256


def _line_of(text: str, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (the deepest one that exists)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return 1
    if node is None:
        return 1
    line = node.start_mark.line
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line + 1


def canonical_county(name: str, rules: Rules) -> str:
    """A county's current name: the rules' alias of what was written (开封县 → 祥符区), else the written name
    in its normal form."""
    key = str(normalise.text(pd.Series([name], dtype=object)).iat[0])
    return normalise.by_text(rules.aliases.counties).get(key, key)


# pydantic's (and the validators') words are English: the Chinese line says the same in Chinese
_ZH_BY_TYPE = {
    "missing": "缺少此项", "extra_forbidden": "不认识的项（拼写有误？）", "float_parsing": "应为数字",
    "float_type": "应为数字", "int_parsing": "应为整数", "int_type": "应为整数", "string_type": "应为文字",
    "date_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）", "bool_parsing": "应为 true 或 false", "list_type": "应为列表",
    "dict_type": "应为键值表", "model_type": "应为键值表", "string_pattern_mismatch": "格式不对",
}
_ZH_BY_TEXT = (
    (re.compile(r"unknown metric '(.+)'; use one of (.+)"), "未知指标「{0}」，可用：{1}"),
    (re.compile(r"a rate target is a fraction of 1 \(0.85 for 85%\), not (.+)"),
     "比率目标写成小数（85% 写 0.85），不是 {0}"),
    (re.compile(r"target id '(.+)' is used twice"), "目标 id「{0}」重复"),
)


def _in_chinese(err: Any) -> str:
    """A validation error of the rules file in Chinese (by its type, or the validators' own sentences)."""
    if err["type"] in ("literal_error", "enum"):
        return f"只能是 {err.get('ctx', {}).get('expected', '')}"
    if err["type"] in _ZH_BY_TYPE:
        return _ZH_BY_TYPE[err["type"]]
    for pattern, zh in _ZH_BY_TEXT:
        if m := pattern.search(str(err["msg"])):
            return zh.format(*m.groups())
    return "取值有误（--lang en 显示详情）"
