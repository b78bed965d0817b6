"""The judgment as a Word document (python-docx): A4, FangSong, page numbers, language tags.

Receives the opinion's blocks (kind + one text per language) from :mod:`engine.opinion` and
lays them out: headings kept with the paragraph that follows, every run tagged with its
language (zh-CN / zh-TW for Chinese, en-US for English) so spelling and line breaking work,
a centred page number in the footer, and, in the parallel zh+en text, the English set
smaller and tighter under each Chinese paragraph so the document stays printable. The same
blocks give the same bytes (fixed timestamps and zip order).
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

_DOCX_EPOCH = (1980, 1, 1, 0, 0, 0)
CJK_SERIF = "仿宋"          # FangSong, with SimSun / Songti as the fallback fonts named in the theme
CJK_FALLBACKS = ("FangSong", "STFangsong", "SimSun", "Songti SC", "Noto Serif CJK SC")
#: block kinds that head what follows: never left alone at the foot of a page
HEADINGS = ("court", "doctitle", "docket", "heading", "issue", "provision-title")
#: language tags of the blocks -> Word's language ids
WORD_LANG = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "en": "en-US"}


def write_docx(blocks, stamp: dict) -> bytes:
    """`blocks`: objects with .kind and .texts = [(language tag, text)]; `stamp`: the opinion's
    reproducibility stamp (version, pack, digest, law_as_of, case_digest)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin = sec.bottom_margin = Cm(3.7 - 1.0)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), CJK_SERIF)
    first_tag = blocks[0].texts[0][0] if blocks else "zh-Hans"
    _lang(rpr, first_tag, qn)
    _page_number(sec.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER, qn)
    cp = doc.core_properties
    cp.title = blocks[0].texts[0][1] if blocks else ""
    cp.author = "Assessor " + stamp["version"]
    cp.comments = f"rule pack {stamp['digest']}; case {stamp['case_digest']}"
    cp.language = WORD_LANG.get(first_tag, "zh-CN")
    fixed = _fixed_datetime(stamp["law_as_of"])
    cp.created = cp.modified = fixed
    cp.last_printed = fixed
    cp.revision = 1
    cp.last_modified_by = "Assessor"

    for b in blocks:
        parallel = len(b.texts) > 1
        for tag, text in b.texts:
            second = parallel and tag == "en"   # the English under its Chinese paragraph
            p = doc.add_paragraph()
            fmt = p.paragraph_format
            fmt.line_spacing = Pt(15 if second else 28)
            fmt.space_after = Pt(4 if second else 0)
            if b.kind in HEADINGS or (parallel and not second):
                fmt.keep_with_next = True
            if b.kind in ("court", "doctitle", "heading"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif b.kind in ("docket", "sign", "date"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif b.kind in ("para", "party", "order", "issue"):
                fmt.first_line_indent = Pt(21 if second else 28)
            elif b.kind == "provision":
                fmt.left_indent = Pt(28)
            lines = text.split("\n")
            for j, line in enumerate(lines):
                run = p.add_run(line)
                if j < len(lines) - 1:
                    run.add_break()
                if b.kind in ("court", "doctitle", "heading", "issue", "provision-title"):
                    run.bold = True
                if b.kind in ("court", "doctitle"):
                    run.font.size = Pt(22 if b.kind == "doctitle" else 18)
                elif b.kind == "note":
                    run.font.size = Pt(10)
                elif second:
                    run.font.size = Pt(10)
                    run.font.color.rgb = RGBColor(0x33, 0x33, 0x66)
                elif b.kind == "provision":
                    run.font.size = Pt(12)
                props = run.element.get_or_add_rPr()
                props.get_or_add_rFonts().set(qn("w:eastAsia"), CJK_SERIF)
                _lang(props, tag, qn)
    p = doc.add_paragraph()
    r = p.add_run(f"Assessor {stamp['version']} · {stamp['pack']} {stamp['digest']} · "
                  f"law as of {stamp['law_as_of']} · case {stamp['case_digest']}")
    r.font.size = Pt(8)
    _lang(r.element.get_or_add_rPr(), "en", qn)
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _lang(rpr, tag: str, qn) -> None:
    """<w:lang w:val=".." w:eastAsia=".."/>: English text en-US, Chinese text zh-CN or zh-TW."""
    from docx.oxml import OxmlElement
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    word = WORD_LANG.get(tag, "zh-CN")
    el.set(qn("w:val"), "en-US" if word == "en-US" else word)
    el.set(qn("w:eastAsia"), "zh-TW" if word == "zh-TW" else "zh-CN")


def _page_number(paragraph, align, qn) -> None:
    """A centred page number (a PAGE field, which Word and LibreOffice fill in)."""
    from docx.oxml import OxmlElement
    paragraph.alignment = align
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _fixed_datetime(day: str) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, 0, 0, 0)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and order, so the same input gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, _DOCX_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()
