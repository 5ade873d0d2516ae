"""Failures that stop kuaidi from running. Problems *in* the data are findings, not exceptions."""

import errno


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


# what the operating system says, in Chinese with what to do (its own words are English, and stay in the
# English line)
_OS_REASONS_ZH = {
    errno.ENOENT: "文件或文件夹不存在，请检查路径",
    errno.EACCES: "没有权限（或文件正被 Excel、WPS 等程序打开）：请关闭它，或检查文件权限",
    errno.EPERM: "没有权限：请检查文件权限，或换一个文件夹",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘已满：请腾出空间后再试",
    errno.EROFS: "所在磁盘只读：请换一个文件夹",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "路径太长：请换一个短些的文件名或文件夹",
    errno.EMFILE: "同时打开的文件太多：请稍后再试",
    errno.EIO: "磁盘读写出错：请检查磁盘或网络共享",
    errno.EBUSY: "文件正被其他程序占用：请关闭它后再试",
}


def os_reason(e: OSError) -> tuple[str, str]:
    """Why the operating system refused, as (Chinese, English): the Chinese names the cause and what to do
    (an errno kuaidi does not know keeps the system's words and its code)."""
    en = e.strerror or str(e)
    zh = _OS_REASONS_ZH.get(e.errno or -1) or f"系统报错：{en}（错误码 {e.errno}）"
    return zh, en
