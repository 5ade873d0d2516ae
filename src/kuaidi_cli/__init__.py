"""kuaidi: coverage calculator for the 快递进村 programme — a command line and a library.

    import kuaidi_cli as kuaidi
    result = kuaidi.check("台账/")                       # findings of the registers
    rep = kuaidi.report("台账/", as_of="2021-12-31")     # the coverage report (kuaidi.report/1)
    rep.counties_frame()                                 # its tables as pandas DataFrames
    kuaidi.write(rep, "报表.xlsx")                        # the files the command line writes

docs/API.md walks through it. The names below load on first use (PEP 562): `import kuaidi_cli` and
`kuaidi --version` stay instant.
"""

import sys

__version__ = "0.1.0"

TYPE_CHECKING = False  # (not typing's: importing typing would double the time `import kuaidi_cli` takes)
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from kuaidi_cli.api import changes, check, history, load_rules, report, trend, write
    from kuaidi_cli.check import CheckResult
    from kuaidi_cli.commands.trend import Series
    from kuaidi_cli.core.errors import InputError, KuaidiError, RulesError
    from kuaidi_cli.core.findings import Finding, Severity
    from kuaidi_cli.core.rules import Rules
    from kuaidi_cli.read import Limits
    from kuaidi_cli.report.changes import Changes
    from kuaidi_cli.report.model import Report
else:
    ModuleType = type(sys)  # (types.ModuleType, without importing types)

__all__ = [
    "Changes", "CheckResult", "Finding", "InputError", "KuaidiError", "Limits", "Report", "Rules", "RulesError",
    "Series", "Severity", "__version__", "changes", "check", "history", "load_rules", "report", "trend", "write",
]

_WHERE = {
    **dict.fromkeys(("changes", "check", "history", "load_rules", "report", "trend", "write"), "kuaidi_cli.api"),
    "CheckResult": "kuaidi_cli.check",
    **dict.fromkeys(("InputError", "KuaidiError", "RulesError"), "kuaidi_cli.core.errors"),
    **dict.fromkeys(("Finding", "Severity"), "kuaidi_cli.core.findings"),
    "Rules": "kuaidi_cli.core.rules",
    "Limits": "kuaidi_cli.read",
    "Changes": "kuaidi_cli.report.changes",
    "Report": "kuaidi_cli.report.model",
    "Series": "kuaidi_cli.commands.trend",
}


class _Package(ModuleType):
    """kuaidi_cli, whose `check` and `report` are the API's functions, though subpackages of those names exist:
    importing a subpackage (`from kuaidi_cli.report.model import Report`) reaches it through sys.modules
    and leaves the name to the function (the import system would set the attribute to the subpackage)."""

    def __setattr__(self, name: str, value: "Any") -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> "Any":
    """A public name, imported when first asked for (then kept in the module)."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kuaidi_cli' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(where), name)
    globals()[name] = value  # (kept: asked for again, it is found without this function)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
