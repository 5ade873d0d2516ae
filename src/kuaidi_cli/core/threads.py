"""Work started in a thread and waited for later: the one helper kuaidi uses for it."""

from __future__ import annotations

import threading


def in_thread(name: str, fn, *args):
    """Start fn(*args) in a daemon thread (kuaidi waits for it only if it needs the result); the returned
    function waits and gives the result, or raises what fn raised. For work that runs without the GIL
    (calamine's parse, pyarrow's reader, zlib, hashlib) beside the caller's."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # handed to the waiting thread
            box["error"] = e

    thread = threading.Thread(target=work, name=f"kuaidi-{name}", daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["value"]

    return wait
