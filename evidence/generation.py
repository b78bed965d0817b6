"""What a generator's metadata says about one generation, whatever tool wrote it."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..cli.i18n import gettext
from .items import joined

# the parameters worth naming in a description, in this order, under the tools' own names
SHOWN = ("Steps", "Sampler", "CFG scale", "Seed", "Size", "Model", "steps", "sampler_name", "sampler",
         "cfg", "scale", "seed", "ckpt_name", "model")


@dataclass
class Generation:
    tool: str
    prompt: str = ""
    negative: str = ""
    params: dict = field(default_factory=dict)
    nodes: int = 0             # nodes of a workflow graph (ComfyUI)

    def summary(self, lang: str, limit: int = 160) -> str:
        shown = [f"{k} {self.params[k]}" for k in SHOWN if k in self.params]
        parts = []
        if self.prompt:
            parts.append(gettext("prompt «%(text)s»", lang) % {"text": clip(self.prompt, limit)})
        if self.negative:
            parts.append(gettext("negative prompt «%(text)s»", lang) % {"text": clip(self.negative, 60)})
        if shown:
            parts.append(", ".join(shown))
        if self.nodes:
            parts.append(gettext("graph of %(n)d nodes", lang) % {"n": self.nodes})
        return joined(parts, lang)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
