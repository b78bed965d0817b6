"""NovelAI: PNGs with ``Software: NovelAI``, the prompt in ``Description`` and a JSON
``Comment`` holding the prompt, the undesired content (``uc``), steps, scale, seed and
sampler; ``Source`` names the model."""
from __future__ import annotations

import json

from .generation import Generation


def looks_like(text: dict[str, str]) -> bool:
    return "Comment" in text and (text.get("Software", "").startswith("NovelAI") or '"uc"' in text["Comment"])


def parse(text: dict[str, str]) -> Generation:
    try:
        comment = json.loads(text["Comment"])
    except ValueError:
        comment = {}
    if not isinstance(comment, dict):
        comment = {}
    params = {k: comment[k] for k in ("steps", "scale", "seed", "sampler") if k in comment}
    if text.get("Source"):
        params["model"] = text["Source"]
    return Generation(tool="NovelAI", prompt=str(comment.get("prompt") or text.get("Description", "")),
                      negative=str(comment.get("uc", "")), params=params)
