"""Runs `tradewind trade -c <file>` for many config files in one interpreter (each start is
expected to fail) and prints one JSON line per file: exit code, stderr, and whether anything
escaped ``main`` as an exception.

    python -m tests.integration.badinput.starts CONFIG...

One interpreter for the whole matrix keeps it cheap; two cases in test_bad_starts.py run the
real `python -m tradewind` to prove the process exit code too.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
import traceback

from tradewind.cli import main


def _start(path: str) -> dict[str, object]:
    err = io.StringIO()
    escaped = None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["trade", "-c", path])
        except BaseException:  # the very thing under test: nothing may escape main
            code = None
            escaped = traceback.format_exc()
        finally:
            logging.shutdown()  # the next start sets up its own handlers
    return {"config": path, "code": code, "stderr": err.getvalue(), "escaped": escaped}


if __name__ == "__main__":
    for config_path in sys.argv[1:]:
        print(json.dumps(_start(config_path)), flush=True)
