"""The rules file (`rules/targets.yaml`): the policy as data, validated by pydantic.

This module knows the shape of the file, not its content: everything about Kaifeng is in the file.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kuaidi_cli.errors import RulesError
from kuaidi_cli.fields import header_key


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Divisions(_Strict):
    county_aliases: dict[str, str] = Field(default_factory=dict)
    township_aliases: dict[str, str] = Field(default_factory=dict)


class Mode(_Strict):
    id: str
    aliases: list[str] = Field(default_factory=list)


class Level(_Strict):
    label: str
    aliases: list[str] = Field(default_factory=list)


LEVELS = ("park", "township_station", "village_point")


class Rules(_Strict):
    name: str
    city: str | None = None
    divisions: Divisions = Field(default_factory=Divisions)
    modes: list[Mode] = Field(default_factory=list)
    outlet_levels: dict[str, Level] = Field(default_factory=dict)
    header_aliases: dict[str, list[str]] = Field(default_factory=dict)

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


def default_rules_path() -> Path:
    """`rules/targets.yaml` of a source checkout, else the copy inside the installed package."""
    here = Path(__file__).resolve()
    checkout = here.parents[2] / "rules" / "targets.yaml"
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("kuaidi_cli") / "rules" / "targets.yaml"))


def load_rules(path: Path | None = None) -> tuple[Rules, str]:
    """Load and validate a rules file. Returns the rules and the sha256 of the file's bytes."""
    path = path or default_rules_path()
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise RulesError(f"无法读取规则文件 {path}：{e.strerror}", f"cannot read rules file {path}: {e.strerror}") from e
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        where_en = f" at line {mark.line + 1}" if mark else ""
        raise RulesError(f"规则文件 {path} {where}不是有效的 YAML", f"rules file {path} is not valid YAML{where_en}") from e
    try:
        rules = Rules.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise RulesError(
            f"规则文件 {path} 的「{key}」有误：{err['msg']}", f"rules file {path}: {key}: {err['msg']}"
        ) from e
    unknown = [lv for lv in rules.outlet_levels if lv not in LEVELS]
    if unknown:
        raise RulesError(
            f"规则文件 {path} 的 outlet_levels 含未知层级 {unknown[0]}（可用 {', '.join(LEVELS)}）",
            f"rules file {path}: outlet_levels: unknown level {unknown[0]} (use {', '.join(LEVELS)})",
        )
    return rules, hashlib.sha256(raw).hexdigest()
