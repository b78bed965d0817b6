"""The opinion: judgment-style drafts of the two shared cases, templates, catalogs.

Golden files live in tests/golden/opinion/ and are reviewed by reading them. After a change
to the rule pack or the templates, regenerate them with

    ASSESSOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_opinion.py

and read the diff before committing: the test accepts whatever the new output is.
"""
from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import load_pack, read_case
from assessor.engine.opinion import (CATALOG_LANGS, LOCALE_DIR, TEMPLATES_DIR, OpinionError,
                                     case_digest, catalog_messages, check_templates, render_opinion)

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "rules" / "cn"
HYPOS = PACK_DIR / "hypos"  # the two decided example cases are bundled with the pack
CASES = {"cat-pendant": HYPOS / "cat-pendant.yaml", "li-v-liu": HYPOS / "li-v-liu.yaml"}
GOLDEN = Path(__file__).resolve().parent / "golden" / "opinion"
LANGS = ("zh", "zh-Hant", "en", "zh+en")
UPDATE = os.environ.get("ASSESSOR_UPDATE_GOLDEN") == "1"

@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK_DIR)


def render(pack, name, lang="zh", fmt="md", templates=None):
    path = CASES[name]
    return render_opinion(pack, read_case(path, pack), lang=lang, fmt=fmt, templates=templates,
                          case_digest=case_digest(path))


@pytest.fixture(scope="module")
def opinions(pack):
    return {(n, lang, fmt): render(pack, n, lang, fmt) for n in CASES for lang in LANGS for fmt in ("md", "html")}


def _masked(text: str, pack) -> str:
    # the rule pack's digest changes with every edit of any rule file: keep it out of the diff
    return text.replace(pack.digest, "sha256:<rule-pack>")


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ("md", "html"))
def test_opinion_matches_its_reviewed_golden_file(opinions, pack, name, lang, fmt):
    text = _masked(opinions[(name, lang, fmt)], pack)
    path = GOLDEN / f"{name}.{lang}.{fmt}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with ASSESSOR_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def _reasoning(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


def test_the_seed_case_opinion_follows_the_judgment(opinions):
    zh = opinions[("cat-pendant", "zh", "md")]
    # structure of a civil judgment, in order
    marks = ["民事判决书", "原告周某向本院提出诉讼请求", "被告某科技公司辩称", "本院经审理查明",
             "本院认为，本案的争议焦点为", "判决如下", "驳回原告周某的全部诉讼请求", "案件受理费",
             "如不服本判决", "审　判　长", "附：本判决所依据的法律条文"]
    positions = [zh.index(m) for m in marks]
    assert positions == sorted(positions)
    reasoning = _reasoning(zh, "本院认为，本案的争议焦点为", "判决如下")
    # the four elements, fields and form met
    assert "作品须同时具备四个要件" in reasoning
    assert "本案中，涉案内容属于文学、艺术和科学领域" in reasoning
    assert "本案中，涉案内容能以一定形式表现" in reasoning
    # the burden on the plaintiff
    assert "举证责任由原告承担" in reasoning
    # the reproduction is an after-the-fact simulation: different conditions, not comparable
    assert "事后模拟复现" in reasoning and "不具有同一性和可比性" in reasoning
    assert "就证据E1（提示词）" in reasoning and "该证据不能证明其所证事实" in reasoning
    # and the facts found say so about E1, and that its output differs from the image
    facts = _reasoning(zh, "本院经审理查明", "本院认为，本案的争议焦点为")
    e1 = facts[facts.index("证据E1（"):]
    e1 = e1[:e1.index("\n")]
    assert "诉讼中的事后模拟复现" in e1 and "不予采信" in e1 and "存在出入" in e1 and "部分一致" in e1
    # originality not established; not a work; open-textured judgment marked
    assert "本案中，涉案内容的独创性未能得到证明" in reasoning
    assert "综上，现有证据不足以认定涉案内容构成作品" in reasoning
    assert "【此为需结合个案情况作出的裁量判断" in reasoning
    # authorship and infringement not reached
    assert "权属问题无需审查" in reasoning
    # the basis cites the provisions, nested title marks made single
    assert "依照《中华人民共和国著作权法》第三条" in zh
    assert "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十条" in zh
    # the fee: not computable (damages unstated), borne by the plaintiff
    assert "案件受理费【数额待定：诉讼请求金额不明】，由原告周某负担。" in zh
    # the appendix quotes the provision verbatim from the rule pack
    assert "第三条 本法所称的作品，是指文学、艺术和科学领域内具有独创性并能以一定形式表现的智力成果" in zh
    assert "2025年6月30日" in zh


def test_the_seed_case_in_english_uses_the_glossary_and_labels_the_translation(opinions):
    en = opinions[("cat-pendant", "en", "md")]
    for phrase in ("Civil Judgment", "All claims of the plaintiff 周某 are dismissed.",
                   "after-the-fact simulation", "the burden of proof lies with the plaintiff",
                   "the originality of the subject is not proven", "case acceptance fee",
                   "If a party disagrees with this judgment", "provisions of law applied in this judgment",
                   "[English text: unofficial working translation (not the official English text)]",
                   "This English text is an unofficial translation; the Chinese text prevails.",
                   "June 30, 2025"):
        assert phrase in en, phrase
    assert not re.search(r"[\u4e00-\u9fff]{2,}(?:应当|本院)", en)  # no untranslated boilerplate


def test_li_v_liu_opinion_finds_a_work_its_author_and_both_rights_infringed(opinions):
    zh = opinions[("li-v-liu", "zh", "md")]
    reasoning = _reasoning(zh, "本院认为，本案的争议焦点为", "判决如下")
    assert "综上，涉案内容构成著作权法意义上的作品" in reasoning
    assert "综上，原告是涉案作品的作者" in reasoning
    assert "被诉行为A1（署名权）" in reasoning and "被诉行为A1（信息网络传播权）" in reasoning
    assert "去除作者的署名或水印" in reasoning
    orders = _reasoning(zh, "判决如下", "案件受理费")
    assert "向原告李某赔礼道歉" in orders and "在百家号发布声明" in orders
    assert "赔偿原告李某经济损失" in orders and "人民币500元至人民币5,000元" in orders
    assert "驳回原告李某的其他诉讼请求" in orders
    assert "案件受理费人民币50元" in zh
    assert "原告李某向本院提出诉讼请求：1.判令被告向原告赔礼道歉；2.判令被告赔偿经济损失人民币5,000元。" in zh
    en = opinions[("li-v-liu", "en", "md")]
    assert "right of authorship" in en and "right of communication through information networks" in en
    assert "RMB 500" in en and "RMB 5,000" in en and "November 27, 2023" in en


def test_traditional_chinese_is_converted_with_opencc(opinions, pack):
    hant = opinions[("cat-pendant", "zh-Hant", "md")]
    assert "民事判決書" in hant and "駁回原告周某的全部訴訟請求" in hant
    assert "驳回" not in hant and "判决" not in hant
    assert "以簡體中文文本為準" in hant
    hk = render(pack, "cat-pendant", "zh-Hant-HK")
    assert "駁回" in hk


def test_parallel_text_alternates_chinese_and_english_paragraph_by_paragraph(opinions):
    md = opinions[("li-v-liu", "zh+en", "md")]
    i = md.index("驳回原告李某的其他诉讼请求")
    j = md.index("The other claims of the plaintiff 李某 are dismissed.")
    assert 0 < j - i < 200
    html = opinions[("li-v-liu", "zh+en", "html")]
    assert html.count('<div class="pair">') > 40
    assert '<p class="order" lang="zh-Hans">' in html and '<p class="order" lang="en">' in html


def test_html_is_ready_to_print_on_a4_with_cjk_fonts(opinions):
    html = opinions[("cat-pendant", "zh", "html")]
    assert "@page { size: A4;" in html and '"FangSong"' in html and '"Noto Serif CJK SC"' in html
    assert '<html lang="zh-Hans">' in html
    assert 'lang="zh-Hant"' in opinions[("cat-pendant", "zh-Hant", "html")]
    assert "<script" not in html


@pytest.mark.parametrize("fmt", ("md", "html", "docx"))
def test_two_runs_give_identical_bytes(pack, fmt):
    assert render(pack, "li-v-liu", "zh+en", fmt) == render(pack, "li-v-liu", "zh+en", fmt)


def test_the_stamp_names_version_rule_pack_law_date_and_case_digest(opinions, pack):
    md = opinions[("cat-pendant", "zh", "md")]
    stamp = md.strip().splitlines()[-1]
    assert "Assessor " in stamp and pack.digest in stamp and "2025-06-30" in stamp
    assert case_digest(CASES["cat-pendant"]) in stamp


def test_docx_opens_in_python_docx_with_judgment_typography(pack):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(render(pack, "cat-pendant", "zh", "docx")))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = next(p for p in paras if p.text == "民事判决书")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    numbered = [p.text for p in paras if re.match(r"\[\d+\] ", p.text)]
    assert numbered[0].startswith("[1] 原告周某与被告某科技公司")
    assert any("驳回原告周某的全部诉讼请求" in p.text for p in paras)
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    assert doc.core_properties.created.year == 2025  # the decision date, never the clock


def test_a_court_can_reword_one_rules_reasoning_paragraph(pack, tmp_path):
    target = tmp_path / "reasons" / "cn.cases.bjic_2025_cat_pendant" / "simulation_proves_nothing.j2"
    target.parent.mkdir(parents=True)
    target.write_text('{{ _("In this case, %(says)s%(burden)s.", says=groups[0].says | t, burden="") }}'
                      "本院另查明，复现所用的软硬件环境与原始生成不同。\n", encoding="utf-8")
    zh = render(pack, "cat-pendant", "zh", templates=tmp_path)
    assert "本案中，该证据不能证明其所证事实。本院另查明，复现所用的软硬件环境与原始生成不同。" in zh
    assert "参照周某诉北京某科技公司侵害著作权纠纷案（“猫咪晶钻吊坠”案）的裁判观点，诉讼中事后模拟复现" not in zh
    assert check_templates(tmp_path) == []


def _override(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "reasons" / "cn.copyright_law.art003" / "work.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_a_template_with_an_undefined_name_is_rejected_with_file_and_line(pack, tmp_path):
    path = _override(tmp_path, "{{ rule.explain | t }}\n{{ verdict_of_the_court }}\n")
    with pytest.raises(OpinionError) as e:
        render(pack, "cat-pendant", "zh", templates=tmp_path)
    assert f"{path}:2" in str(e.value) and "verdict_of_the_court" in str(e.value)
    assert check_templates(tmp_path) == [f"{path}:2: undefined name 'verdict_of_the_court'"]
    result = CliRunner().invoke(app, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 1 and f"{path}:2: undefined name" in result.output


def test_a_template_reaching_python_internals_is_rejected_with_file_and_line(pack, tmp_path):
    path = _override(tmp_path, "{{ rule.explain | t }}\n\n{{ rule.__class__.__mro__ }}\n")
    with pytest.raises(OpinionError) as e:
        render(pack, "cat-pendant", "zh", templates=tmp_path)
    assert f"{path}:3" in str(e.value) and "unsafe" in str(e.value)
    problems = check_templates(tmp_path)
    assert f"{path}:3: access to '__mro__' is not allowed (templates cannot reach Python internals)" in problems
    result = CliRunner().invoke(app, ["opinion", str(CASES["cat-pendant"]), "--templates", str(tmp_path)])
    assert result.exit_code == 1 and f"{path}:3" in result.output


def test_templates_check_reports_unknown_filters_and_missing_translations(tmp_path):
    path = tmp_path / "judgment.j2"
    path.write_text('{{ blk("para") }}{{ case.title | shout }}\n{{ _("Not in any catalog") }}\n', encoding="utf-8")
    problems = check_templates(tmp_path)
    assert f"{path}:1: unknown filter 'shout'" in problems
    assert any(p.startswith(f"{path}:2: message 'Not in any catalog' has no 'zh' translation") for p in problems)


def test_the_default_templates_pass_the_check():
    result = CliRunner().invoke(app, ["templates", "check", str(TEMPLATES_DIR)])
    assert result.exit_code == 0, result.output


def test_cli_writes_each_format_to_a_file(tmp_path):
    runner = CliRunner()
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"o.{fmt}"
        r = runner.invoke(app, ["opinion", str(CASES["li-v-liu"]), "--format", fmt, "--lang", "en", "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 5000
    r = runner.invoke(app, ["opinion", str(CASES["li-v-liu"]), "--lang", "fr"])
    assert r.exit_code == 2


# ---------------------------------------------------------------------------- catalogs

def catalog_gaps(locale_dir: Path) -> list[str]:
    """Messages present in one catalog but untranslated or missing in another."""
    msgs = {lang: catalog_messages(lang, locale_dir) for lang in CATALOG_LANGS}
    from babel.messages.pofile import read_po
    every = set()
    for lang in CATALOG_LANGS:
        with (locale_dir / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
            every |= {(m.context, m.id) for m in read_po(f) if m.id}
    return sorted(f"{lang}: {key[1]!r}" + (f" (context {key[0]})" if key[0] else "")
                  for key in every for lang in CATALOG_LANGS if key not in msgs[lang])


def test_every_message_has_a_chinese_and_an_english_text():
    assert catalog_gaps(LOCALE_DIR) == []


def test_the_parity_check_fails_when_a_message_lacks_a_language(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    zh = locale / "zh" / "LC_MESSAGES" / "messages.po"
    zh.write_text(zh.read_text(encoding="utf-8").replace('msgstr "民事判决书"', 'msgstr ""'), encoding="utf-8")
    en = locale / "en" / "LC_MESSAGES" / "messages.po"
    en.write_text(en.read_text(encoding="utf-8") + '\nmsgid "Only in English"\nmsgstr "Only in English"\n',
                  encoding="utf-8")
    assert catalog_gaps(locale) == ["zh: 'Civil Judgment'", "zh: 'Only in English'"]


def test_every_message_the_opinion_and_decide_use_is_in_both_catalogs(tmp_path):
    """Extraction as wired in pyproject.toml [tool.babel], over the templates, the case
    format (labels of case-file values) and the CLI modules of `decide` and `opinion`."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    pot = tmp_path / "messages.pot"
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "pyproject.toml", "-o", str(pot), "."])
    finally:
        os.chdir(cwd)
    mine = ("templates/", "rules/cn/case-format.yaml", "cli/main.py", "cli/opinion.py")
    with pot.open("rb") as f:
        wanted = {(m.context, m.id) for m in read_po(f)
                  if m.id and any(loc[0].startswith(mine) for loc in m.locations)}
    assert (None, "Civil Judgment") in wanted and ("evidence.kind", "after_the_fact_reproduction") in wanted
    for lang in CATALOG_LANGS:
        have = catalog_messages(lang)
        assert sorted(k for k in wanted if k not in have) == [], lang


def test_opinion_of_an_unfinished_case_file_has_placeholders_not_errors(tmp_path):
    from typer.testing import CliRunner
    from assessor.cli.main import app
    f = tmp_path / "partial.yaml"
    f.write_text("format: assessor.case/1\nsubject:\n  kind: image\n", encoding="utf-8")
    for lang, marks in (("zh", ["【原告姓名或名称】", "《【名称】》", "判决如下："]),
                        ("en", ["[name of the plaintiff]", "“[title]”", "The court renders the following judgment:"])):
        result = CliRunner().invoke(app, ["opinion", str(f), "--lang", lang])
        assert result.exit_code == 0, result.output
        for mark in marks:
            assert mark in result.output
