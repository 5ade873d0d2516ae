"""A progress display on stderr for work that takes more than a second, on a terminal only.

Nothing is shown when stderr is not a terminal (cron, pipes) or with --quiet; on a terminal the
spinner appears only if the work is still running after one second.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

DELAY = 1.0


@contextlib.contextmanager
def steps(enabled: bool, console: Console | None = None) -> Iterator[Callable[[str], None]]:
    """Yield a function that names the current step."""
    console = console or Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda _: None
        return
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=console,
                        transient=True)
    task = progress.add_task("kuaidi", total=None)
    timer = threading.Timer(DELAY, progress.start)
    timer.daemon = True
    timer.start()
    try:
        yield lambda text: progress.update(task, description=text)
    finally:
        timer.cancel()
        progress.stop()
