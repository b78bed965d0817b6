"""`assessor evidence import`: which reader a file needs, and the evidence items it yields.

Every item records the file's SHA-256 so the opinion can cite the exhibit, and how its time
is supported (``timing``): metadata any editor can write is ``unverified``; a valid C2PA
signature makes it ``verified``; a manifest that fails validation makes it ``broken``.
"""
from __future__ import annotations

from pathlib import Path

from ..cli.i18n import gettext
from . import a1111, archive, c2pa_manifest, chatgpt, comfyui, novelai, prompt_csv, xmp
from .generation import Generation, clip
from .imagematch import compare
from .items import EvidenceError, Item, contemporaneous_for, joined, read_file, sha256_hex
from .pillow_image import ImageMeta, read_meta


class Subject:
    """The image in dispute, read once, compared with every imported file."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data = read_file(path) if path else None

    def match(self, data: bytes, source: str, lang: str) -> tuple[str, str]:
        """(matches_subject, a phrase saying how it was decided)."""
        if self.data is None:
            return "unknown", ""
        m = compare(data, source, self.data, str(self.path))
        how = {"bytes": gettext("identical to the subject file", lang),
               "pixels": gettext("same pixels as the subject", lang)}.get(m.how)
        if how is None:
            how = gettext("perceptual-hash distance %(d)d/64 from the subject", lang) % {"d": m.distance}
        return m.matches, how


def import_file(path: Path, subject: Subject, lang: str) -> list[Item]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".zip", ".json"):
        return _chatgpt(path, lang)
    if suffix == ".csv":
        return _csv(path, lang)
    return _image(path, subject, lang)


def _generation(meta: ImageMeta) -> Generation | None:
    text = meta.text
    if "parameters" in text and a1111.looks_like(text["parameters"]):
        return a1111.parse(text["parameters"])
    if "prompt" in text:
        try:
            return comfyui.parse(text["prompt"], text.get("workflow", ""))
        except comfyui.NotComfy:
            pass
    if novelai.looks_like(text):
        return novelai.parse(text)
    for field in (meta.user_comment, meta.description):
        if field and a1111.looks_like(field):
            return a1111.parse(field)
    return None


def generation_of(data: bytes, source: str) -> Generation | None:
    """What a generator wrote into an image file about how it was made (None if nothing)."""
    return _generation(read_meta(data, source))


def _image(path: Path, subject: Subject, lang: str) -> list[Item]:
    data = read_file(path)
    meta = read_meta(data, str(path))
    manifest = c2pa_manifest.read(data, meta.format, str(path))
    gen = _generation(meta)
    source_type = xmp.digital_source_type(meta.xmp)
    if not (gen or manifest or source_type):
        raise EvidenceError(path, "found no generation metadata, C2PA manifest or IPTC digital source type",
                            "an image written by a generator (A1111/Forge, ComfyUI, NovelAI) or signed with C2PA")
    parts = []
    if gen:
        parts.append(gettext("%(tool)s metadata: %(summary)s", lang) % {"tool": gen.tool, "summary": gen.summary(lang)})
    if manifest:
        parts.append(_manifest_text(manifest, lang))
    if source_type:
        parts.append(gettext("XMP digital source type: %(type)s", lang) % {"type": source_type})
    timing = "unverified"
    if manifest:
        timing = "verified" if manifest.valid else "broken"
    matches, how = subject.match(data, str(path), lang)
    proves = ["prompt"] if gen and gen.prompt else []
    if manifest and any(a.endswith("edited") for a in manifest.actions):
        proves.append("post_editing")
    if manifest and manifest.ingredients:
        proves.append("own_input_material")
    return [_item("generation_metadata", proves, timing, matches, path, sha256_hex(data), parts, how, lang)]


def _manifest_text(m: c2pa_manifest.Manifest, lang: str) -> str:
    state = {"Trusted": gettext("signature valid, signer trusted", lang),
             "Valid": gettext("signature valid, signer not on a trust list", lang)}.get(
        m.state, gettext("validation failed (%(codes)s)", lang) % {"codes": ", ".join(m.failures) or m.state})
    text = gettext("C2PA manifest by %(generator)s, actions %(actions)s, signed by %(signer)s: %(state)s", lang) % {
        "generator": m.generator or "?", "actions": ", ".join(m.actions) or "-", "signer": m.signer or "?",
        "state": state}
    extra = []
    if m.source_type:
        extra.append(gettext("digital source type: %(type)s", lang) % {"type": m.source_type})
    if m.ingredients:
        extra.append(gettext("ingredients: %(names)s", lang) % {"names": ", ".join(m.ingredients)})
    return joined([text] + extra, lang)


def _item(kind, proves, timing, matches, path: Path, digest: str, parts: list[str], how: str, lang: str) -> Item:
    timing_text = {"unverified": gettext("time of writing unverified (any editor can write such data)", lang),
                   "verified": gettext("integrity verified", lang),
                   "broken": gettext("integrity check failed", lang)}[timing]
    head = gettext("File %(file)s (SHA-256 %(sha)s)", lang) % {"file": path.name, "sha": digest[:16]}
    tail = [timing_text] + ([how] if how else [])
    return Item(kind, proves, contemporaneous_for(timing), matches, joined([head] + parts + tail, lang), timing,
                source=path.name, sha256=digest)


def _chatgpt(path: Path, lang: str) -> list[Item]:
    raw = read_file(path)   # the exhibit is the file as given (the zip, if zipped)
    data = archive.read_member(path, ("conversations.json",))[1] if path.suffix.lower() == ".zip" else raw
    conversations = chatgpt.parse(data, str(path))
    with_images = [c for c in conversations if c.image_prompts]
    chosen = with_images or conversations
    if not chosen:
        raise EvidenceError(path, "the export holds no conversation with a prompt")
    items = []
    digest = sha256_hex(raw)
    for c in chosen:
        first = c.prompts[0][1] if c.prompts else c.image_prompts[0]
        text = gettext("ChatGPT conversation «%(title)s» started %(started)s: %(n)d prompts, %(images)d images "
                       "generated; first prompt «%(first)s»", lang) % {
            "title": c.title, "started": c.started or "?", "n": len(c.prompts), "images": len(c.image_prompts),
            "first": clip(first, 160)}
        proves = ["prompt"] + (["iterations"] if len(c.prompts) + len(c.image_prompts) > 1 else [])
        item = _item("platform_account_history", proves, "unverified", "unknown", path, digest, [text], "", lang)
        item.part = f"«{c.title}»"
        items.append(item)
    return items


def _csv(path: Path, lang: str) -> list[Item]:
    data = read_file(path)
    rows = prompt_csv.parse(data, str(path))
    text = gettext("prompt log of %(n)d rows from %(first)s to %(last)s; first prompt «%(prompt)s»", lang) % {
        "n": len(rows), "first": rows[0].time or "?", "last": rows[-1].time or "?",
        "prompt": clip(rows[0].prompt, 160)}
    proves = ["prompt"] + (["iterations"] if len(rows) > 1 else [])
    if len({r.params for r in rows if r.params}) > 1:
        proves.append("parameters_adjusted")
    return [_item("original_generation_record", proves, "unverified", "unknown", path, sha256_hex(data), [text], "", lang)]
