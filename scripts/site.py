"""The course to read without running it: a static site and lecture slides.

    python -m scripts.site html      # make html:   build/html/index.html, one page per notebook,
                                     #              the exercise solutions left out (student site)
    python -m scripts.site html-instructor   # make html-instructor: the same with the solutions
    python -m scripts.site slides    # make slides: build/slides/NN_topic.slides.html
    python -m scripts.site mark      # set the slide metadata of every notebook (make execute does)

Both work when opened from disk with no network: MathJax, reveal.js and the loaders the
slides need are pinned copies (scripts/vendor.py) placed next to the pages. The pages are
the executed notebooks as stored (the student site: as the student edition stores them),
so they show exactly what the tests compare.

Slides: one lecture deck per notebook, cut by the notebooks' slideshow metadata
(scripts/slides.py): title, objectives, one slide per section with the prose as speaker
notes (press S), the figures, the lab and a summary; 1280×720, no scrolling, no solutions.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path

import nbformat

from scripts import i18n, vendor
from scripts.course import CHINESE, ENGLISH, ROOT, notebook_paths, tr
from scripts.slides import lecture_deck, mark_slides
from scripts.student import make_student

BUILD = ROOT / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"
MATHJAX = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
# Each language's pages: the English at the top of the site, the Chinese in zh_CN/; every page
# links to the same page in the other language (its label, and the language of the page it opens).
FOLDER = {ENGLISH: "", CHINESE: f"{CHINESE}/"}
SWITCH = {ENGLISH: ("中文", "zh"), CHINESE: ("English", "en")}
HTML_LANG = {ENGLISH: "en", CHINESE: "zh"}   # ISO 639-1, as nbconvert wants it
# The MathJax settings of the index, glossary and teaching pages, the delimiters the notebook
# pages use (nbconvert's). Written into the page with json.dumps so that the backslash of \( and
# \) reaches JavaScript: a hand-written "\(" in a JavaScript string is just "(", which made MathJax
# typeset every parenthesis of the syllabus, "(2-core CPU)", "N(0, I)", as math.
MATHJAX_CONFIG = {"messageStyle": "none",
                  "tex2jax": {"inlineMath": [["$", "$"], ["\\(", "\\)"]],
                              "displayMath": [["$$", "$$"], ["\\[", "\\]"]],
                              "processEscapes": True}}


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The title line of a notebook without the leading ``#``."""
    return nb.cells[0].source.splitlines()[0].lstrip("# ").strip()


# --- pages ----------------------------------------------------------------------------

def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _site_links(text: str, lang: str = ENGLISH) -> str:
    """Point the documents' links at the pages of the site in ``lang`` (and the other language's)."""
    text = re.sub(r"\]\(notebooks/(\d\d_[a-z0-9_]+)\.ipynb\)", r"](\1.html)", text)
    here, there = ("TEACHING.md", "TEACHING.zh-CN.md")[::1 if lang == ENGLISH else -1]
    pages = {"GLOSSARY.md": "glossary.html", here: "teaching.html", there: switch_href(lang, "teaching.html")}
    return re.sub(r"\]\((GLOSSARY\.md|TEACHING\.zh-CN\.md|TEACHING\.md)\)",
                  lambda m: f"]({pages[m.group(1)]})", text)


def title(lang: str) -> str:
    """The course's name, as the site's home page and its tab show it."""
    return tr(lang, "Encoder–decoder networks, hands-on · 编码-解码结构实战")


def switch_href(lang: str, page: str) -> str:
    """The link from ``page`` of the ``lang`` site to the same page in the other language."""
    return f"{CHINESE}/{page}" if lang == ENGLISH else f"../{page}"


def _up(lang: str) -> str:
    """From a page of ``lang`` back to the site's top, where vendor/ is."""
    return "../" * FOLDER[lang].count("/")


PAGE = """<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
         max-width: 1100px; margin: 0 auto; padding: 0 16px 48px; line-height: 1.5; color: #222; }}
  nav {{ padding: 8px 0; border-bottom: 1px solid #ddd; margin-bottom: 16px; }}
  nav a {{ margin-right: 1.5em; text-decoration: none; }}
  table {{ border-collapse: collapse; margin: 1em 0; font-size: 14px; }}
  th, td {{ border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }}
  th {{ background: #f3f3f3; }}
  code {{ background: #f3f3f3; padding: 0 3px; }}
  a.anchor-link {{ margin-left: 0.3em; font-size: 0.6em; text-decoration: none; opacity: 0.35; }}
</style>
<script type="text/x-mathjax-config">
  MathJax.Hub.Config({mathjax_config});
</script>
<script src="{mathjax}"></script>
</head>
<body>
<nav><a href="index.html">Course home · 课程首页</a><a href="glossary.html">Glossary · 术语表</a>
<a href="teaching.html">Teaching guide · 教学指南</a>
<a class="lang-switch" href="{switch_href}" hreflang="{switch_lang}">{switch_label}</a></nav>
<main>
{body}
</main>
</body>
</html>
"""


def _page(title: str, body_markdown: str, lang: str = ENGLISH, name: str = "index") -> str:
    label, switch_lang = SWITCH[lang]
    return PAGE.format(title=html.escape(title), mathjax=_up(lang) + MATHJAX,
                       mathjax_config=json.dumps(MATHJAX_CONFIG), html_lang=HTML_LANG[lang],
                       switch_href=switch_href(lang, f"{name}.html"), switch_lang=switch_lang,
                       switch_label=label,
                       body=_markdown(_site_links(body_markdown, lang)))


def index_markdown(titles: list[tuple[str, str]], lang: str = ENGLISH,
                   editions: dict[str, nbformat.NotebookNode] | None = None) -> str:
    """The home page: what the course is, the syllabus (as the README has it), the pages."""
    from scripts.syllabus import render_table

    lessons = "\n".join(f"- [{name}]({stem}.html)" for stem, name in titles)
    command = "make lab" if lang == ENGLISH else "make lab-zh"
    parts = [
        f"# {title(lang)}",
        tr(lang, "An open, hands-on course on encoder–decoder networks with TensorFlow and Keras 3. "
                 "Each page below is one notebook of the course, executed, with the outputs that the test "
                 "suite checks. To run them yourself, clone the repository and run `{command}`."
           ).format(command=command),
        tr(lang, "## Lessons · 课程"),
        lessons,
        tr(lang, "## Syllabus · 课程大纲"),
        tr(lang, "Minutes and peak memory as measured by `make bench` on a 2-core CPU."),
        render_table(lang=lang, editions=editions),
        tr(lang, "Also here: the [bilingual glossary · 术语表](glossary.html) and the "
                 "[teaching guide · 教学指南](teaching.html)."),
    ]
    return "\n\n".join(parts) + "\n"


def _exporter(kind: str, prefix: str = "", lang: str = ENGLISH):
    from nbconvert import HTMLExporter, SlidesExporter

    if kind == "html":
        exporter = HTMLExporter(template_name="course_page", extra_template_basedirs=[str(TEMPLATES)])
    else:
        exporter = SlidesExporter(template_name="course_slides", extra_template_basedirs=[str(TEMPLATES)],
                                  reveal_url_prefix=prefix + "vendor/reveal.js", reveal_scroll=False,
                                  reveal_theme="white", reveal_number="c/t", reveal_transition="none",
                                  reveal_width="1280", reveal_height="720",
                                  jquery_url=prefix + "vendor/jquery/dist/jquery.min.js",
                                  require_js_url=prefix + "vendor/requirejs/require.js")
    exporter.mathjax_url = prefix + MATHJAX
    exporter.language_code = HTML_LANG[lang]
    exporter.exclude_anchor_links = False
    return exporter


def plain_pages(titles: list[tuple[str, str]], lang: str = ENGLISH,
                editions: dict[str, nbformat.NotebookNode] | None = None) -> list[tuple[str, str, str]]:
    """The site's pages that are not notebooks: (name, title, Markdown source) of each."""
    teaching = ((ROOT / "TEACHING.md").read_text(encoding="utf-8") if lang == ENGLISH
                else i18n.chinese_document("TEACHING.md"))
    return [
        ("index", title(lang), index_markdown(titles, lang, editions)),
        ("glossary", tr(lang, "Glossary · 术语表"), (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")),
        ("teaching", tr(lang, "Teaching guide · 教学指南"), teaching),
    ]


def build_html(out: Path = BUILD / "html", paths: list[Path] | None = None, *,
               solutions: bool = False) -> list[Path]:
    """Build the static course site into ``out``, English at the top, Chinese in ``zh_CN/``.

    The student site (the default) shows each notebook as the student edition, without the
    exercise solutions; ``solutions=True`` builds the instructor site, with them. Every page
    links to the same page in the other language. Returns the pages written.
    """
    if not isinstance(solutions, bool):
        raise TypeError(f"solutions must be True or False, got {solutions!r}")
    paths = notebook_paths() if paths is None else paths
    if not paths:
        raise ValueError("paths must name at least one notebook")
    out.mkdir(parents=True, exist_ok=True)
    vendor.copy_into("mathjax", out / "vendor" / "mathjax")
    written = []
    for lang in (ENGLISH, CHINESE):
        written += _build_language(out, paths, solutions, lang)
    return written


def _build_language(out: Path, paths: list[Path], solutions: bool, lang: str) -> list[Path]:
    folder = out / FOLDER[lang]
    folder.mkdir(parents=True, exist_ok=True)
    exporter = _exporter("html", _up(lang), lang)
    notebooks = [i18n.edition(p, lang) for p in paths]
    editions = {p.name: nb for p, nb in zip(paths, notebooks, strict=True)}
    if not solutions:
        notebooks = [make_student(nb) for nb in notebooks]
    titles = [(p.stem, notebook_title(nb)) for p, nb in zip(paths, notebooks, strict=True)]
    written = []
    for i, (path, nb) in enumerate(zip(paths, notebooks, strict=True)):
        nav = {"prev": None, "next": None}
        if i > 0:
            nav["prev"] = {"href": f"{titles[i - 1][0]}.html", "title": titles[i - 1][1]}
        if i + 1 < len(paths):
            nav["next"] = {"href": f"{titles[i + 1][0]}.html", "title": titles[i + 1][1]}
        label, switch_lang = SWITCH[lang]
        nav["switch"] = {"href": switch_href(lang, f"{path.stem}.html"), "label": label, "lang": switch_lang}
        resources = {"course": nav, "metadata": {"name": titles[i][1]}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        page = folder / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        written.append(page)
    for name, page_title, source in plain_pages(titles, lang, editions):
        page = folder / f"{name}.html"
        page.write_text(_page(page_title, source, lang, name), encoding="utf-8")
        written.append(page)
    return written


def build_slides(out: Path = BUILD / "slides", paths: list[Path] | None = None) -> list[Path]:
    """Build one reveal.js deck per notebook into ``out`` (the Chinese decks into ``zh_CN/``).

    Returns the decks written, English first.
    """
    paths = notebook_paths() if paths is None else paths
    if not paths:
        raise ValueError("paths must name at least one notebook")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("mathjax", "reveal.js", "requirejs", "jquery"):
        vendor.copy_into(name, out / "vendor" / name)
    written = []
    for lang in (ENGLISH, CHINESE):
        folder = out / FOLDER[lang]
        folder.mkdir(parents=True, exist_ok=True)
        exporter = _exporter("slides", _up(lang), lang)
        for path in paths:
            nb = i18n.edition(path, lang)
            mark_slides(nb)  # the stored marks are checked by the tests; this keeps a draft usable
            deck = lecture_deck(nb)
            resources = {"metadata": {"name": notebook_title(nb)}}
            body, _ = exporter.from_notebook_node(deck, resources=resources)
            page = folder / f"{path.stem}.slides.html"
            page.write_text(body, encoding="utf-8")
            written.append(page)
    return written


def mark_all(paths: list[Path] | None = None) -> list[Path]:
    """Write the slide metadata into the notebooks that lack it; returns those changed."""
    changed = []
    for path in notebook_paths() if paths is None else paths:
        nb = nbformat.read(path, as_version=4)
        if mark_slides(nb):
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the HTML course or the slides.")
    parser.add_argument("what", choices=["html", "html-instructor", "slides", "mark"])
    parser.add_argument("--out", type=Path, help="output folder (default: build/ and the command's name)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.what == "mark":
        for path in mark_all():
            print(f"marked slides in {path.name}")
        return 0
    out = args.out or BUILD / args.what
    if args.what == "slides":
        written = build_slides(out)
    else:
        written = build_html(out, solutions=args.what == "html-instructor")
    print(f"wrote {len(written)} pages to {out} in {time.perf_counter() - start:.1f} s; "
          f"open {out / (written[0].name if args.what == 'slides' else 'index.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

