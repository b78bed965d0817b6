"""Evidence benchmark: reading each kind of file, and keeping and checking a process trace.

    .venv/bin/python bench/evidence.py [--entries N]

Per file kind: milliseconds to turn one sample file (made as the tests make them) into an
evidence item (median of 5). Trace: milliseconds per `add` (signed, with its RFC 3161
request) and to `verify` a trace of N entries with four outputs each. Figures are printed,
never asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assessor.cli.main  # noqa: E402,F401  (the CLI modules in their usual import order)
from assessor.evidence import trace  # noqa: E402
from assessor.evidence.importer import Subject, import_file  # noqa: E402
from tests import evidence_samples as samples  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from engine import timed  # noqa: E402  (median wall time in ms, as bench/engine.py measures)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        signed = samples.c2pa_png(d / "c2pa.png")
        big = d / "conversations.json"
        big.write_text(json.dumps(samples.conversations() * 500), encoding="utf-8")
        files = {
            "A1111 PNG": samples.a1111_png(d / "a.png"),
            "ComfyUI PNG": samples.comfyui_png(d / "c.png"),
            "JPEG EXIF": samples.exif_jpeg(d / "e.jpg"),
            "C2PA PNG (read + validate)": signed,
            "ChatGPT export, 1,000 conversations": big,
            "CSV of prompts": samples.prompts_csv(d / "p.csv"),
        }
        none, subject = Subject(None), Subject(files["A1111 PNG"])
        print("import, ms per file (median of 5)")
        for name, path in files.items():
            print(f"  {name:40s} {timed(lambda path=path: import_file(path, none, 'en'), 5):8.2f}")
        print(f"  {'A1111 PNG with --subject (pixels, dHash)':40s} "
              f"{timed(lambda: import_file(files['ComfyUI PNG'], subject, 'en'), 5):8.2f}")

        folder, out = d / "trace", d / "out"
        out.mkdir()
        outputs = []
        for i in range(4):
            outputs.append(out / f"{i}.png")
            samples.picture(i, size=512).save(outputs[-1])
        trace.init(folder, sign=True)
        t = time.perf_counter()
        for n in range(args.entries):
            trace.add(folder, f"prompt {n}", {"seed": n}, outputs, [outputs[n % 4]])
        add = (time.perf_counter() - t) * 1000 / args.entries
        print(f"trace add, signed, 4 outputs of 512x512: {add:.2f} ms per entry ({args.entries} entries)")
        verify = timed(lambda: trace.verify(folder), 3)
        print(f"trace verify, {args.entries + 1} entries: {verify:.0f} ms ({verify / (args.entries + 1):.2f} ms per entry)")


if __name__ == "__main__":
    main()
