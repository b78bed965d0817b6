"""Images through Pillow: the embedded text a generator wrote, and the pixels.

PNG tEXt/iTXt/zTXt chunks (A1111 ``parameters``, ComfyUI ``prompt``/``workflow``, NovelAI
``Comment``), the EXIF UserComment and XMP packet of JPEG and WebP files. Pillow's own limits
guard against decompression bombs (too many pixels, oversized compressed text chunks).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, UnidentifiedImageError

from .items import EvidenceError

EXIF_IFD = 0x8769
USER_COMMENT = 0x9286
IMAGE_DESCRIPTION = 0x010E
FORMATS = ("PNG", "JPEG", "WEBP")


@dataclass
class ImageMeta:
    format: str
    size: tuple[int, int]
    text: dict[str, str] = field(default_factory=dict)   # PNG text chunks by keyword
    user_comment: str = ""
    description: str = ""
    xmp: str = ""


def _decode_user_comment(raw) -> str:
    # EXIF UserComment: an 8-byte character-code prefix, then the text (A1111 writes
    # "UNICODE\0" and UTF-16; byte order varies between writers, so look at the first byte)
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, bytes):
        return ""
    code, body = raw[:8], raw[8:]
    if code == b"UNICODE\0":
        return body.decode("utf-16-be" if body[:1] == b"\0" else "utf-16-le", "replace")
    if code in (b"ASCII\0\0\0", b"\0" * 8):
        return body.decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def open_image(data: bytes, source: str) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
        if img.format not in FORMATS:
            raise EvidenceError(source, f"{img.format} images are not read", "a PNG, JPEG or WebP image")
        img.load()   # decodes every chunk: a truncated file fails here, not later
        return img
    except EvidenceError:
        raise
    except Image.DecompressionBombError as exc:
        raise EvidenceError(source, f"refused as a decompression bomb ({exc})") from None
    except UnidentifiedImageError:
        raise EvidenceError(source, "not an image Pillow can identify", "a PNG, JPEG or WebP image") from None
    except (OSError, ValueError, SyntaxError) as exc:   # truncated data, bad CRC, oversized text chunk
        raise EvidenceError(source, f"damaged or truncated image: {exc}") from None


def read_meta(data: bytes, source: str) -> ImageMeta:
    """The metadata generators embed in an image file."""
    img = open_image(data, source)
    meta = ImageMeta(img.format, img.size)
    if img.format == "PNG":
        meta.text = {k: v for k, v in getattr(img, "text", {}).items() if isinstance(v, str)}
        meta.xmp = meta.text.pop("XML:com.adobe.xmp", "")
    exif = img.getexif()
    meta.user_comment = _decode_user_comment(exif.get_ifd(EXIF_IFD).get(USER_COMMENT)).strip("\0 ")
    meta.description = str(exif.get(IMAGE_DESCRIPTION) or "").strip("\0 ")
    xmp = img.info.get("xmp") or meta.xmp
    meta.xmp = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp or "")
    return meta


def pixels(data: bytes, source: str) -> Image.Image:
    """The image in RGBA, for comparing pixels."""
    return open_image(data, source).convert("RGBA")
