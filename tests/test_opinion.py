"""The opinion: judgment-style drafts of the two shared cases, templates, catalogs.

Golden files live in tests/golden/opinion/ and are reviewed by reading them. After a change
to the rule pack or the templates, regenerate them with

    ASSESSOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_opinion.py

(which fails, saying which files it rewrote: see tests/golden.py), read the diff, and run the
tests again.
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
                                     case_digest, render_opinion)
from assessor.engine.i18n import catalog_messages
from assessor.engine.template_check import check_templates

from .conftest import sampled
from .golden import GOLDEN, check_golden

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "rules" / "cn"
HYPOS = PACK_DIR / "hypos"  # the two decided example cases are bundled with the pack
CASES = {"cat-pendant": HYPOS / "cat-pendant.yaml", "li-v-liu": HYPOS / "li-v-liu.yaml"}
LANGS = ("zh", "zh-Hant", "en", "zh+en")



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
@pytest.mark.parametrize("lang", ("zh", "en"))
def test_opinion_matches_its_reviewed_golden_file(opinions, pack, name, lang):
    """One Markdown golden file per case and language, read in review; the other renderings
    are checked for their structure against these (below)."""
    text = _masked(opinions[(name, lang, "md")], pack)
    check_golden(GOLDEN / "opinion" / f"{name}.{lang}.md", text)


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
    # one issue: no "分别评述"; the work's four elements; field and form settled in one sentence
    assert "本院分别评述如下" not in reasoning
    assert "根据《中华人民共和国著作权法》第三条的规定，作品须同时具备四个要件" in reasoning
    assert "本院认为，本案的争议焦点为涉案图片是否构成作品。" in reasoning   # the subject named by its kind
    assert "本案中，涉案图片属于文学、艺术和科学领域；涉案图片能以一定形式表现，本院予以确认。" in reasoning
    assert "双方的争议在于独创性、智力成果要件是否具备。" in reasoning
    # then, in the court's order: AI lowers the demand on human input, so it is judged case by
    # case; who must prove the creative process (谁主张，谁举证; Art. 90 quoted whole); what the
    # plaintiff offered; why the reproduction proves nothing; the facts left unproven, once
    order = ["利用人工智能生成内容降低了对人的智力投入的要求", "须结合人使用工具的具体情况个案判断",
             "由负有举证证明责任的当事人承担不利的后果”", "“谁主张，谁举证”", "实际输入的提示词",
             "本案中，为证明提示词、迭代调整的过程、参数设置与调整、对生成结果的筛选，原告提交了"
             "证据E1（诉讼中的事后模拟复现）、证据E2（当事人陈述）。",
             "不具有同一性和可比性", "证据E1所示结果与涉案图片仅部分一致",
             "不能证明原告原始输入的提示词，亦无法据此推知原告在生成过程中所作的选择与安排",
             "当事人对自己提出的主张，有责任提供证据”",
             "据此，原告所主张的提示词、迭代调整的过程、参数设置与调整、对生成结果的筛选均未得到证明，"
             "应由原告承担举证不能的不利后果。",
             "本案中，原告未能证明其对涉案图片的独创性智力投入。",
             "综上，现有证据不足以认定涉案图片构成作品。"]
    # the unproven facts said once, not clause by clause; no open-textured remark on points the
    # case does not raise (no own material fed in, no rounds of prompts claimed), nor on
    # points that fail for want of proof, where there is nothing to weigh
    assert "该事实未得到证明（举证责任由原告承担）" not in reasoning
    assert "自行创作的素材" not in reasoning and "多轮" not in reasoning
    assert "【此为需结合个案情况作出的裁量判断" not in reasoning
    # a holding noted once, not with every rule taken from it
    assert reasoning.count("本院注意到") == 1
    at = [reasoning.index(x) for x in order]
    assert at == sorted(at)
    # statutes quoted only as whole sentences
    assert "“在作出判决前，当事人未能提供证据或者证据不足以证明其事实主张的，由负有举证证明责任的当事人承担不利的后果”" in reasoning
    assert "“本法不适用于”" not in zh and "“侵犯著作权”" not in zh
    # the case itself (published after the decision date) is never cited, nor is anything 参照'd
    assert "猫咪晶钻吊坠”案" not in reasoning and "参照" not in reasoning
    # the reasoning rests on the Regulations' definition; earlier holdings are cited as support,
    # but not Feilin v. Baidu for what it said of AI only in passing (obiter)
    assert "（另见李某诉刘某侵害作品署名权" in reasoning
    assert "菲林" not in zh
    # authorship and infringement not reached; defences raised answered, none not raised
    assert "对于原告是否为作者、原告是否享有著作权、被告是否侵害原告著作权的问题，本院不再审查。" in reasoning
    assert "对被告的其他抗辩意见（系双方合作创作、未作商业使用），本院不再评述。" in reasoning
    assert "合理使用" not in reasoning and "许可" not in reasoning and "第五条" not in zh
    # "not original" here says the plaintiff kept no records: the defendant produced no earlier
    # work, so its burden of proving one (Regulations Art. 2) is not discussed
    assert "在先作品" not in reasoning and "举证责任由被告承担" not in reasoning
    # the party's own statement (CPL Art. 78) is said not to prove the facts, as the holding
    # (not proven) has it; "尚不能确定" would leave the record open
    assert "本案中，就证据E2（提示词、迭代调整的过程、对生成结果的筛选）而言，该证据不足以证明其所证事实。" in reasoning
    assert "尚不能确定" not in reasoning
    # the basis: laws, then regulations, then judicial interpretations
    assert ("依照《中华人民共和国著作权法》第三条，《中华人民共和国民事诉讼法》第六十七条、第七十八条，《中华人民共和国著作权法实施条例》"
            "第二条、第三条，《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十条、第九十一条、第一百零八条之规定，判决如下") in zh
    # the fee: not computable (damages unstated), borne by the plaintiff; no money ordered, no late-performance clause
    # the fee by Measures Art. 13 (how much) and Art. 29 (the losing party bears it)
    assert "依照《诉讼费用交纳办法》第十三条、第二十九条的规定，案件受理费【数额待定：诉讼请求金额不明】，由原告周某负担。" in zh
    assert "迟延履行" not in zh
    assert "并按照对方当事人或者代表人的人数提出副本" in zh
    # the appendix quotes the provision verbatim from the rule pack
    assert "第三条 本法所称的作品，是指文学、艺术和科学领域内具有独创性并能以一定形式表现的智力成果" in zh
    assert "二〇二五年六月三十日" in zh


def test_the_seed_case_in_english_uses_the_glossary_and_labels_the_translation(opinions):
    en = opinions[("cat-pendant", "en", "md")]
    assert en.startswith("*[Draft generated by Assessor from its rule pack; it has no legal effect.] "
                         "This English text is an unofficial translation; the Chinese text prevails.*")
    for phrase in ("Civil Judgment", "All claims of the plaintiff 周某 are dismissed.",
                   "after-the-fact simulation", "the burden of proof lies with the plaintiff",
                   "the originality of the image is not proven", "case acceptance fee",
                   "If a party disagrees with this judgment", "provisions of law applied in this judgment",
                   "[English text: unofficial working translation (not the official English text)]",
                   "This English text is an unofficial translation; the Chinese text prevails.",
                   "June 30, 2025"):
        assert phrase in en, phrase
    assert not re.search(r"[\u4e00-\u9fff]{2,}(?:应当|本院)", en)  # no untranslated boilerplate
    # Chinese free text from the case file is quoted, never spliced into an English sentence
    assert "using “AI绘画软件”" in en and "published it on “微信群聊”" in en
    # with the case file's English gloss where it has one (glosses)
    assert "the image “猫咪晶钻吊坠” (Cat Crystal Pendant), using “AI绘画软件” (an AI drawing tool)" in en
    assert "published it on “微信群聊” (a WeChat group chat)" in en
    assert "“原告未提交涉案图片的生成过程记录” (the plaintiff has produced no record of how the image was generated)" in en
    assert "permitted use" not in en or "fair use" not in en
    # the party's own statement does not prove the facts (as the holding says), nor the prior-work burden unraised
    assert ("as to evidence E2 (the prompts, the iterations, and the selection among outputs), "
            "the item is not enough to prove the fact it is offered for.") in en
    assert "is not shown" not in en and "earlier work" not in en
    # several articles of one instrument cited as English does: Arts. 13 and 29
    assert "In accordance with Measures on the Payment of Litigation Costs, Arts. 13 and 29, the case acceptance fee" in en
    assert "Regulations for the Implementation of the Copyright Law of the People's Republic of China, Arts. 2 and 3;" in en


def test_li_v_liu_opinion_finds_a_work_its_author_and_both_rights_infringed(opinions):
    zh = opinions[("li-v-liu", "zh", "md")]
    reasoning = _reasoning(zh, "本院认为，本案的争议焦点为", "判决如下")
    assert "综上，涉案图片构成著作权法意义上的作品" in reasoning
    assert "综上，原告是涉案作品的作者" in reasoning
    # the evidence, its weighing and the facts found are said once each, as the judgment does:
    # no generic "evidence of the plaintiff proves its facts" after each item, an item weighed
    # like the one before it says so, the facts found on one item in one sentence, and the
    # standard of proof (Art. 108) once per issue as the finding, not twice
    assert "原告提交的证据经审查具有证明力的" not in zh
    assert "本院对该证据予以采信，理由同证据E1。" in zh
    assert ("关于提示词（原告主张：详细的提示词）、迭代调整的轮次（原告主张：3）、参数调整（原告主张：是）、"
            "从候选结果中筛选（原告主张：是），提交了证据E1；本院认定：上述事实均已得到证明。") in zh
    assert "根据《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百零八条的规定，本院认定提示词、迭代调整的过程已得到证明。" in reasoning
    assert reasoning.count("第一百零八条的规定") == 2 and "高度可能性的，认定该事实存在" not in reasoning
    assert "被诉行为A1（署名权）" in reasoning and "被诉行为A1（信息网络传播权）" in reasoning
    assert "去除作者的署名或水印" in reasoning
    orders = _reasoning(zh, "判决如下", "案件受理费")
    assert "于本判决生效之日起十日内在百家号发布致歉声明，向原告李某赔礼道歉，声明保留连续【天数】日" in orders
    assert "赔偿原告李某经济损失人民币【数额】元" in orders
    assert "人民币500元至" not in orders   # the project's indicative range is not an order's term
    assert "三、驳回原告李某的其他诉讼请求。" in orders
    # money ordered: the late-performance clause, the article in force on 2023-11-27 (CPL 2021, Art. 260)
    assert "应当依照《中华人民共和国民事诉讼法》第二百六十条之规定，加倍支付迟延履行期间的债务利息。" in orders
    # partly upheld: the shares are the court's to decide (Measures Art. 29 para. 2)
    assert ("依照《诉讼费用交纳办法》第十三条、第二十九条的规定，案件受理费人民币50元，由原告李某、被告刘某按本院根据"
            "案件具体情况决定的数额各自负担：原告负担人民币【数额】元，被告负担人民币【数额】元。") in zh
    assert "原告李某向本院提出诉讼请求：1.判令被告向原告赔礼道歉；2.判令被告赔偿经济损失人民币5,000元。" in zh
    # the no-commercial-use defence answered; no licence or permitted use nobody pleaded
    assert "被告关于无商业使用、无侵权故意的抗辩不能免除其侵权责任" in reasoning
    assert "合理使用" not in reasoning and "获得许可" not in reasoning
    # a defence of no listed kind is named by what the defendant said, and left to the court
    assert "对于被告的其他抗辩意见（无法确认图片来源，不确定原告是否享有权利），【由审判人员评述】。" in reasoning
    # the disposition without the bookkeeping on the way to it
    # the disposition without the bookkeeping on the way to it, nor a restatement of the orders
    assert "原告主张的部分民事责任不能全部得到支持" not in reasoning and "本案中，部分支持原告的诉讼请求。" not in reasoning
    # the case itself is not cited (decided the same day)
    assert "李某诉刘某侵害作品署名权、信息网络传播权纠纷案" not in reasoning
    assert "二〇二三年十一月二十七日" in zh
    en = opinions[("li-v-liu", "en", "md")]
    assert "right of authorship" in en and "right of communication through information networks" in en
    assert "RMB 5,000" in en and "November 27, 2023" in en


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
    assert not [p.text for p in paras if re.match(r"\[\d+\] ", p.text)]   # no paragraph numbers
    assert any(p.text.startswith("原告周某与被告某科技公司") for p in paras)
    # headings kept with the paragraph that follows them
    assert title.paragraph_format.keep_with_next
    issue_or_heading = next(p for p in paras if p.text.startswith("附："))
    assert issue_or_heading.paragraph_format.keep_with_next
    # a page number in the footer, Chinese tagged zh-CN
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    # in the parallel text, English paragraphs are tagged en-US
    both = docx.Document(io.BytesIO(render(pack, "cat-pendant", "zh+en", "docx")))
    en = next(p for p in both.paragraphs if p.text.startswith("All claims of the plaintiff"))
    assert en.runs[0].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-US"
    assert en.runs[0].font.size.pt < 14
    assert any("驳回原告周某的全部诉讼请求" in p.text for p in paras)
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    assert doc.core_properties.created.year == 2025  # the decision date, never the clock


def test_a_court_can_reword_one_rules_reasoning_paragraph(pack, tmp_path):
    target = tmp_path / "reasons" / "cn.cpl_interpretation.art108" / "simulation_proves_nothing.j2"
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


# ---------------------------------------------------------------------------- structure of the other renderings

def _kinds_html(html: str) -> list[str]:
    return re.findall(r'<p class="([a-z-]+)"', html)


@pytest.mark.parametrize("name", sorted(CASES))
def test_html_zh_hant_and_parallel_texts_have_the_structure_of_the_chinese_draft(opinions, name):
    """The golden files are the Markdown drafts; the other renderings are checked against
    them block by block, so a change of wording is reviewed once."""
    zh_md, zh_html = opinions[(name, "zh", "md")], opinions[(name, "zh", "html")]
    kinds = _kinds_html(zh_html)
    assert kinds[:3] == ["note", "court", "doctitle"] and "order" in kinds and "provision" in kinds
    # the HTML holds the Markdown's paragraphs, in order
    paras = [p for p in zh_md.split("\n\n") if p and not p.startswith(("#", "**", "*", ">", "---"))]
    html_text = re.sub(r"<[^>]+>", "", zh_html)
    pos = 0
    for p in paras[:-1]:
        pos = html_text.find(p.replace("\\", "").split("\n")[0][:40], pos)
        assert pos >= 0, p
    # Traditional Chinese: the same blocks, converted
    hant_md, hant_html = opinions[(name, "zh-Hant", "md")], opinions[(name, "zh-Hant", "html")]
    assert _kinds_html(hant_html) == kinds
    assert len(hant_md.split("\n\n")) == len(zh_md.split("\n\n"))
    assert "判決如下" in hant_md and "判决如下" not in hant_md
    # zh+en: each block in Chinese then English
    pairs = re.findall(r'<div class="pair">\s*<p class="([a-z-]+)" lang="zh-Hans">.*?</p>\s*<p class="\1" lang="en">',
                       opinions[(name, "zh+en", "html")], re.S)
    assert pairs == kinds
    md = opinions[(name, "zh+en", "md")]
    assert md.index("判决如下") < md.index("the court renders the following judgment")


# ---------------------------------------------------------------------------- citations

_ARTICLE = r"第[一二三四五六七八九十百零]+条(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?"
_CITE = re.compile(rf"(《[^》]+》(?:（[^）]+）)?)({_ARTICLE})")
_AND = re.compile(rf"、({_ARTICLE})")


def _cited(text: str) -> list[str]:
    """The provisions a text cites: 《A》第三条, and the articles of the same instrument listed
    after it (《A》第九十条、第九十一条)."""
    out = []
    for m in _CITE.finditer(text):
        out.append(m.group(1) + m.group(2))
        at = m.end()
        while more := _AND.match(text, at):
            out.append(m.group(1) + more.group(1))
            at = more.end()
    return out


def _basis_start(zh: str) -> int:
    """Where the basis clause begins: the last 依照 before 之规定，判决如下 (a reason may say 依照 too)."""
    return zh.rindex("依照", 0, zh.index("之规定，判决如下"))


def _basis_clause(zh: str) -> list[str]:
    clause = zh[_basis_start(zh):zh.index("之规定，判决如下")]
    out, instrument = [], None
    for part in re.split(r"[，、]", clause.replace("依照", "", 1)):
        m = re.match(r"(《[^》]+》(?:（[^）]+）)?)?(.+)", part)
        instrument = m.group(1) or instrument
        item = m.group(2)
        if item.startswith("第（"):   # 第十条第一款第（二）项、第（十二）项: the same paragraph
            item = re.match(r".*款", out[-1][len(instrument):]).group(0) + item
        out.append(instrument + item)
    return out


def _hypo_files():
    return sorted(p for p in (PACK_DIR / "hypos").glob("*.yaml") if p.name != "index.yaml")


@pytest.mark.parametrize("path", sampled(_hypo_files()), ids=lambda p: p.stem)  # all of them: -m slow
def test_the_basis_clause_lists_exactly_the_provisions_applied_and_cited_cases_predate_the_decision(pack, path):
    from assessor.engine.judgment_model import build_model
    from assessor.engine.session import Consultation

    case = read_case(path, pack)
    with Consultation(pack, case) as c:
        model = build_model(pack, case, c)
    zh = render_opinion(pack, case, lang="zh")
    if "之规定，判决如下" not in zh:  # no basis clause: nothing decided (an undetermined case)
        return
    # the reasoning without the notes for the court (【…】): a note naming law the pack lacks
    # cites nothing the judgment relies on
    reasoning = re.sub(r"【[^】]*】", "", zh[zh.index("本院认为"):_basis_start(zh)])
    basis = _basis_clause(zh)
    # every provision the reasoning cites is in the clause, and nothing else
    cited = list(dict.fromkeys(_cited(reasoning)))
    # a paragraph quoted in the reasoning (Art. 18 para. 2) is cited in the clause by its article
    cited = list(dict.fromkeys(re.sub(r"(条)第[一二三四五六七八九十]+款$", r"\1", x)
                               if re.sub(r"(条)第[一二三四五六七八九十]+款$", r"\1", x) in basis else x
                               for x in cited))
    assert sorted(basis) == sorted(cited), (basis, cited)
    assert len(basis) == len(set(basis))
    # in the courts' order: laws, administrative regulations, judicial interpretations
    order = pack.manifest["opinion"]["basis_order"]
    ranks = [order.index(b[1:b.index("》")].replace("〈", "《").replace("〉", "》")) for b in basis]
    assert ranks == sorted(ranks)
    # the appendix holds the same list
    appendix = zh[zh.index("附：本判决所依据的法律条文"):]
    titles = re.findall(r"^\*\*(《.+)\*\*$", appendix, re.M)
    assert [t for t in titles if re.search(r"》(?:（[^）]+）)?第", t)][:len(basis)] == basis
    # holdings: cited only if decided before the decision date, 参照 only for guiding cases
    for aid in (c["id"] for c in model["cases_cited"]):
        a = pack.authorities[aid]
        day = str(a.source.get("decided") or a.source.get("published"))
        assert day < case.decided_on[:len(day)] or day[:7] < case.decided_on[:7], (aid, day)
        if a.source.get("authority") != "guiding":
            assert f"参照{_nest(a.citation('zh'))}" not in reasoning


def _nest(s):
    from assessor.engine.citations import nest_quotes
    return nest_quotes(s)


def test_an_infringed_right_of_communication_is_cited_to_its_item(opinions):
    zh = opinions[("li-v-liu", "zh", "md")]
    basis = _basis_clause(zh)
    assert "《中华人民共和国著作权法》第十条第一款第（十二）项" in basis
    assert "《中华人民共和国著作权法》第十条第一款第（二）项" in basis
    assert "依照《中华人民共和国著作权法》第三条、第九条、第十条第一款第（二）项、第（十二）项、第十一条" in zh
    assert "《中华人民共和国著作权法》第五条" not in basis   # nobody said the image was excluded
    assert "《中华人民共和国著作权法》第二十四条" not in basis   # nor pleaded a permitted use


# ---------------------------------------------------------------------------- the interview's files

def _interview_ids():
    return [p.stem for p in _hypo_files()]


@pytest.mark.slow
@pytest.mark.parametrize("all_", [False, True], ids=["to-determination", "all"])
@pytest.mark.parametrize("name", _interview_ids())
def test_every_file_the_interview_saves_drafts_in_chinese_and_english(tmp_path, name, all_):
    src = PACK_DIR / "hypos" / f"{name}.yaml"
    out = tmp_path / "saved.yaml"
    args = ["interview", "--answers-from", str(src), "--transcript", str(tmp_path / "t.jsonl"), "--out", str(out)]
    r = CliRunner().invoke(app, args + (["--all"] if all_ else []))
    assert r.exit_code == 0, r.output
    saved = out.read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        r = CliRunner().invoke(app, ["opinion", str(out), "--lang", lang])
        assert r.exit_code == 0, r.output
        # "In accordance with ..., the court renders" or, with no provision to cite, "The court renders"
        assert ("判决如下" if lang == "zh" else "the court renders the following judgment") in r.output.lower()
        if "defenses" not in saved:
            # nobody asked about defences: the draft does not say there were none
            assert "未提交答辩意见" not in r.output and "submitted no defence" not in r.output


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdfinfo"),
                    reason="LibreOffice and poppler-utils are needed to count printed pages")
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_parallel_docx_prints_in_under_twice_the_pages_of_the_chinese(pack, tmp_path, name):
    import subprocess

    pages = {}
    for lang in ("zh", "zh+en"):
        src = tmp_path / f"{name}.{lang}.docx"
        src.write_bytes(render(pack, name, lang, "docx"))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                       check=True, capture_output=True, timeout=300)
        info = subprocess.run(["pdfinfo", str(src.with_suffix(".pdf"))], check=True, capture_output=True, text=True)
        pages[lang] = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages["zh+en"] < 2 * pages["zh"], pages


def test_an_evidence_item_the_interview_left_half_filled_gets_placeholders(tmp_path):
    f = tmp_path / "partial.yaml"
    f.write_text("format: assessor.case/1\ndecided_on: 2025-06-30\nsubject: {kind: image}\n"
                 "evidence:\n  - {id: E3, proves: [defendant_act]}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["opinion", str(f)])
    assert r.exit_code == 0, r.output
    assert "证据E3（【证据种类】，由【当事人】提交，拟证明被诉行为）" in r.output
    assert "未陈述提交" not in r.output and "被告【被告姓名或名称】辩称：【答辩意见】。" in r.output
    assert "诉讼请求：【诉讼请求】。" in r.output


def test_a_work_proven_not_to_be_one_is_not_said_to_be_unproven(pack):
    zh = render_opinion(pack, read_case(PACK_DIR / "hypos" / "autonomous-report-no-human.yaml", pack), lang="zh")
    reasoning = _reasoning(zh, "本院认为", "判决如下")
    assert "综上，涉案文章不构成著作权法意义上的作品。" in reasoning
    assert "未能证明涉案文章构成作品" not in reasoning
    assert "综上，原告的诉讼请求缺乏事实和法律依据，本院不予支持。" in reasoning
    assert "第九十条" not in zh[zh.index("依照"):zh.index("判决如下")]


def test_a_pack_without_templates_gets_the_neutral_decision_report(tmp_path):
    """The fictional pack names no templates: its opinion is the engine's neutral report
    (holdings, reasons citing the pack's provision, findings), in each language, not a judgment."""
    toy = load_pack(Path(__file__).parent / "packs" / "toy")
    case = tmp_path / "case.yaml"
    case.write_text("format: toy.case/1\nmember: false\nfee: 20\nitems: [{id: b, days_late: 3}]\n", encoding="utf-8")
    en = render_opinion(toy, read_case(case, toy), lang="en")
    zh = render_opinion(toy, read_case(case, toy), lang="zh")
    assert "# Decision report" in en and "Civil Judgment" not in en and "plaintiff" not in en
    assert "owes a late fee: owes a late fee." in en and "Disposition: pay." in en
    assert "Members are exempt. Here: not exempt. (Fictional library rules, 1)" in en
    assert "# 裁决报告" in zh and "应付逾期费：应当支付逾期费。" in zh and "《虚构的图书馆规则》1" in zh
    result = CliRunner().invoke(app, ["templates", "check", str(TEMPLATES_DIR.parent / "report"),
                                      "--rules", str(toy.root), "--case", str(case)])
    assert result.exit_code == 0 and "templates OK" in result.output, result.output


def test_an_ip_case_with_no_amount_claimed_shows_the_fee_range_per_case(pack):
    """Measures Art. 13 item (3): no amount in dispute, 500 to 1,000 yuan per case (the record's
    court_fee_range); the fee sentence gives the range and the party that bears it."""
    case = read_case(PACK_DIR / "hypos" / "ai-claim-unproven.yaml", pack)
    zh = render_opinion(pack, case, lang="zh")
    en = render_opinion(pack, case, lang="en")
    assert ("案件受理费人民币【数额】元（知识产权民事案件没有争议金额或者价额的，每件交纳500元至1000元），"
            "由被告某传媒公司负担。") in zh
    assert "(an intellectual property case with no amount in dispute pays RMB 500 to 1000 per case)" in en


def test_chinese_free_text_without_a_gloss_is_quoted_alone_in_english(pack, tmp_path):
    """A case file without glosses: the English draft quotes the Chinese text, adds nothing,
    and the Chinese draft is unchanged by glosses."""
    src = (PACK_DIR / "hypos" / "cat-pendant.yaml").read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    bare.write_text(re.sub(r"(?m)^glosses:\n(?:  .*\n)+", "", src), encoding="utf-8")
    en = render_opinion(pack, read_case(bare, pack), lang="en")
    assert "published it on “微信群聊”." in en and "(a WeChat group chat)" not in en
    zh_bare = render_opinion(pack, read_case(bare, pack), lang="zh")
    zh = render_opinion(pack, read_case(PACK_DIR / "hypos" / "cat-pendant.yaml", pack), lang="zh")
    assert zh_bare.split("生成信息")[0] == zh.split("生成信息")[0]


def test_a_claim_dismissed_on_a_defence_is_reasoned_on_that_defence(pack):
    # the act is refuted because the quotation is a permitted use: the reasoning under the
    # infringement issue says so and cites Art. 24, and the defence is not set aside as moot
    path = Path(__file__).parent.parent / "rules/cn/hypos/fair-use-quotation-published.yaml"
    text = render_opinion(pack, read_case(path, pack), lang="zh", fmt="md")
    issue = _reasoning(text, "关于被告是否侵害原告著作权的问题", "判决如下")
    assert "在作品中适当引用他人已经发表的作品" in issue and "被告的使用属于可以不经许可的合理使用" in issue
    assert "第二十四条" in text[text.index("依照"):text.index("判决如下")]
    assert "属于合理使用），本院不再评述" not in text
