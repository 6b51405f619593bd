"""Lecture decks (讲义幻灯片): which cells a lecture shows, and the deck built from them.

Each notebook cell carries Jupyter's slideshow metadata (``metadata.slideshow.slide_type``),
set by ``mark_slides`` from the rules of ``slide_types`` and checked by the tests:

- the title cell and every ``##`` section heading open a ``slide``;
- other Markdown (the lesson's prose) becomes speaker ``notes``;
- a code cell that draws a figure becomes a ``subslide`` showing only the figure;
- every other code cell, the set-up section and the exercises' cells are ``skip``ped
  (the exercises appear as one "Lab" slide that lists them);
- a lecturer moves a section into the previous slide's notes by tagging its heading cell
  ``lecture-notes``.

``lecture_deck`` turns a notebook into the deck's cells: a title slide, an objectives
slide (the notebook's "What you will learn" list), one slide per section with its heading,
its first sentences, its display equations and a short list if it has one (the whole
section text goes into the speaker notes), the figures, the lab slide and a summary slide
(the notebook's measured key result, one item per claim). ``class_minutes`` turns a deck into lecture time at
``MINUTES_PER_SLIDE``.
"""

from __future__ import annotations

import base64
import re

import nbformat

from scripts.course import (
    LECTURE_NOTES,
    PLACEHOLDER,
    SELF_CHECK,
    SOLUTION,
    exercise_headings,
    language,
    tags,
    tr,
)

MINUTES_PER_SLIDE = 2.0          # the pace the class timing assumes: one slide in about two minutes
LEAD_CHARACTERS = 300            # a section slide shows at most this much of the section's first paragraph
ITEM_CHARACTERS = 110            # and list items up to this length


def _first_line(cell: nbformat.NotebookNode) -> str:
    return cell.source.lstrip().split("\n", 1)[0]


def _heading_level(cell: nbformat.NotebookNode) -> int:
    if cell.cell_type != "markdown":
        return 0
    match = re.match(r"(#{1,6}) ", _first_line(cell))
    return len(match.group(1)) if match else 0


def _has_figure(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def _section_kind(cell: nbformat.NotebookNode) -> str:
    """"setup", "exercises" or "section", from a heading in either edition ("## 练习 · Exercises")."""
    title = _first_line(cell).lower()
    if re.match(r"## (setup|环境设置)\b", title) or re.search(r"· setup$", title):
        return "setup"
    if re.match(r"## (exercises|练习)\b", title) or re.search(r"· exercises$", title):
        return "exercises"
    return "section"


def slide_types(nb: nbformat.NotebookNode) -> list[str]:
    """The slide type of every cell of ``nb`` under the rules above."""
    types: list[str] = []
    section = "title"
    for index, cell in enumerate(nb.cells):
        level = _heading_level(cell)
        if index == 0 and level == 1:
            types.append("slide")
            continue
        if level in (1, 2):
            section = _section_kind(cell)
            if section != "section":
                types.append("slide" if section == "exercises" else "skip")
            else:
                types.append("notes" if LECTURE_NOTES in tags(cell) else "slide")
            continue
        cell_tags = tags(cell)
        if section in ("setup", "exercises") or {SOLUTION, SELF_CHECK, PLACEHOLDER} & set(cell_tags):
            types.append("skip")
        elif cell.cell_type == "markdown":
            types.append("notes")
        elif _has_figure(cell):
            types.append("subslide")
        else:
            types.append("skip")
    return types


def stored_type(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def mark_slides(nb: nbformat.NotebookNode) -> bool:
    """Set ``metadata.slideshow.slide_type`` on every cell; True if anything changed."""
    changed = False
    for cell, wanted in zip(nb.cells, slide_types(nb), strict=True):
        if stored_type(cell) != wanted:
            cell.metadata["slideshow"] = {"slide_type": wanted}
            changed = True
    return changed


def slide_problems(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """Cells whose stored slide type differs from ``slide_types``, as sentences."""
    return [f"{name} cell {i}: slide type {stored_type(c)!r}, expected {wanted!r} "
            "(run make execute or python -m scripts.site mark)"
            for i, (c, wanted) in enumerate(zip(nb.cells, slide_types(nb), strict=True))
            if stored_type(c) != wanted]


# --- the deck ---------------------------------------------------------------------------

def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _width(text: str) -> int:
    """Display width in Latin characters: a Chinese character takes two."""
    return len(text) + sum(1 for ch in text if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def _shorten(text: str, limit: int) -> str:
    """``text`` up to the last sentence end within ``limit`` widths (or a word, with …).

    Chinese characters count twice (``_width``), so a Chinese slide holds as much as an English one.
    """
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    cut = text
    while _width(cut) > limit:
        cut = cut[:max(limit // 2, len(cut) - (_width(cut) - limit))]
        cut = cut[:-1] if _width(cut) > limit else cut
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)|[。！？]", cut)]
    if ends and _width(cut[:ends[-1]]) > limit // 3:
        return cut[:ends[-1]]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(",;:，；：") + " …"


def _is_list(paragraph: str) -> bool:
    return all(re.match(r"\s*([-*]|\d+\.)\s", line) or line.startswith("  ")
               for line in paragraph.splitlines())


def _list_items(paragraph: str) -> list[str]:
    items: list[str] = []
    for line in paragraph.splitlines():
        match = re.match(r"\s*(?:[-*]|\d+\.)\s+(.*)", line)
        if match:
            items.append(match.group(1))
        elif items:
            items[-1] += " " + line.strip()
    return items


def _equations(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"\$\$.+?\$\$", text, flags=re.S)]


def _lead(body: list[str]) -> str:
    """The first prose paragraph of a section, shortened for a slide."""
    for paragraph in body:
        if not _is_list(paragraph) and not paragraph.startswith(("$$", "|", "```", "<")):
            return _shorten(re.sub(r"\$\$.+?\$\$", "", paragraph, flags=re.S), LEAD_CHARACTERS)
    return ""


def _short_list(body: list[str]) -> list[str]:
    for paragraph in body:
        if _is_list(paragraph):
            items = _list_items(paragraph)
            return [_shorten(i, ITEM_CHARACTERS) for i in items[:6]]
    return []


def _cell(source: str, slide_type: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source, metadata={"slideshow": {"slide_type": slide_type}})


def _objectives(text: str) -> list[str]:
    match = re.search(r"(?:What you will learn|学习目标)[^\n]*\n(.*?)(?:\n\s*\n|$)", text, flags=re.S)
    return [_shorten(i, ITEM_CHARACTERS) for i in _list_items(match.group(1))] if match else []


def _figure_cell(cell: nbformat.NotebookNode, section: str) -> nbformat.NotebookNode:
    images = "\n".join(f'<img class="deck-figure" alt="figure" src="data:image/png;base64,'
                       f'{"".join(o["data"]["image/png"].split())}">'
                       for o in cell.outputs if "image/png" in o.get("data", {}))
    return _cell(f'<p class="deck-caption">{section}</p>\n\n{images}', "subslide")


def lecture_deck(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The deck of ``nb``: Markdown cells with slide types, the rest of the text as notes."""
    deck = nbformat.v4.new_notebook(metadata=dict(nb.metadata))
    lang = language(nb)
    types = [stored_type(c) or t for c, t in zip(nb.cells, slide_types(nb), strict=True)]
    title_cell = nb.cells[0]
    title, *rest = _paragraphs(title_cell.source)
    intro = next((p for p in rest if not _is_list(p) and not p.startswith("**")), "")
    deck.cells.append(_cell(f"{title}\n\n{_shorten(intro, LEAD_CHARACTERS)}", "slide"))
    deck.cells.append(_cell(title_cell.source, "notes"))
    objectives = _objectives(title_cell.source)
    if objectives:
        items = "\n".join(f"- {o}" for o in objectives)
        deck.cells.append(_cell(tr(lang, "## Objectives · 学习目标") + "\n\n" + items, "slide"))
    section = title.lstrip("# ")
    for index, (cell, kind) in enumerate(zip(nb.cells, types, strict=True)):
        if index == 0 or kind in ("skip", "-", None):
            continue
        if kind == "slide" and _heading_level(cell) in (1, 2):
            heading, *body = _paragraphs(cell.source)
            section = heading.lstrip("# ")
            if _section_kind(cell) == "exercises":
                deck.cells.append(_cell(_lab(nb, index, lang), "slide"))
                continue
            parts = [heading, _lead(body)] + _equations(cell.source)[:2]
            items = _short_list(body)
            if items:
                parts.append("\n".join(f"- {i}" for i in items))
            deck.cells.append(_cell("\n\n".join(p for p in parts if p), "slide"))
            deck.cells.append(_cell(cell.source, "notes"))
        elif kind == "notes" and cell.cell_type == "markdown":
            deck.cells.append(_cell(cell.source, "notes"))
        elif kind == "subslide" and _has_figure(cell):
            deck.cells.append(_figure_cell(cell, section))
    summary = [tr(lang, "## Summary · 小结"), tr(lang, "Measured in this notebook, and asserted:")]
    key_result = nb.metadata.get("course", {}).get("key_result", "")
    claims = [part.strip() for part in re.split(r"[;；]", key_result) if part.strip()]
    summary.append("\n".join(f"- {_shorten(part, ITEM_CHARACTERS)}" for part in claims))
    deck.cells.append(_cell("\n\n".join(summary), "slide"))
    return deck


def _lab(nb: nbformat.NotebookNode, start: int, lang: str) -> str:
    """The lab slide: the exercises of the section that starts at cell ``start``."""
    exercise = tr(lang, "Exercise {number}. {title}")
    titles = [exercise.format(number=number, title=title)
              for number, title in exercise_headings(nb.cells[start:])]
    lines = [tr(lang, "## Lab · 练习"), tr(lang, "In the notebook, each with a self-check:")]
    return "\n\n".join(lines) + "\n\n" + "\n".join(f"- {t}" for t in titles)


def deck_slides(nb: nbformat.NotebookNode) -> int:
    """How many slides (horizontal and vertical) the deck of ``nb`` has."""
    return sum(stored_type(c) in ("slide", "subslide") for c in lecture_deck(nb).cells)


def class_minutes(nb: nbformat.NotebookNode) -> float:
    """Lecture time for the deck of ``nb`` at ``MINUTES_PER_SLIDE``."""
    return deck_slides(nb) * MINUTES_PER_SLIDE


def embedded_png(text: str) -> list[bytes]:
    """The PNG images embedded in a deck page (for the tests)."""
    return [base64.b64decode(m) for m in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text)]


# --- class timing in TEACHING.md ----------------------------------------------------------

TEACHING_HEADING = re.compile(r"^(### (\d\d) · .*?) \((?:\d+ min|\d+ slides, about \d+ min)\)$", flags=re.M)


def teaching_with_timing(text: str, minutes: dict[str, tuple[int, float]]) -> str:
    """TEACHING.md's lesson headings "### NN · title (S slides, about M min)" from the decks.

    ``minutes`` maps a notebook number ("06") to (slides, minutes); a heading whose number
    is missing is left as it is.
    """
    def heading(match: re.Match) -> str:
        if match.group(2) not in minutes:
            return match.group(0)
        count, total = minutes[match.group(2)]
        return f"{match.group(1)} ({count} slides, about {round(total)} min)"
    return TEACHING_HEADING.sub(heading, text)


def deck_timing(paths: list) -> dict[str, tuple[int, float]]:
    """(slides, lecture minutes) of each notebook's deck, keyed by its two-digit number."""
    timing = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        timing[path.name[:2]] = (deck_slides(nb), class_minutes(nb))
    return timing


def main(argv: list[str] | None = None) -> int:
    import argparse

    from scripts.course import ROOT, notebook_paths

    parser = argparse.ArgumentParser(description="Write each deck's lecture time into TEACHING.md.")
    parser.add_argument("what", choices=["timing"])
    parser.parse_args(argv)
    teaching = ROOT / "TEACHING.md"
    timing = deck_timing(notebook_paths())
    teaching.write_text(teaching_with_timing(teaching.read_text(encoding="utf-8"), timing), encoding="utf-8")
    for number, (count, total) in timing.items():
        print(f"{number}: {count} slides, about {round(total)} min at {MINUTES_PER_SLIDE:g} min per slide")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
