"""The facts every course script shares: where the notebooks are, and what cell tags mean.

``scripts.execute``, ``scripts.site``, ``scripts.slides``, ``scripts.student``, ``scripts.grade``
and ``scripts.bench`` import this module and not each other for these facts, so each of
them reads top-down.

Cell tags (``metadata.tags``) the course uses:

- ``solution``: an exercise's worked solution; the student edition replaces it with a
  placeholder, the slides skip it.
- ``self-check``: the cell after an exercise that gives the verdict with ``helpers.checks``.
- ``exercise``: the placeholder cell of the student edition (set ``answer_...`` to ``...``).
- ``raises-exception``: nbval and "Run all" go on past the cell's error (the student
  edition's unanswered self-checks).
- ``nbval-ignore-output``: nbval runs the cell but does not compare its output (training).
- ``lecture-notes``: on a section's heading cell, the lecture deck folds the section into the
  previous slide's speaker notes (scripts/slides.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LOCALE = ROOT / "locale"
# The editions: English, the source, and Chinese, built from gettext catalogues (scripts/i18n.py).
ENGLISH, CHINESE = "en", "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)

SOLUTION, SELF_CHECK, PLACEHOLDER = "solution", "self-check", "exercise"
RAISES = "raises-exception"
IGNORE_OUTPUT = "nbval-ignore-output"
# An exercise's heading line: "### Exercise N · 练习 N: title" (or the older bold "**Exercise N · title**"),
# in the Chinese edition "### 练习 N · Exercise N：title".
EXERCISE_HEADING = re.compile(r"^(?:#{3}\s*|\*\*)(?:Exercise\s+(\d+)\s*·?\s*(?:练习\s*\d+)?"
                              r"|练习\s*(\d+)\s*·?\s*(?:Exercise\s*\d+)?)\s*[:：·]?\s*(.*?)(?:\*\*|$)")
LECTURE_NOTES = "lecture-notes"


def notebook_paths() -> list[Path]:
    """Every course notebook, ``NN_name.ipynb``, in course order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def paths_from_args(args: list[str]) -> list[Path]:
    """The notebook files named on a command line, or every course notebook if none is."""
    paths = [Path(a) for a in args] or notebook_paths()
    missing = [str(p) for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        raise SystemExit(f"not a notebook file: {', '.join(missing)}")
    return paths


def tags(cell: nbformat.NotebookNode) -> list[str]:
    """A cell's tags (an empty list if it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_headings(cells: Iterable[nbformat.NotebookNode]) -> list[tuple[int, str]]:
    """(number, title) of every exercise heading in the Markdown ``cells``, in order."""
    found = []
    for cell in cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = EXERCISE_HEADING.match(line.strip())
                if match:
                    found.append((int(match.group(1) or match.group(2)), match.group(3).strip(" :：·*")))
    return found


def language(nb: nbformat.NotebookNode) -> str:
    """The edition a notebook belongs to: ``metadata.language``, English if it has none."""
    return nb.metadata.get("language", ENGLISH)


@functools.cache
def _script_words(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = LOCALE / lang / "scripts.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def tr(lang: str, text: str) -> str:
    """``text``, a word the scripts write (slides, site, syllabus), in the edition ``lang``.

    English is the text itself; Chinese comes from ``locale/zh_CN/scripts.po`` (the text
    itself while it has no translation, which the drift test does not allow).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return text if lang == ENGLISH else _script_words(lang).get(text, text)
