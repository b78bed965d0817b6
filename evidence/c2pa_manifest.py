"""C2PA manifests (Content Credentials), read and validated with c2pa-python.

The reader validates the claim signature and the hashes binding the manifest to the file.
``validation_state`` is ``Trusted`` (a signer on a trust list), ``Valid`` (signature and
hashes check out, signer not on a trust list) or ``Invalid`` (something was altered).
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import c2pa

from .items import EvidenceError

MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
SOURCE_TYPE_PREFIX = "digitalsourcetype/"


@dataclass
class Manifest:
    state: str                            # Trusted | Valid | Invalid
    generator: str = ""
    actions: list[str] = field(default_factory=list)
    source_type: str = ""                 # e.g. trainedAlgorithmicMedia
    ingredients: list[str] = field(default_factory=list)
    signer: str = ""
    failures: list[str] = field(default_factory=list)   # validation codes that failed
    untrusted: bool = False

    @property
    def valid(self) -> bool:
        return self.state in ("Valid", "Trusted")


def _generator(m: dict) -> str:
    info = m.get("claim_generator_info") or []
    if info and isinstance(info[0], dict):
        return " ".join(str(info[0].get(k, "")) for k in ("name", "version")).strip()
    return str(m.get("claim_generator", ""))


def read(data: bytes, image_format: str, source: str) -> Manifest | None:
    """The active manifest of an image, or None when the file carries none."""
    mime = MIME.get(image_format)
    if not mime or b"c2pa" not in data:
        return None   # cheap check first: every embedded manifest store is labelled "c2pa"
    try:
        reader = c2pa.Reader(mime, io.BytesIO(data))
        store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in text or "JumbfNotFound" in text:
            return None
        raise EvidenceError(source, f"the C2PA manifest cannot be read: {text}") from None
    manifest = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
    if not manifest:
        raise EvidenceError(source, "the C2PA manifest store has no active manifest")
    out = Manifest(state=str(store.get("validation_state") or reader.get_validation_state() or "Invalid"),
                   generator=_generator(manifest))
    for assertion in manifest.get("assertions", []):
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                out.actions.append(str(action.get("action", "")))
                dst = str(action.get("digitalSourceType", ""))
                if SOURCE_TYPE_PREFIX in dst and not out.source_type:
                    out.source_type = dst.rsplit("/", 1)[-1]
    out.ingredients = [str(i.get("title") or i.get("relationship") or "") for i in manifest.get("ingredients", [])]
    sig = manifest.get("signature_info", {})
    out.signer = ", ".join(str(sig[k]) for k in ("common_name", "issuer") if sig.get(k))
    statuses = store.get("validation_status") or []
    out.untrusted = any(s.get("code") == "signingCredential.untrusted" for s in statuses)
    failed = (store.get("validation_results") or {}).get("activeManifest", {}).get("failure", [])
    out.failures = sorted({str(f.get("code")) for f in failed if f.get("code") != "signingCredential.untrusted"})
    if out.failures and out.state != "Invalid":
        out.state = "Invalid"
    return out
