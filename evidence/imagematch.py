"""Does a file show the subject? Identical bytes, identical pixels, or a perceptual hash.

The perceptual hash is a 64-bit difference hash (dHash): the image in grey, 9x8 pixels, one
bit per horizontal step brighter or darker. Re-encoding, resizing and light edits change a few
bits; a different image about half of them. Everything runs locally.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from .items import sha256_hex
from .pillow_image import pixels

PARTLY_WITHIN = 10   # bits out of 64: within this, the same picture re-encoded or lightly edited


@dataclass(frozen=True)
class Match:
    matches: str          # yes | partly | no
    how: str              # bytes | pixels | phash
    distance: int = 0


def dhash(img: Image.Image) -> int:
    small = img.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    px = small.tobytes()   # one byte a pixel in mode L
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] > px[row * 9 + col + 1])
    return bits


def compare(data: bytes, source: str, subject: bytes, subject_name: str) -> Match:
    if sha256_hex(data) == sha256_hex(subject):
        return Match("yes", "bytes")
    a, b = pixels(data, source), pixels(subject, subject_name)
    if a.size == b.size and a.tobytes() == b.tobytes():
        return Match("yes", "pixels")
    distance = bin(dhash(a) ^ dhash(b)).count("1")
    return Match("partly" if distance <= PARTLY_WITHIN else "no", "phash", distance)
