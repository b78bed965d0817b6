"""`assessor evidence import`: real-format sample files into the seed case's file.

Each sample is made by tests/evidence_samples.py the way the tool writes it; each import must
add the right item (kind, what it proves, timing, match with the subject, SHA-256), keep the
case file's other content, and bad input must leave the case file byte for byte as it was.
"""
from __future__ import annotations

import hashlib
import shutil

import pytest
from PIL import Image
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import decide, load_yaml, read_case
from assessor.evidence import items as evidence_items

from . import evidence_samples as samples
from .conftest import HYPOS, bundled_pack

runner = CliRunner()
PACK = bundled_pack()


@pytest.fixture
def seed(tmp_path):
    case = tmp_path / "cat-pendant.yaml"
    shutil.copy(HYPOS / "cat-pendant.yaml", case)
    return case


def _import(case, *files, subject=None, lang="en"):
    args = ["evidence", "import", *map(str, files), "--case", str(case), "--lang", lang]
    if subject:
        args += ["--subject", str(subject)]
    return runner.invoke(app, args)


def _evidence(case) -> list[dict]:
    return load_yaml(case).data["evidence"]


def _new(case) -> list[dict]:
    return [e for e in _evidence(case) if e["id"] not in ("E1", "E2", "E3")]


def test_a1111_png_adds_unverified_generation_metadata(seed, tmp_path):
    png = samples.a1111_png(tmp_path / "00012-1234567.png")
    result = _import(seed, png, subject=png)
    assert result.exit_code == 0, result.output
    [item] = _new(seed)
    assert item["id"] == "E4" and item["kind"] == "generation_metadata" and item["proves"] == ["prompt"]
    assert item["timing"] == "unverified" and item["contemporaneous"] == "unknown"
    assert item["matches_subject"] == "yes"
    assert item["sha256"] == hashlib.sha256(png.read_bytes()).hexdigest()
    assert "a crystal cat pendant, pink diamonds" in item["description"]
    assert "Seed 1234567" in item["description"] and "Sampler DPM++ 2M Karras" in item["description"]
    assert "Model sd_xl_base_1.0" in item["description"]
    # the other items and facts are kept
    assert [e["id"] for e in _evidence(seed)][:3] == ["E1", "E2", "E3"]
    # metadata any editor can write does not prove when: the seed case stays dismissed, and the
    # rule pack says why about this item
    record = decide(PACK, read_case(seed, PACK))
    assert record["holdings"]["is_work"] == "not_established"
    assert any(n["item"] == "E4" and n["fact"] == "record_integrity" and n["value"] == "not_established"
               for n in record["item_notes"])
    assert any(r["rule"].endswith("art093_01_04/integrity_unverified") for r in record["reasons"])


def test_comfyui_png_reads_the_graph(seed, tmp_path):
    png = samples.comfyui_png(tmp_path / "ComfyUI_00001_.png")
    result = _import(seed, png)
    assert result.exit_code == 0, result.output
    [item] = _new(seed)
    assert item["kind"] == "generation_metadata" and item["proves"] == ["prompt"]
    d = item["description"]
    assert "ComfyUI metadata" in d and "«a crystal cat pendant on velvet»" in d and "negative prompt «watermark, text»" in d
    assert "seed 42" in d and "steps 25" in d and "sampler_name euler" in d and "sd_xl_base_1.0.safetensors" in d
    assert "graph of 7 nodes" in d
    assert item["matches_subject"] == "unknown"   # no --subject given


def test_novelai_exif_and_xmp(seed, tmp_path):
    files = [samples.novelai_png(tmp_path / "nai.png"), samples.exif_jpeg(tmp_path / "forge.jpg"),
             samples.xmp_png(tmp_path / "stock.png")]
    result = _import(seed, *files)
    assert result.exit_code == 0, result.output
    nai, jpg, xmp = _new(seed)
    assert "NovelAI metadata" in nai["description"] and "seed 98765" in nai["description"]
    assert "negative prompt «lowres, bad anatomy»" in nai["description"]
    assert "AUTOMATIC1111/Forge metadata" in jpg["description"] and "Seed 1234567" in jpg["description"]
    assert xmp["proves"] == [] and "digital source type: trainedAlgorithmicMedia" in xmp["description"]
    assert {nai["timing"], jpg["timing"], xmp["timing"]} == {"unverified"}


def test_c2pa_signed_image_is_verified(seed, tmp_path):
    signed = samples.c2pa_png(tmp_path / "signed.png", edited=True)
    result = _import(seed, signed, subject=signed)
    assert result.exit_code == 0, result.output
    [item] = _new(seed)
    assert item["timing"] == "verified" and item["contemporaneous"] is True
    assert item["proves"] == ["post_editing"]     # the manifest records a c2pa.edited action
    d = item["description"]
    assert "C2PA manifest by TestDiffusion 2.1" in d and "c2pa.created, c2pa.edited" in d
    assert "signature valid, signer not on a trust list" in d and "trainedAlgorithmicMedia" in d
    record = decide(PACK, read_case(seed, PACK))
    assert any(n["item"] == "E4" and n["value"] == "established" for n in record["item_notes"])


def test_c2pa_manifest_failing_validation_is_reported(seed, tmp_path):
    signed = samples.c2pa_png(tmp_path / "signed.png")
    altered = samples.tampered_c2pa_png(tmp_path / "altered.png", signed)
    result = _import(seed, altered)
    assert result.exit_code == 0, result.output
    [item] = _new(seed)
    assert item["timing"] == "broken" and item["contemporaneous"] is False
    assert "validation failed (assertion.dataHash.mismatch)" in item["description"]


def test_chatgpt_export_json_and_zip(seed, tmp_path):
    result = _import(seed, samples.chatgpt_json(tmp_path / "conversations.json"),
                     samples.chatgpt_zip(tmp_path / "chatgpt-export.zip"))
    assert result.exit_code == 0, result.output
    items = _new(seed)
    # only the conversation that generated images, once per exhibit file
    assert len(items) == 2 and {i["source"] for i in items} == {"conversations.json", "chatgpt-export.zip"}
    for item in items:
        assert item["kind"] == "platform_account_history" and item["proves"] == ["prompt", "iterations"]
        assert "«Cat pendant» started 2023-10-01 08:46:40 UTC: 2 prompts, 1 images generated" in item["description"]
        assert item["timing"] == "unverified"


def test_prompt_csv(seed, tmp_path):
    result = _import(seed, samples.prompts_csv(tmp_path / "log.csv"))
    assert result.exit_code == 0, result.output
    [item] = _new(seed)
    assert item["kind"] == "original_generation_record"
    assert item["proves"] == ["prompt", "iterations", "parameters_adjusted"]
    assert "3 rows from 2023-05-02 10:01 to 2023-05-02 10:15" in item["description"]


def test_perceptual_match_is_partly_with_the_distance(seed, tmp_path):
    png = samples.a1111_png(tmp_path / "gen.png")
    subject = tmp_path / "posted.jpg"
    Image.open(png).convert("RGB").resize((120, 120)).save(subject, "JPEG", quality=70)  # as a platform re-encodes
    other = tmp_path / "other.png"
    samples.picture(7).save(other)
    assert _import(seed, png, subject=subject).exit_code == 0
    [item] = _new(seed)
    assert item["matches_subject"] == "partly"
    assert "perceptual-hash distance" in item["description"]
    assert _import(seed, samples.xmp_png(tmp_path / "x.png", seed=9), subject=other).exit_code == 0
    assert _new(seed)[-1]["matches_subject"] == "no"


def test_importing_twice_adds_nothing(seed, tmp_path):
    png = samples.a1111_png(tmp_path / "a.png")
    assert _import(seed, png).exit_code == 0
    before = seed.read_bytes()
    result = _import(seed, png, lang="zh")
    assert result.exit_code == 0 and "案卷中已有：a.png" in result.output
    assert seed.read_bytes() == before


def test_chinese_description(seed, tmp_path):
    assert _import(seed, samples.prompts_csv(tmp_path / "log.csv"), lang="zh").exit_code == 0
    [item] = _new(seed)
    assert item["description"].startswith("文件 log.csv（SHA-256 ") and "写入时间未经核验" in item["description"]


def _truncated(tmp_path):
    data = samples.a1111_png(tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    return tmp_path / "cut.png", "damaged or truncated image"


def _broken_manifest(tmp_path):
    signed = samples.c2pa_png(tmp_path / "signed.png")
    return samples.broken_manifest_png(tmp_path / "broken.png", signed), "the C2PA manifest cannot be read"


def _bomb(tmp_path):
    return samples.zip_bomb(tmp_path / "export.zip", megabytes=60), "zip bomb"


def _huge(tmp_path):
    f = tmp_path / "huge.png"
    with open(f, "wb") as out:
        out.truncate(evidence_items.MAX_FILE_BYTES + 1)   # sparse: nothing is written to disk
    return f, "larger than the"


def _plain_png(tmp_path):
    f = tmp_path / "plain.png"
    samples.picture(1).save(f)
    return f, "found no generation metadata"


def _not_an_export(tmp_path):
    f = tmp_path / "conversations.json"
    f.write_text('{"not": "a list"}', encoding="utf-8")
    return f, "not a ChatGPT export"


@pytest.mark.parametrize("make", [_truncated, _broken_manifest, _bomb, _huge, _plain_png, _not_an_export])
def test_bad_input_changes_nothing(seed, tmp_path, make):
    good = samples.a1111_png(tmp_path / "good.png")
    bad, message = make(tmp_path)
    before = seed.read_bytes()
    result = _import(seed, good, bad)   # the good file is not added either: all or nothing
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: ") and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert seed.read_bytes() == before
