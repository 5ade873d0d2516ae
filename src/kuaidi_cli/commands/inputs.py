"""Where the registers of a report come from: the flags, else the environment (KUAIDI_VILLAGES,
KUAIDI_OUTLETS), else `kuaidi.toml` in the working directory. The bundled sample data only when asked
(`--samples`): a report of synthetic figures must never be made, or sent on, by mistake."""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kuaidi_cli.core.errors import InputError


@dataclass(frozen=True)
class Registers:
    villages: Path
    outlets: Path | None
    rules: Path | None
    source: str  # flags | env | kuaidi.toml | samples


def samples_dir() -> Path:
    """data/samples of a source checkout, else the copy inside the installed package."""
    checkout = Path(__file__).resolve().parents[3] / "data" / "samples"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("kuaidi_cli") / "samples"))


def resolve(villages: Path | None, outlets: Path | None, rules: Path | None, *, samples: bool = False,
            env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Registers:
    """The registers to report on; raises InputError when none is given (and `samples` is not asked)."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    if samples:
        if villages is not None or outlets is not None:
            raise InputError("--samples 使用内置示例台账，不能与 --villages/--outlets 同时使用",
                             "--samples runs on the bundled example registers; it cannot be combined with "
                             "--villages/--outlets")
        base = samples_dir()
        if base.is_relative_to(cwd.resolve()):
            base = base.relative_to(cwd.resolve())  # shown as data/samples/… when run from the checkout
        return Registers(base / "villages.csv", base / "outlets.csv", rules, "samples")
    if villages is not None:
        return Registers(villages, outlets, rules, "flags")
    if env.get("KUAIDI_VILLAGES"):
        found = env.get("KUAIDI_OUTLETS")
        return Registers(Path(env["KUAIDI_VILLAGES"]), outlets or (Path(found) if found else None), rules, "env")
    config = cwd / "kuaidi.toml"
    if config.is_file():
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"{config} 不是有效的 TOML：{e}", f"{config} is not valid TOML: {e}") from e
        if "villages" not in data:
            raise InputError(f"{config} 缺少 villages = \"行政村台账路径\"", f"{config} has no villages = \"path\"")

        def rel(key: str) -> Path | None:
            return (config.parent / str(data[key])) if key in data else None

        return Registers(config.parent / str(data["villages"]), outlets or rel("outlets"), rules or rel("rules"),
                         "kuaidi.toml")
    raise InputError(
        "没有指定行政村台账：用 --villages 文件（或环境变量 KUAIDI_VILLAGES、当前目录的 kuaidi.toml）指定；"
        "加 --samples 可用内置示例台账试运行",
        "no village register given: use --villages FILE (or KUAIDI_VILLAGES, or a kuaidi.toml here); "
        "--samples runs on the bundled example registers")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
