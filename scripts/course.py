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

import re
from collections.abc import Iterable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SOLUTION, SELF_CHECK, PLACEHOLDER = "solution", "self-check", "exercise"
RAISES = "raises-exception"
IGNORE_OUTPUT = "nbval-ignore-output"
# An exercise's heading line: "### Exercise N · 练习 N: title" (or the older bold "**Exercise N · title**").
EXERCISE_HEADING = re.compile(r"^(?:#{3}\s*|\*\*)Exercise\s+(\d+)\s*·?\s*(?:练习\s*\d+)?\s*[:·]?\s*"
                              r"(.*?)(?:\*\*|$)")
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
                    found.append((int(match.group(1)), match.group(2).strip(" :·*")))
    return found
