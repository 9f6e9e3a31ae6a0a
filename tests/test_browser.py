"""The review page in a real browser: Debian's headless Chromium driven by playwright.

One browser for the module. Pages under test:

* ``samples``: ``vn-officialdoc parse`` + ``vn-officialdoc review`` (the real pipeline,
  as a user runs them) over samples/, an injection letter and a binary file;
* ``harness``: the harness extractor of test_review (known spans at known places) over
  the harness letter, which also holds injection attempts.

Needs ``chromium`` (scripts/system-deps.sh) and the ``browser`` extra (playwright; its
own browser download is never used: ``executable_path`` points at Debian's chromium).
Set VN_OFFICIALDOC_DOCS_SCREENSHOT=1 to also write docs/review-samples.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

CHROMIUM = os.environ.get("VN_OFFICIALDOC_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/system-deps.sh (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need the 'browser' extra: pip install -e '.[browser]'")

from test_review import SCRIPT, harness_extract, write_harness_outputs  # noqa: E402
from vn_officialdoc import pipeline  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
INJECTION_NAME = 'x"><img src=x onerror=alert(1)>.txt'
INJECTION_TEXT = (
    "TỈNH ỦY TUYÊN QUANG\n"
    f"BAN DÂN VẬN {SCRIPT}\n"
    "Số 12-CV/BDVTU\n"
    'V/v "><img src=x onerror="window.__pwned = 3; alert(3)"> kiểm tra\n'
    "Tuyên Quang, ngày 07 tháng 9 năm 2021\n"
    "Kính gửi: - <svg onload=alert(4)> Ban Dân vận\n"
    "1- Nội dung <iframe src=javascript:alert(5)></iframe>.\n"
    "Vương Thúy Hằng\n"
)
WATCH = """
window.__csp = 0;
document.addEventListener('securitypolicyviolation', function () { window.__csp += 1; });
"""


def _cli(*args, cwd):
    r = subprocess.run([sys.executable, "-m", "vn_officialdoc", *args], capture_output=True, text=True,
                       cwd=cwd, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    return r


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    src = tmp / "in"
    shutil.copytree(SAMPLES, src / "samples", ignore=shutil.ignore_patterns("*.json"))
    (src / "odd").mkdir()
    (src / "odd" / INJECTION_NAME).write_text(INJECTION_TEXT, encoding="utf-8")
    (src / "odd" / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    out = tmp / "out"
    _cli("parse", str(src), "--out", str(out), "--quiet", cwd=tmp)
    _cli("review", str(out), "--html", str(tmp / "samples.html"), cwd=tmp)
    # the harness page (known spans), built in this process
    with pytest.MonkeyPatch.context() as mp:
        from vn_officialdoc.normalize import normalize
        from vn_officialdoc.review import write_review
        from vn_officialdoc.segment import segment
        from vn_officialdoc.validate import validate

        mp.setattr(pipeline, "STAGES", (normalize, segment, harness_extract, validate))
        _, hout = write_harness_outputs(tmp / "h")
        write_review(hout, tmp / "harness.html")
    records = {}
    for p in sorted(out.rglob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        if "schema_version" in data or "error" in data:
            records[p.relative_to(out).as_posix()] = data
    return {"samples": tmp / "samples.html", "harness": tmp / "harness.html", "records": records,
            "tmp": tmp}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page that records requests, dialogs, console errors and CSP violations."""

    def __init__(self, browser, path: Path, size=(1400, 1000)):
        self.requests, self.dialogs, self.errors = [], [], []
        self.ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                       java_script_enabled=True)
        self.page = self.ctx.new_page()
        self.page.add_init_script(WATCH)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.documentElement.dataset.reviewReady === '1'", timeout=10000)

    def close(self):
        self.ctx.close()


@pytest.fixture
def samples_page(browser, site):
    w = Watched(browser, site["samples"])
    yield w
    w.close()


@pytest.fixture
def harness_page(browser, site):
    w = Watched(browser, site["harness"])
    yield w
    w.close()


def _visible_rows(page):
    return page.eval_on_selector_all("#letters tbody tr", "rs => rs.filter(r => !r.hidden).map(r => ({"
                                     "id: r.dataset.id, file: r.dataset.file, status: r.dataset.status, "
                                     "issuer: r.dataset.issuer, type: r.dataset.type, year: r.dataset.year}))")


def test_page_works_offline_with_its_own_script(samples_page):
    p = samples_page
    assert all(u.startswith("file://") for u in p.requests), p.requests
    assert len(p.requests) == 1          # the page itself: no image, font, style or script fetched
    assert p.errors == []
    assert p.page.evaluate("window.__csp") == 0
    assert p.page.title().startswith("vn_officialdoc review")


def test_fields_are_highlighted_where_they_came_from(harness_page):
    page = harness_page.page
    art = page.locator("article:not([data-status='failed'])")
    assert art.count() == 1
    for label, text in [("NUMBER", "0234"), ("SYMBOL", "CV/BDVTU"), ("SIGNER", "Vương Thúy Hằng"),
                        ("DATE", "ngày 07 tháng 9 năm 2021")]:
        hl = art.locator(f".source .hl.lab-{label}")
        assert hl.count() == 1, label
        assert hl.inner_text() == text
        bg = hl.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), label
    # click the Number field: its text in the letter is marked active and scrolled into view
    art.locator(".fieldtable tr.row", has_text="Number").first.click()
    active = art.locator(".source .hl.active")
    assert active.count() == 1 and active.inner_text() == "0234"
    box, view = active.bounding_box(), page.viewport_size
    assert box and 0 <= box["y"] <= view["height"]
    # and the other way: click the signer's name in the text, its field row lights up
    art.locator(".source .hl.lab-SIGNER").click()
    row = art.locator(".fieldtable tr.active")
    assert row.count() == 1 and "Vương Thúy Hằng" in row.inner_text()
    # raw line numbers are shown beside the text
    line4 = art.locator(".ln[data-no='4']")
    assert line4.evaluate("e => getComputedStyle(e, '::before').content") == '"4"'
    assert line4.inner_text().startswith("Số 0234")


def test_samples_every_linked_field_has_its_highlight(samples_page, site):
    page = samples_page.page
    problems = page.evaluate("""() => {
        const bad = [];
        for (const art of document.querySelectorAll('article.letter')) {
            for (const tr of art.querySelectorAll('.fieldtable tr.row')) {
                for (const sid of (tr.dataset.s || '').split(' ').filter(Boolean)) {
                    const el = art.querySelector('.hl[data-s~="' + sid + '"]');
                    if (!el || getComputedStyle(el).backgroundColor === 'rgba(0, 0, 0, 0)') bad.push(art.id + ' ' + sid);
                }
                for (const no of (tr.dataset.lines || '').split(' ').filter(Boolean)) {
                    if (art.querySelector('.source') && art.querySelector('.source .text')
                        && !art.querySelector('.ln[data-no="' + no + '"]')) bad.push(art.id + ' line ' + no);
                }
            }
        }
        return bad;
    }""")
    assert problems == []
    # S000's number, once extracted, is found by clicking its field
    s000 = site["records"]["samples/S000.json"]
    number = s000["header"]["number"]
    if number:
        art = page.locator("article", has=page.locator("h2", has_text="samples/S000.json"))
        art.locator(".fieldtable tr.row", has_text="Number").first.click()
        assert number in " ".join(art.locator(".source .active").all_inner_texts())


def _expected(site, key):
    def value(d):
        if "error" in d:
            return ""
        h = d.get("header") or {}
        if key == "issuer":
            return (h.get("issuer") or {}).get("name") or ""
        if key == "type":
            return h.get("doc_type") or ""
        date = h.get("date") or ""
        return date[:4]
    return {f: value(d) for f, d in site["records"].items()}


def test_filters(samples_page, site):
    page = samples_page.page
    records = site["records"]
    assert len(_visible_rows(page)) == len(records)
    for key, sel in [("issuer", "#f-issuer"), ("type", "#f-type"), ("year", "#f-year")]:
        expected = _expected(site, key)
        values = page.eval_on_selector_all(f"{sel} option", "os => os.map(o => o.value)")
        assert set(values) >= set(expected.values()) | {"*"}
        for v in values:
            page.select_option(sel, v)
            rows = _visible_rows(page)
            want = sorted(f for f, x in expected.items() if v == "*" or x == v)
            assert sorted(r["file"] for r in rows) == want, (key, v)
            shown_articles = page.eval_on_selector_all("article.letter", "as => as.filter(a => !a.hidden).length")
            assert shown_articles == len(want)
            assert page.inner_text("#shown").startswith(f"{len(want)} of {len(records)}")
        page.select_option(sel, "*")
    status = {f: ("failed" if "error" in d else "warned" if d.get("warnings") else "ok") for f, d in records.items()}
    for v in ["failed", "warned", "ok", "failed warned"]:
        page.select_option("#f-warnings", v)
        assert sorted(r["file"] for r in _visible_rows(page)) == sorted(f for f, s in status.items() if s in v.split())
    page.select_option("#f-warnings", "*")
    assert any(s == "failed" for s in status.values())
    page.fill("#f-text", "S003")
    assert [r["file"] for r in _visible_rows(page)] == ["samples/S003.json"]
    page.fill("#f-text", "")
    assert len(_visible_rows(page)) == len(records)


def test_order_and_sorting(samples_page):
    page = samples_page.page
    rank = {"failed": 0, "warned": 1, "ok": 2}
    first = [rank[r["status"]] for r in _visible_rows(page)]
    assert first == sorted(first), "letters with failures, then warnings, come first"
    page.click("#letters th[data-key='file']")
    files = [r["file"] for r in _visible_rows(page)]
    assert files == sorted(files, key=str.casefold) or files == sorted(files)
    page.click("#letters th[data-key='file']")
    assert [r["file"] for r in _visible_rows(page)] == files[::-1]
    page.click("#letters th[data-key='rank']")
    assert [rank[r["status"]] for r in _visible_rows(page)] == first


def _assert_inert(w: Watched, literal: str):
    page = w.page
    # click everything clickable in the injection letter, in case a handler hides somewhere
    art = page.locator("article.letter", has_text=literal)
    assert art.count() == 1
    for tr in art.locator(".fieldtable tr.linked").all():
        tr.click()
    for hl in art.locator(".source .hl").all():
        hl.click()
    page.wait_for_timeout(200)
    assert w.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.images.length + document.querySelectorAll('svg, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 1
    assert literal in page.inner_text("body")
    assert w.errors == [] and page.evaluate("window.__csp") == 0


def test_injection_letter_runs_no_script(browser, site):
    for name in ("samples", "harness"):
        w = Watched(browser, site[name])
        try:
            _assert_inert(w, "<script>window.__pwned = 1;")
            if name == "samples":
                assert INJECTION_NAME.replace(".txt", ".json") in w.page.inner_text("#letters")
        finally:
            w.close()


def test_injection_is_escaped_even_without_the_csp(browser, site):
    """The CSP is a second wall; escaping alone must already keep the letter inert."""
    for name in ("samples", "harness"):
        text = site[name].read_text(encoding="utf-8")
        bare, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        assert n == 1
        path = site["tmp"] / f"{name}-nocsp.html"
        path.write_text(bare, encoding="utf-8")
        w = Watched(browser, path)
        try:
            _assert_inert(w, "<script>window.__pwned = 1;")
        finally:
            w.close()


def test_screenshot(browser, tmp_path):
    """A screenshot of the review page for samples/ (docs/review-samples.png on request)."""
    out = tmp_path / "samples"
    # run from the checkout, as the README does, so the page shows samples/S000.txt paths
    _cli("parse", "samples", "--out", str(out), "--quiet", cwd=ROOT)
    _cli("review", str(out), "--html", str(tmp_path / "review.html"), cwd=ROOT)
    w = Watched(browser, tmp_path / "review.html", size=(1400, 1100))
    try:
        page = w.page
        # the first sample alone (a filter at work), its Number field clicked
        page.fill("#f-text", "S000")
        assert page.inner_text("#shown").startswith("1 of 5")
        first = page.locator("article.letter:not([hidden])")
        assert first.count() == 1
        number = first.locator(".fieldtable tr.linked", has_text="Number")
        (number if number.count() else first.locator(".fieldtable tr.linked")).first.click()
        page.evaluate("window.scrollTo(0, 0)")
        png = page.screenshot(full_page=False)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
        (tmp_path / "shot.png").write_bytes(png)
        if os.environ.get("VN_OFFICIALDOC_DOCS_SCREENSHOT"):
            (ROOT / "docs").mkdir(exist_ok=True)
            (ROOT / "docs" / "review-samples.png").write_bytes(png)
        assert w.errors == []
    finally:
        w.close()
