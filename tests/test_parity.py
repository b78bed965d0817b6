"""Bilingual parity: every interface message and every user-visible rule text in zh and en."""
from __future__ import annotations

from babel.messages.pofile import read_po

from assessor.cli.i18n import LOCALE_DIR


def catalog(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_every_message_is_translated_in_both_languages():
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en), f"only in one catalog: {set(zh) ^ set(en)}"
    missing = [m for m in zh if not zh[m] or not en[m]]
    assert not missing, f"untranslated: {missing}"


def test_every_rule_text_exists_in_both_languages(pack):
    for concept in pack.concepts.values():
        assert concept.label.zh and concept.label.en, concept.name
        for value in concept.values if concept.derived else ():
            text = concept.says[value]
            assert text.zh and text.en, (concept.name, value)
    for rule in pack.rules + pack.wanting:
        assert rule.explain.zh and rule.explain.en, rule.id
    for a in pack.authorities.values():
        assert a.title.zh and a.title.en, a.id
        # a provision known without its text has none in either language, and is not verified
        assert (a.text.en if a.held else not (a.text.zh or a.text.en or a.verified)), a.id
        assert a.text.zh or not a.verified, a.id
