"""The second process of a large report: loads and checks one register (checking.SecondProcess).

It reads the job (pickled arguments of checking.checked_elsewhere) from stdin and writes ("ok",
register) or ("error", exception) to stdout, pickled. Nothing else is written to stdout.
"""

from __future__ import annotations

import gc
import pickle
import sys


def main() -> None:
    gc.disable()  # one batch, like a command of the first process (cli._batch_memory)
    job = pickle.load(sys.stdin.buffer)
    try:
        from kuaidi_cli.commands.second_process import checked_elsewhere

        result: tuple[str, object] = ("ok", checked_elsewhere(*job))
    except KeyboardInterrupt:  # Ctrl-C reaches both processes: the first one reports it
        sys.exit(130)
    except BaseException as e:  # re-raised by the first process: a KuaidiError stays one line for the user
        result = ("error", e)
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that cannot be pickled: its type and text
        error = result[1]
        data = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
