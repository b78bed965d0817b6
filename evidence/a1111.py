"""AUTOMATIC1111 / Forge: the ``parameters`` text the web UI writes into PNGs (and into the
EXIF UserComment of JPEG/WebP)::

    a crystal cat pendant, studio light
    Negative prompt: blurry
    Steps: 30, Sampler: DPM++ 2M, CFG scale: 7, Seed: 1234, Size: 768x768, Model: sdxl
"""
from __future__ import annotations

import re

from .generation import Generation

_PAIR = re.compile(r'\s*([\w \-/]+):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)')


def looks_like(text: str) -> bool:
    return bool(re.search(r"(^|\n)Steps: \d+", text))


def parse(text: str) -> Generation:
    lines = text.strip().split("\n")
    params: dict[str, str] = {}
    if lines and re.match(r"Steps: \d+", lines[-1]):
        params = {k.strip(): v.strip().strip('"') for k, v in _PAIR.findall(lines.pop())}
    prompt, negative, into_negative = [], [], False
    for line in lines:
        if line.startswith("Negative prompt:"):
            into_negative = True
            line = line[len("Negative prompt:"):].strip()
        (negative if into_negative else prompt).append(line)
    return Generation(tool="AUTOMATIC1111/Forge", prompt="\n".join(prompt).strip(),
                      negative="\n".join(negative).strip(), params=params)
