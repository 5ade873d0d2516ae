"""The fields of the two registers and the one table of header aliases (README.md, "What kuaidi reads").

A header in a file maps to a field when its *key* — the text after NFKC, with spaces, line breaks,
asterisks and brackets removed — equals the key of one of the field's aliases. A header such as
"人口数（人）" also matches through its text with the bracketed part dropped ("人口数").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    VILLAGES = "villages"
    OUTLETS = "outlets"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text | code | int | number | yesno | date | mode | level | list
    zh: str
    en: str
    aliases: tuple[str, ...]
    required: bool = False

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


_COUNTY = ("县区", "县(区)", "区县", "所属县区", "县(市、区)", "县市区", "县区名称", "县")
_TOWNSHIP = ("乡镇", "乡(镇)", "乡镇(街道)", "乡(镇、街道)", "所属乡镇", "乡镇街道", "乡镇名称",
             "乡镇(办事处)")
_VILLAGE = ("行政村", "村名", "行政村名称", "村委会", "行政村(社区)", "村名称", "村")
_CODE = ("区划代码", "统计用区划代码", "村代码", "行政区划代码", "村级区划代码", "代码")
_MODE = ("合作模式", "进村模式", "服务模式", "模式")

VILLAGE_FIELDS: tuple[Field, ...] = (
    Field("county", "text", "县区", "county", _COUNTY, required=True),
    Field("township", "text", "乡镇", "township", _TOWNSHIP, required=True),
    Field("village", "text", "行政村", "village", _VILLAGE, required=True),
    Field("code", "code", "区划代码", "code", _CODE),
    Field("population", "int", "人口", "population",
          ("人口", "户籍人口", "常住人口", "人口数", "人口数(人)", "总人口", "人口(人)")),
    Field("distance_km", "number", "距乡镇驻地距离(公里)", "distance (km)",
          ("距乡镇驻地距离(公里)", "距乡镇驻地距离", "距镇驻地距离", "距离(km)", "距离(公里)", "距乡镇距离",
           "距乡镇政府距离", "距离")),
    Field("in_village", "yesno", "是否驻村设点", "outlet in village",
          ("是否驻村设点", "驻村设点", "是否设点", "是否设立服务点", "是否设立村级服务点")),
    Field("in_village_since", "date", "设点时间", "outlet since", ("设点时间", "设点日期", "驻村设点时间")),
    Field("reached", "yesno", "是否通达", "reached",
          ("是否通达", "快递是否进村", "是否通快递", "通达", "是否进村")),
    Field("reached_since", "date", "通达时间", "reached since", ("通达时间", "通达日期", "进村时间")),
    Field("mode", "mode", "合作模式", "mode", _MODE),
)

OUTLET_FIELDS: tuple[Field, ...] = (
    Field("outlet_id", "text", "服务点编号", "outlet id", ("服务点编号", "编号", "站点编号", "网点编号"),
          required=True),
    Field("name", "text", "服务点名称", "outlet name", ("服务点名称", "名称", "站点名称", "网点名称")),
    Field("level", "level", "层级", "level", ("层级", "类型", "服务点层级", "服务点类型", "级别"),
          required=True),
    Field("county", "text", "县区", "county", _COUNTY, required=True),
    Field("township", "text", "乡镇", "township", _TOWNSHIP),
    Field("village", "text", "行政村", "village", _VILLAGE),
    Field("village_code", "code", "所在村区划代码", "village code", (*_CODE, "所在村代码", "所在村区划代码")),
    Field("mode", "mode", "合作模式", "mode", _MODE),
    Field("operators", "list", "合作企业", "operators", ("合作企业", "运营主体", "快递品牌", "合作快递企业")),
    Field("opened", "date", "启用日期", "opened", ("启用日期", "建成日期", "启用时间", "建成时间",
                                               "设立日期")),
    Field("closed", "date", "停用日期", "closed", ("停用日期", "撤点日期", "停用时间", "撤点时间")),
    Field("serves", "list", "辐射村", "serves", ("辐射村", "服务村", "覆盖村", "辐射行政村")),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {Kind.VILLAGES: VILLAGE_FIELDS, Kind.OUTLETS: OUTLET_FIELDS}

_DROP = re.compile(r"[\s*＊:：]+")
_BRACKETS = re.compile(r"[()\[\]【】<>《》{}]")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def header_key(text: str) -> str:
    """The comparable form of a header: NFKC, no spaces, asterisks, colons or bracket characters."""
    t = _DROP.sub("", unicodedata.normalize("NFKC", str(text)).casefold())
    return _BRACKETS.sub("", t)


def _short_key(text: str) -> str:
    """The header with bracketed parts dropped: "人口数（人）" → "人口数"."""
    t = _DROP.sub("", unicodedata.normalize("NFKC", str(text)).casefold())
    return _BRACKETS.sub("", _BRACKETED.sub("", t))


@dataclass
class AliasTable:
    """Header key → field name, for one register kind."""

    kind: Kind
    keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, kind: Kind, extra: dict[str, list[str]] | None = None) -> AliasTable:
        table = cls(kind)
        for f in FIELDS[kind]:
            for alias in (f.name, f.zh, f.en, *f.aliases):
                table.keys.setdefault(header_key(alias), f.name)
        names = {f.name for f in FIELDS[kind]}
        for name, aliases in (extra or {}).items():
            if name not in names:
                continue
            for alias in aliases:
                table.keys[header_key(alias)] = name
        return table

    def match(self, header: str) -> str | None:
        """The field a header names, or None."""
        if not header:
            return None
        return self.keys.get(header_key(header)) or self.keys.get(_short_key(header))


def field_of(kind: Kind, name: str) -> Field:
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(name)


FROM_GAZETTEER = "(gazetteer)"  # the _file of villages added from the official list (--universe gazetteer)
