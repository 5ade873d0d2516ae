"""Failures that stop kuaidi from running. Problems *in* the data are findings, not exceptions."""


class KuaidiError(Exception):
    """kuaidi cannot run. The message is one line for the user, in Chinese, with the English after it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # raised in the second process that checks a register, re-raised here: rebuilt from both texts
        return (self.__class__, (self.zh, self.en))


class InputError(KuaidiError):
    """An input file cannot be read as a register."""


class RulesError(KuaidiError):
    """The rules file is missing or invalid."""
