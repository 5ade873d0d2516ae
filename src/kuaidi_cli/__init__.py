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
    "Changes", "CheckResult", "Finding", "InputError", "KuaidiError", "Limits", "Report", "Rules",
           "RulesError",
    "Series", "Severity", "__version__", "changes", "check", "history", "load_rules", "report", "trend",
           "write",
]

_WHERE = {
    **dict.fromkeys(("changes", "check", "history", "load_rules", "report", "trend", "write"),
                    "kuaidi_cli.api"),
    "CheckResult": "kuaidi_cli.check",
    **dict.fromkeys(("InputError", "KuaidiError", "RulesError"), "kuaidi_cli.core.errors"),
    **dict.fromkeys(("Finding", "Severity"), "kuaidi_cli.core.findings"),
    "Rules": "kuaidi_cli.core.rules",
    "Limits": "kuaidi_cli.read",
    "Changes": "kuaidi_cli.report.changes",
    "Report": "kuaidi_cli.report.model",
    "Series": "kuaidi_cli.commands.trend",
}


class _Callable(ModuleType):
    """A subpackage named as an API function (check, report, write) that is that function too:
    `kuaidi.write(…)` calls kuaidi_cli.api's `write`, and `kuaidi_cli.write.files` (an import, a monkeypatch
    target) is still the subpackage's module."""

    def __call__(self, *args: "Any", **kwargs: "Any") -> "Any":
        return self.__wrapped__(*args, **kwargs)

    @property
    def __wrapped__(self) -> "Any":  # (inspect.signature follows it to the function)
        import importlib

        return getattr(importlib.import_module("kuaidi_cli.api"), self.__name__.rpartition(".")[2])

    @property
    def __doc__(self) -> "str | None":
        """The function's signature and docstring (what help() and IPython's `?` show), then the
        subpackage's docstring."""
        import inspect

        function = self.__wrapped__
        own = self.__dict__.get("__doc__")
        also = f"\n\nkuaidi_cli.{function.__name__} is also the subpackage of that name: {own}" if own else ""
        return f"{function.__name__}{inspect.signature(function)}\n\n{inspect.getdoc(function) or ''}{also}"

    @__doc__.setter
    def __doc__(self, value: "str | None") -> None:
        self.__dict__["__doc__"] = value


class _Package(ModuleType):
    """kuaidi_cli, whose subpackages check, report and write become callable as the import system sets
    them."""

    def __setattr__(self, name: str, value: "Any") -> None:
        if name in _CALLABLE and type(value) is ModuleType:
            value.__class__ = _Callable
        super().__setattr__(name, value)


_CALLABLE = ("check", "report", "write")
sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> "Any":
    """A public name, imported when first asked for (then kept in the module)."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kuaidi_cli' has no attribute {name!r}")
    import importlib

    if name in _CALLABLE:  # (the subpackage, made callable as it is imported: _Package)
        return importlib.import_module(f"kuaidi_cli.{name}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value  # (kept: asked for again, it is found without this function)
    return value


def __dir__() -> list[str]:
    """The API (`__all__`) and the module's own dunder names: not the helpers of its lazy import."""
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})
