"""The rendered course and the slides (scripts/site.py, scripts/vendor.py), in a real browser.

The browser is Debian's chromium driven by Selenium through chromedriver; ``make test``
installs both (``make browser``). Where they cannot be installed the browser tests are
skipped, except under CI (COURSE_REQUIRE_BROWSER=1), where that is a failure.
Screenshots are kept in build/test-artifacts/.
"""

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from scripts import i18n, site, vendor
from scripts.course import CHINESE, ENGLISH, SOLUTION
from scripts.site import notebook_title
from scripts.slides import deck_slides, slide_types
from scripts.student import make_student

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "build" / "test-artifacts"
NOTEBOOKS = site.notebook_paths()
# Every notebook in both editions: the English pages at the top of a site, the Chinese in zh_CN/.
EDITIONS = [(lang, path) for lang in (ENGLISH, CHINESE) for path in NOTEBOOKS]
FOLDER = site.FOLDER


def _edition_id(item) -> str:
    return f"{item[0]}-{item[1].stem[:2]}" if isinstance(item, tuple) else str(item)


EXTERNAL = re.compile(r"""<(?:script|img|iframe)\b[^>]*\bsrc=["']?(?:https?:)?//|"""
                      r"""<link\b[^>]*\bhref=["']?(?:https?:)?//|@import\s+url\(["']?(?:https?:)?//""")


# --- vendored files ------------------------------------------------------------------

def test_vendor_integrity_and_bad_names(tmp_path):
    assert vendor.integrity(b"") == ("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHf"
                                      "uwvY7kxvUdBeoGlODJ6+SfaPg==")
    with pytest.raises(ValueError, match="name must be one of"):
        vendor.ensure("left-pad", tmp_path)
    package = vendor.PACKAGES["reveal.js"]
    assert vendor._wanted(package, "dist/reveal.js")
    assert not vendor._wanted(package, "dist/reveal.js.map")
    assert not vendor._wanted(package, "test/index.html")
    assert package.url == "https://registry.npmjs.org/reveal.js/-/reveal.js-4.0.2.tgz"


def test_a_tarball_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def read(self):
            return b"not the package"

    monkeypatch.setattr(vendor.urllib.request, "urlopen", lambda url, timeout: Response())
    with pytest.raises(RuntimeError, match="SHA-512 differs"):
        vendor.ensure("jquery", tmp_path)
    assert not (tmp_path / "jquery").exists()


# --- the site, built once ------------------------------------------------------------

@pytest.fixture(scope="module")
def html_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    site.build_html(out)
    return out


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    site.build_slides(out)
    return out


def test_build_refuses_an_empty_list(tmp_path):
    with pytest.raises(ValueError, match="paths must name at least one notebook"):
        site.build_html(tmp_path, paths=[])
    with pytest.raises(ValueError, match="paths must name at least one notebook"):
        site.build_slides(tmp_path, paths=[])


def test_the_site_has_a_page_per_notebook_and_loads_nothing_from_the_network(html_site):
    for folder in (html_site, html_site / CHINESE):
        pages = {p.name for p in folder.glob("*.html")}
        plain = {"index.html", "glossary.html", "teaching.html"}
        assert pages == {f"{p.stem}.html" for p in NOTEBOOKS} | plain
        for page in folder.glob("*.html"):
            assert not EXTERNAL.search(page.read_text(encoding="utf-8")), page.name
    assert (html_site / "vendor" / "mathjax" / "MathJax.js").is_file()


def test_the_slides_load_nothing_from_the_network(slides):
    for folder in (slides, slides / CHINESE):
        decks = sorted(p.name for p in folder.glob("*.slides.html"))
        assert decks == [f"{p.stem}.slides.html" for p in NOTEBOOKS]
        for deck in folder.glob("*.html"):
            assert not EXTERNAL.search(deck.read_text(encoding="utf-8")), deck.name
    theme = (slides / "vendor" / "reveal.js" / "dist" / "theme" / "white.css").read_text()
    assert not EXTERNAL.search(theme)


def test_the_index_links_every_notebook_page(html_site):
    for folder in (html_site, html_site / CHINESE):
        index = (folder / "index.html").read_text(encoding="utf-8")
        for path in NOTEBOOKS:
            assert f'href="{path.stem}.html"' in index
        assert ".ipynb" not in re.sub(r">[^<]*<", "><", index), "links point at pages, not notebooks"


SWITCH = re.compile(r'<a class="lang-switch" href="([^"]+)" hreflang="(en|zh)">')


def test_every_page_links_to_the_same_page_in_the_other_language(html_site, slides):
    pages = sorted(html_site.glob("*.html")) + sorted((html_site / CHINESE).glob("*.html"))
    assert len(pages) == 2 * (len(NOTEBOOKS) + 3)
    for page in pages:
        chinese = page.parent.name == CHINESE
        text = page.read_text(encoding="utf-8")
        assert f'<html lang="{"zh" if chinese else "en"}"' in text, page
        links = SWITCH.findall(text)
        assert links and all(link == links[0] for link in links), page
        href, lang = links[0]
        assert lang == ("en" if chinese else "zh")
        assert href == (f"../{page.name}" if chinese else f"zh_CN/{page.name}")
        back = SWITCH.findall((page.parent / href).resolve().read_text(encoding="utf-8"))[0][0]
        assert (page.parent / href).resolve().parent.joinpath(back).resolve() == page.resolve()


def test_the_command_line_builds(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(site, "notebook_paths", lambda: NOTEBOOKS[:2])   # the command, not the pages
    assert site.main(["html", "--out", str(tmp_path / "h")]) == 0
    assert "index.html" in capsys.readouterr().out
    chinese = {p.name for p in (tmp_path / "h" / CHINESE).glob("0*.html")}
    assert chinese == {f"{p.stem}.html" for p in NOTEBOOKS[:2]}


# JavaScript reads the string "\(" as "(", so the delimiters must be decoded as JavaScript would.
JS_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""")
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _inline_math(page: str) -> list[list[str]]:
    """The inlineMath delimiters of a page's MathJax configuration, as JavaScript reads them."""
    match = re.search(r"""inlineMath["']?\s*:\s*(\[(?:[^\[\]]|\[[^\[\]]*\])*\])""", page)
    assert match, "the page configures no inlineMath for MathJax"
    strings = [re.sub(r"\\(.)", lambda m: JS_ESCAPES.get(m.group(1), m.group(1)), a or b)
               for a, b in JS_STRING.findall(match.group(1))]
    return [strings[i:i + 2] for i in range(0, len(strings), 2)]


def test_every_page_and_deck_marks_inline_math_with_dollar_or_backslash_paren(html_site, slides):
    pages = sorted(html_site.glob("**/*.html")) + sorted(slides.glob("**/*.slides.html"))
    pages = [p for p in pages if "vendor" not in p.parts]
    assert len(pages) == 2 * (2 * len(NOTEBOOKS) + 3)
    for page in pages:
        delimiters = _inline_math(page.read_text(encoding="utf-8"))
        assert delimiters == [["$", "$"], ["\\(", "\\)"]], f"{page.name}: MathJax reads {delimiters}"


def test_the_index_writes_no_math(html_site):
    """The index is prose and the syllabus table: nothing there is math, so no delimiter either."""
    for folder in (html_site, html_site / CHINESE):
        index = (folder / "index.html").read_text(encoding="utf-8")
        main = index.split("<main>", 1)[1].split("</main>", 1)[0]
        for delimiter in ("$", "\\(", "\\[", "\\begin{"):
            assert delimiter not in main, f"the index holds {delimiter!r}, which MathJax would typeset"


# --- in a real browser ----------------------------------------------------------------

def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return chromium, driver


@pytest.fixture(scope="module")
def browser():
    chromium, driver = _browser_paths()
    if not (chromium and driver):
        message = "chromium and chromedriver are not installed (make browser installs them on Debian)"
        if os.environ.get("COURSE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1400", "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_ = webdriver.Chrome(service=Service(driver), options=options)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver_
    driver_.quit()


def _open(browser, path: Path) -> None:
    browser.get_log("browser")  # start each page with an empty log
    browser.get(path.resolve().as_uri())


def _network_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e.get("source") == "network"]


def _wait(browser, script: str, timeout: float = 20.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


MATH_DONE = """return window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0
    && MathJax.Hub.queue.running === 0 && document.readyState === 'complete' ? 'done' : null"""


def _figures(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))


def _has_math(nb) -> bool:
    return any(c.cell_type == "markdown" and re.search(r"\$[^$\n]+\$", c.source) for c in nb.cells)


TYPESET = """return Array.from(document.querySelectorAll('script[type^="math/tex"]'))
    .map(s => s.textContent)"""
DELIMITERS = [("$$", "$$"), ("\\[", "\\]"), ("$", "$"), ("\\(", "\\)"), ("", "")]


def _notebook_source(nb) -> str:
    """What a notebook page shows that may hold math: its Markdown cells and rich outputs."""
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            parts += ["".join(data[kind]) for kind in ("text/markdown", "text/latex", "text/html")
                      if kind in data]
    return "\n\n".join(parts)


def _not_written_as_math(browser, source: str) -> list[str]:
    """The formulas MathJax typeset on the open page that the source does not write as math:
    between $…$, $$…$$, \\(…\\), \\[…\\], or as a \\begin{…} environment."""
    stray = []
    for tex in browser.execute_script(TYPESET):
        body = r"\s*" + r"\s+".join(map(re.escape, tex.split())) + r"\s*"
        written = [re.escape(start) + body + re.escape(end) for start, end in DELIMITERS
                   if start or tex.lstrip().startswith("\\begin{")]
        if not any(re.search(pattern, source) for pattern in written):
            stray.append(tex)
    return stray


@pytest.mark.parametrize("lang", [ENGLISH, CHINESE])
def test_the_index_links_resolve_in_the_browser(browser, html_site, lang):
    _open(browser, html_site / FOLDER[lang] / "index.html")
    _wait(browser, MATH_DONE)
    browser.save_screenshot(str(ARTIFACTS / f"site-index-{lang}.png"))
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    local = sorted({link.split("#")[0] for link in links if link.startswith("file:")})
    assert len(local) >= len(NOTEBOOKS) + 2
    for link in local:
        browser.get(link)
        title = browser.execute_script("return document.title")
        assert title and "not found" not in title.lower(), link
        assert browser.execute_script("return document.body.innerText.length") > 100, link
    assert _network_errors(browser) == []


@pytest.mark.parametrize("lang, path", EDITIONS, ids=_edition_id)
def test_each_page_shows_its_figures_and_typesets_its_equations(browser, html_site, lang, path):
    nb = make_student(i18n.edition(path, lang))          # the student site's page
    _open(browser, html_site / FOLDER[lang] / f"{path.stem}.html")
    _wait(browser, MATH_DONE)
    images = browser.execute_script(
        "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    assert len(images) == _figures(nb) and all(images), f"{sum(images)} of {_figures(nb)} figures shown"
    typeset = browser.execute_script("return document.querySelectorAll('.MathJax_CHTML').length")
    errors = browser.execute_script("return document.querySelectorAll('.MathJax_Error, .mjx-merror').length")
    assert errors == 0
    if _has_math(nb):
        assert typeset > 0, "the equations are typeset"
    assert _not_written_as_math(browser, _notebook_source(nb)) == [], "typeset, but not written as math"
    assert _network_errors(browser) == []
    if path.name.startswith("03_"):  # equations and figures: the page to look at
        browser.save_screenshot(str(ARTIFACTS / f"site-{path.stem}-{lang}.png"))


def _plain_page_source(name: str, lang: str = ENGLISH) -> str:
    titles = [(p.stem, site.notebook_title(i18n.edition(p, lang))) for p in NOTEBOOKS]
    return {page: source for page, _, source in site.plain_pages(titles, lang)}[name]


@pytest.mark.parametrize("lang", [ENGLISH, CHINESE])
@pytest.mark.parametrize("name", ["index", "glossary", "teaching"])
def test_mathjax_typesets_only_what_the_page_writes_as_math(browser, html_site, name, lang):
    _open(browser, html_site / FOLDER[lang] / f"{name}.html")
    _wait(browser, MATH_DONE)
    stray = _not_written_as_math(browser, _plain_page_source(name, lang))
    if stray:
        browser.save_screenshot(str(ARTIFACTS / f"site-{name}-stray-math.png"))
    assert stray == [], f"{name}.html: MathJax typeset {len(stray)} pieces of plain text, e.g. {stray[:5]}"
    if name == "index":
        in_table = browser.execute_script(
            "return document.querySelectorAll('table .MathJax_CHTML, table .MathJax_Display, "
            "table .MathJax_Preview, table script[type^=\"math/tex\"]').length")
        assert in_table == 0, "the syllabus table is plain text, not math"
        table = browser.execute_script("return document.querySelector('table').innerText")
        assert ("minutes (2-core CPU)" if lang == ENGLISH else "运行分钟数（2 核 CPU）") in table, \
            "the syllabus shows its parentheses as written"


def test_the_glossary_page_shows_the_bilingual_table(browser, html_site):
    _open(browser, html_site / "glossary.html")
    rows = browser.execute_script("return Array.from(document.querySelectorAll('tr')).map(r => r.innerText)")
    assert len(rows) > 20
    assert any("encoder–decoder architecture" in r and "编码-解码结构" in r for r in rows)
    assert _network_errors(browser) == []


DECK_SLIDES = """
const Reveal = require("vendor/reveal.js/dist/reveal.js");
const out = [];
const columns = document.querySelectorAll('.reveal .slides > section');
for (let h = 0; h < columns.length; h++) {
  const rows = Math.max(1, columns[h].querySelectorAll(':scope > section').length);
  for (let v = 0; v < rows; v++) {
    Reveal.slide(h, v);
    const slide = Reveal.getCurrentSlide();
    const images = Array.from(slide.querySelectorAll('img'));
    out.push({where: h + '/' + v, height: slide.scrollHeight, width: slide.scrollWidth,
              notes: Array.from(slide.querySelectorAll('aside.notes')).map(n => n.textContent.trim().length),
              heading: ((slide.querySelector('h1, h2') || {}).textContent || '').replace('¶', '').trim(),
              images: images.length,
              shown: images.filter(i => i.complete && i.naturalWidth > 0
                                         && i.getBoundingClientRect().width > 0).length});
  }
}
Reveal.slide(0, 0);
return out;"""


@pytest.mark.parametrize("lang, path", EDITIONS, ids=_edition_id)
def test_each_deck_fits_the_screen_and_has_notes_and_figures(browser, slides, lang, path):
    nb = i18n.edition(path, lang)
    _open(browser, slides / FOLDER[lang] / f"{path.stem}.slides.html")
    _wait(browser, "return document.querySelector('.reveal.ready') ? 'ready' : null")
    _wait(browser, MATH_DONE)
    script = DECK_SLIDES.replace('"vendor/', '"../vendor/') if lang == CHINESE else DECK_SLIDES
    shown = browser.execute_script(script)
    assert len(shown) == deck_slides(nb), path.name
    assert 8 <= len(shown) <= 25, (path.name, len(shown))
    objectives, summary, lab = (("Objectives · 学习目标", "Summary · 小结", "Lab") if lang == ENGLISH
                                else ("学习目标 · Objectives", "小结 · Summary", "练习 · Lab"))
    assert [s["heading"] for s in shown[:2]] == [notebook_title(nb), objectives]
    assert shown[-1]["heading"].startswith(summary)
    too_big = [(s["where"], s["width"], s["height"]) for s in shown if s["height"] > 720 or s["width"] > 1280]
    assert too_big == [], f"{path.name}: slides larger than 1280x720: {too_big}"
    sections = [s for s in shown[2:-1] if s["heading"] and not s["heading"].startswith(lab)]
    assert sections and all(s["notes"] and min(s["notes"]) > 0 for s in sections), path.name
    figures = sum(slide_types(nb)[i] == "subslide" for i in range(len(nb.cells)))
    assert figures == sum(s["images"] > 0 for s in shown), path.name
    assert all(s["images"] == s["shown"] for s in shown), path.name
    assert _network_errors(browser) == []
    if path.name.startswith("09_"):
        browser.save_screenshot(str(ARTIFACTS / f"slides-{path.stem}-{lang}.png"))


def test_the_teaching_guide_covers_every_notebook():
    guide = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        title = site.notebook_title(nbformat.read(path, as_version=4))
        section = re.search(rf"^### {re.escape(path.name[:2])} · .*\(\d+ slides, about (\d+) min\)$", guide,
                            re.MULTILINE)
        assert section, f"TEACHING.md has no '### {title} (N slides, about M min)' section"
        body = guide[section.end():].split("\n### ", 1)[0]
        for part in ("**Key figure:**", "**Assign:**", "**Common questions:**"):
            assert part in body, f"{path.name[:2]}: {part} missing"


# A solution cell's first line as the page's highlighted code shows it (prose may say "# Solution").
SOLUTION_CODE = '<span class="c1"># Solution</span>'


def test_the_student_site_leaves_the_solutions_out_and_the_instructor_site_has_them(tmp_path, html_site):
    with_solutions = [p for p in NOTEBOOKS
                      if any(SOLUTION in c.get("metadata", {}).get("tags", [])
                             for c in nbformat.read(p, as_version=4).cells)]
    assert with_solutions
    for path in with_solutions:
        page = (html_site / f"{path.stem}.html").read_text(encoding="utf-8")
        assert SOLUTION_CODE not in page, path.name
        assert "answer_1" in page, path.name                     # the placeholder is there
    one = with_solutions[0]
    site.build_html(tmp_path, paths=[one], solutions=True)
    assert SOLUTION_CODE in (tmp_path / f"{one.stem}.html").read_text(encoding="utf-8")
    with pytest.raises(TypeError, match="solutions must be True or False"):
        site.build_html(tmp_path, paths=[one], solutions="yes")


def test_the_command_line_builds_the_instructor_site(tmp_path, capsys, monkeypatch):
    with_solutions = [p for p in NOTEBOOKS if '"solution"' in p.read_text(encoding="utf-8")][:1]
    monkeypatch.setattr(site, "notebook_paths", lambda: with_solutions)
    assert site.main(["html-instructor", "--out", str(tmp_path / "i")]) == 0
    assert "index.html" in capsys.readouterr().out
    assert any(SOLUTION_CODE in p.read_text(encoding="utf-8") for p in (tmp_path / "i").glob("0*.html"))
