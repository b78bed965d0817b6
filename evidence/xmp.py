"""IPTC DigitalSourceType in an XMP packet (``Iptc4xmpExt:DigitalSourceType``), as an
attribute or an element; the value is a URI of the IPTC digital-source-type vocabulary,
e.g. http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia."""
from __future__ import annotations

import re

_TYPE = re.compile(r"DigitalSourceType\s*(?:=\s*[\"']|>)\s*[^\"'<]*?digitalsourcetype/([A-Za-z]+)")
AI_TYPES = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia",
            "compositeSynthetic")


def digital_source_type(xmp: str) -> str:
    m = _TYPE.search(xmp or "")
    return m.group(1) if m else ""
