"""The `assessor` program's entry point. It imports nothing itself, so that Ctrl-C pressed
while the commands and the engine load ends the program quietly (exit 130), not with a
KeyboardInterrupt traceback."""
from __future__ import annotations

import sys


def main() -> None:
    try:
        from .main import main as run
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    run()
