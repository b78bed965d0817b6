"""Ed25519 signatures of trace entries, with `cryptography`.

The public key is written into the trace's first entry, so `verify` needs nothing else; the
private key stays in a PEM file the creator keeps (by default beside the trace, readable only
by its owner — move it elsewhere, with ``--key``, to keep it from whoever can edit the trace).
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .items import EvidenceError


def new_key(path: Path) -> str:
    """Create a private key at `path` (mode 0600); return the public key, base64."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return public_of(key)


def public_of(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise EvidenceError(path, f"cannot read the signing key ({exc})", "an Ed25519 private key in PEM") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise EvidenceError(path, "the signing key is not an Ed25519 key")
    return key


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def verify(public: str, signature: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(base64.b64decode(signature), message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
