"""Running a command: a failure to run as one line on stderr and exit 2, a reader that stopped reading as
no failure."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from kuaidi_cli.commands.options import Lang, Session, language
from kuaidi_cli.write.stdout import quiet_stdout, say


def run(app: typer.Typer, session: Session) -> None:
    """kuaidi as a program. A reader that stops reading (`kuaidi --help | head -1`) is not a failure: where
    the help meets the broken pipe, before any command runs, rich (or click) quiets the output — rich points
    file descriptor 1 at the null device, click swaps sys.stdout — and exits 1; that exit becomes 0. A command
    that meets it goes on quietly and exits with its own code (write.terminal: `check … | head` still exits 1
    on errors)."""
    stdout, before = sys.stdout, _output_file()
    try:
        app(obj=session)
    except SystemExit as done:
        # (a command's own exit code stands: its terminal goes quiet and it ends as it would have)
        if done.code == 1 and not session.ran and (sys.stdout is not stdout or _output_file() != before):
            raise SystemExit(0) from None
        raise


def _output_file() -> tuple[int, int] | None:
    """Which file descriptor 1 writes to (device, inode), or None when there is none."""
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def session_of(ctx: typer.Context) -> Session:
    return ctx.find_root().ensure_object(Session)


@contextmanager
def errors_to_exit(ctx: typer.Context, lang: Lang | None, debug: bool) -> Iterator[Lang]:
    """The one place where a failure to run becomes one line on stderr and exit 2 (with --debug or
    KUAIDI_DEBUG=1, the traceback before it). Gives the language: the command's --lang, else kuaidi's own
    (`kuaidi --lang en check …`), else KUAIDI_LANG, else Chinese."""
    from kuaidi_cli.core.memory import collector_paused

    session_of(ctx).ran = True
    chosen = language(lang or session_of(ctx).lang)
    debug = debug or bool(os.environ.get("KUAIDI_DEBUG"))
    with collector_paused(restore=not session_of(ctx).ends_with_command):
        try:
            yield chosen
        except (typer.Exit, KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BrokenPipeError:  # the reader stopped reading (kuaidi report | head) before the command ended
            quiet_stdout()  # (what is left to flush goes nowhere)
            raise typer.Exit(0) from None
        # kuaidi cannot run, or a defect (or a panic in a native library): one line
        except BaseException as e:
            from kuaidi_cli.commands.options import one_line

            if debug:
                import traceback

                traceback.print_exc()
            say(f"kuaidi: {one_line(e, chosen.value)}")
            raise typer.Exit(2) from None
        # the command ended: what is left of its output is flushed here, and a reader that stopped reading
        # (stdout, or stderr with 2>&1) no longer changes the exit code the command gives after this block
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
