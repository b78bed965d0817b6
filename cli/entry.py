"""The `assessor` program's entry point. It imports nothing itself, so that Ctrl-C pressed
while the commands and the engine load ends the program quietly (exit 130), not with a
KeyboardInterrupt traceback.

Python's cyclic garbage collector is paused while the commands and the engine load: importing
them makes some hundred thousand objects, none of them garbage, and the collector walked them
again and again (some 10 ms of `assessor decide`). Once loaded they are frozen (gc.freeze): they
live as long as the program, so later collections leave them out."""
from __future__ import annotations

import gc
import sys


def main() -> None:
    gc.disable()
    try:
        from .main import main as run
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    gc.freeze()
    gc.enable()
    run()
