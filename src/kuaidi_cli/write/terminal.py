"""The terminal every command prints to."""

from __future__ import annotations

import os
import sys

from rich.console import Console

from kuaidi_cli.write.stdout import quiet_stdout


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader stopped reading (`kuaidi report | head`): nothing more to print, and no failure —
        the rest goes to /dev/null and the command ends as it would have (rich's default exits 1)."""
        self.quiet = True
        quiet_stdout()

    @property
    def encoding(self) -> str:
        """The output's encoding, as rich uses it: to choose ASCII boxes for a stream that is not UTF-8. GBK
        and GB18030 (a Chinese Windows' redirected output) have the box-drawing characters of its tables:
        they keep them (what else they lack degrades, write.stdout.degrade_unencodable)."""
        import codecs

        name = super().encoding
        try:
            return "utf-8" if codecs.lookup(name).name in ("gbk", "gb18030") else name
        except LookupError:
            return name


def console() -> Console:
    """A terminal's own width; redirected to a file or a pipe, a wide one (COLUMNS, else 200): a table
    written to a file never wraps at 80 columns ("祥符\\n区")."""
    wide = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200") or 200)
    return _Console(width=wide)
