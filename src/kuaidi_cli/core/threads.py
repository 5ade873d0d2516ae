"""Work started in a thread and waited for later: the one helper kuaidi uses for it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_thread(name: str, fn: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start fn(*args) in a daemon thread (kuaidi waits for it only if it needs the result); the returned
    function waits and gives the result, or raises what fn raised. For work that runs without the GIL
    (calamine's parse, pyarrow's reader, zlib, hashlib) beside the caller's."""
    result: list[T] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            result.append(fn(*args))
        except BaseException as e:  # handed to the waiting thread
            error.append(e)

    thread = threading.Thread(target=work, name=f"kuaidi-{name}", daemon=True)
    thread.start()

    def wait() -> T:
        thread.join()
        if error:
            raise error[0]
        return result[0]

    return wait
