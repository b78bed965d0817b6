"""A paralegal in a real headless Chromium (Debian's chromium, driven by Playwright): signs
in, completes the seed case in Chinese using why, back and review, sees the decision and
downloads the DOCX. Screenshots of the pages go to $ASSESSOR_SCREENSHOTS if set."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from assessor.engine import simulated_answer
from assessor.engine.yamlsrc import load_yaml
from assessor.web import casestate
from assessor.web.migrate import upgrade
from assessor.web.storage import Store, connect
from tests.conftest import HYPOS

from .conftest import PASSWORD, password_hash
from .test_server import free_port, serve

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    db = f"sqlite:///{tmp_path / 'b.db'}"
    engine = connect(db)
    upgrade(engine)
    store = Store(engine)
    store.add_user("zhou", password_hash(), "paralegal", "zh")
    port = free_port()
    proc = serve(db, port)
    yield f"http://127.0.0.1:{port}", store
    import signal
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def shot(page, name: str) -> None:
    folder = os.environ.get("ASSESSOR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def answer_with_the_mouse(page, q: dict, value) -> None:
    """Click the choices or type the text a person holding the case file would."""
    if value is None:
        page.get_by_role("button", name="不知道").click()
        return
    if isinstance(value, dict):
        value = True
    if q["choices"]:
        wanted = value if isinstance(value, list) else [value]
        for c in q["choices"]:
            if c["value"] in wanted:
                page.locator(f'input[name="answer"][value="{c["number"]}"]').check()
        if q["multiple"] and not wanted:
            page.locator('input[name="answer"][value="0"]').check()
    else:
        page.locator('input[name="answer"]').fill(str(value))
    page.get_by_role("button", name="下一步").click()


def version_of(page) -> str:
    return page.locator('input[name="version"]').first.get_attribute("value")


def wait_past(page, version: str) -> None:
    page.wait_for_function(
        "v => { const e = document.querySelector('input[name=version]'); return !e || e.value !== v; }",
        arg=version)


def test_a_paralegal_completes_the_seed_case_in_chinese(server, page, pack, tmp_path):
    base, store = server
    source = load_yaml(HYPOS / "cat-pendant.yaml").data
    page.goto(base + "/")
    shot(page, "01-login")
    page.get_by_label("用户名").fill("zhou")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="新建案件").click()
    page.wait_for_selector('input[name="version"]', state="attached")
    case_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    asked, used_why, used_back = 0, False, False
    while page.locator('form[action$="/answer"]').count():
        asked += 1
        assert asked < 150
        iv = casestate.interview(pack, store.case(case_id).doc)
        q = iv.question("zh")
        assert page.locator('input[name="field"]').get_attribute("value") == q["field"]
        assert q["text"] in page.locator("legend").inner_text()
        if not used_why and q["kind"] == "value" and q["issue"]:
            page.get_by_text("为什么问这个问题？").click()
            assert "《著作权法》" in page.locator("details.why").inner_text()
            shot(page, "02-question-why")
            used_why = True
        v = version_of(page)
        if used_why and not used_back:
            # answer, then go back: the same question again, the answer undone
            answer_with_the_mouse(page, q, simulated_answer(iv, source))
            wait_past(page, v)
            v = version_of(page)
            page.get_by_role("button", name="上一步").click()
            wait_past(page, v)
            assert page.locator('input[name="field"]').get_attribute("value") == q["field"]
            used_back = True
            v = version_of(page)
        answer_with_the_mouse(page, q, simulated_answer(iv, source))
        wait_past(page, v)
    assert used_why and used_back and asked > 5
    assert "问答已完成" in page.content()
    shot(page, "03-done")

    # review: change whether the image was selected from candidates, see it recomputed, change it back
    page.get_by_role("link", name="检查回答").first.click()
    page.wait_for_selector("table.review")
    shot(page, "04-review")
    row = page.locator("tr", has_text="creation.post_editing")
    row.get_by_role("link", name="修改").click()
    page.wait_for_selector("form#edit")
    assert page.locator('form#edit input[name="field"]').get_attribute("value") == "creation.post_editing"
    v = version_of(page)
    page.locator('form#edit input[name="answer"]').first.check()
    page.get_by_role("button", name="保存修改").click()
    wait_past(page, v)
    assert store.case(case_id).version > int(v)

    page.get_by_role("link", name="裁判结论").first.click()
    page.wait_for_selector(".disposition")
    text = page.locator("main").inner_text()
    assert "驳回" in text and "《著作权法》第三条" in text
    shot(page, "05-decision")

    page.get_by_role("link", name="裁判文书草稿").first.click()
    page.wait_for_selector("iframe.opinion")
    frame = page.frame_locator("iframe.opinion")
    assert "民事判决书" in frame.locator("body").inner_text()
    shot(page, "06-opinion")
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载 DOCX").click()
    path = tmp_path / "opinion.docx"
    dl.value.save_as(path)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        assert "驳回原告" in z.read("word/document.xml").decode("utf-8")


def test_it_works_without_javascript(server, pack):
    """The same forms work with scripting off (htmx only enhances them)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright
    base, store = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_context(java_script_enabled=False, locale="zh-CN").new_page()
        page.goto(base + "/login")
        page.get_by_label("用户名").fill("zhou")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("button", name="新建案件").click()
        page.locator('input[name="answer"]').fill("2025-06-30")
        page.get_by_role("button", name="下一步").click()
        assert page.locator('input[name="field"]').get_attribute("value") != "decided_on"
        page.get_by_role("button", name="English").click()
        assert "Why is this asked?" in page.content()
        browser.close()
