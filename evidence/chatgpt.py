"""A ChatGPT data export (``conversations.json``, alone or in the export's zip).

The file is a list of conversations; each has a ``title``, ``create_time`` (Unix seconds) and a
``mapping`` of message nodes (``message.author.role``, ``message.create_time``,
``message.content.parts``). Image generations (DALL·E) appear as parts of type
``image_asset_pointer`` whose ``metadata.dalle`` carries the prompt the tool actually used.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .items import EvidenceError


@dataclass
class Conversation:
    title: str
    started: str                     # ISO date-time (UTC) or ""
    prompts: list[tuple[str, str]] = field(default_factory=list)     # (time, text) of the user's messages
    image_prompts: list[str] = field(default_factory=list)           # prompts the image tool ran


def _time(t) -> str:
    try:
        return datetime.fromtimestamp(float(t), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def _texts(parts) -> list[str]:
    return [p for p in parts or [] if isinstance(p, str) and p.strip()]


def parse(data: bytes, source: str) -> list[Conversation]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EvidenceError(source, f"not a JSON file ({exc})", "a ChatGPT conversations.json") from None
    if not isinstance(doc, list) or not all(isinstance(c, dict) and "mapping" in c for c in doc):
        raise EvidenceError(source, "not a ChatGPT export", "a list of conversations, each with a 'mapping'")
    out = []
    for conv in doc:
        c = Conversation(str(conv.get("title") or ""), _time(conv.get("create_time")))
        nodes = [n.get("message") for n in (conv.get("mapping") or {}).values() if isinstance(n, dict)]
        nodes = sorted((m for m in nodes if isinstance(m, dict)), key=lambda m: float(m.get("create_time") or 0))
        for msg in nodes:
            role = (msg.get("author") or {}).get("role")
            content = msg.get("content") or {}
            parts = content.get("parts") or []
            if role == "user":
                c.prompts += [(_time(msg.get("create_time")), t) for t in _texts(parts)]
            for part in parts:
                if isinstance(part, dict) and part.get("content_type") == "image_asset_pointer":
                    dalle = (part.get("metadata") or {}).get("dalle") or {}
                    if dalle.get("prompt"):
                        c.image_prompts.append(str(dalle["prompt"]))
        if c.prompts or c.image_prompts:
            out.append(c)
    return out
