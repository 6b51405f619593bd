"""Hygiene of stored notebooks: what nbval does not check but a reader or CI trips on.

``notebook_problems`` returns every problem as a sentence; ``tests/test_notebooks.py``
runs it over ``notebooks/`` and unit-tests it on notebooks made wrong on purpose.
"""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import nbformat

MAX_BYTES = 2_000_000
NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
TITLE = re.compile(r"^#\s+(\d\d)\s+·\s+\S.*\s+·\s+.*[\u4e00-\u9fff].*$")
RUN_TIME = re.compile(r"run time[^\n]*?\d+(?:\.\d+)?\s*min", re.IGNORECASE)
CJK = re.compile(r"[\u4e00-\u9fff]")
ABSOLUTE_PATHS = [
    re.compile(r"/home/[A-Za-z0-9_.-]+"),
    re.compile(r"/Users/[A-Za-z0-9_.-]+"),
    re.compile(r"/root/"),
    re.compile(r"/tmp/"),
    re.compile(r"[A-Za-z]:\\\\?Users"),
    re.compile(r"site-packages"),
]


def _texts(output: dict) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [v if isinstance(v, str) else "".join(v) for k, v in data.items()
            if k.startswith("text/")]


def notebook_problems(nb: nbformat.NotebookNode, name: str, size: int = 0,
                      forbidden: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with a stored notebook, as sentences naming the cell.

    ``forbidden`` are extra strings that must not appear in outputs (the checkout's
    absolute path, the user's name).
    """
    problems: list[str] = []
    if not NAME.match(name):
        problems.append(f"{name}: file name is not NN_short_topic.ipynb")
    if size > MAX_BYTES:
        problems.append(f"{name}: {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{name}: kernelspec is not python3")
    if "widgets" in nb.metadata:
        problems.append(f"{name}: stores widget state (metadata.widgets)")
    if not nb.metadata.get("course", {}).get("key_result"):
        problems.append(f"{name}: metadata.course.key_result is missing (the README quotes it)")
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        problems.append(f"{name}: first cell is not markdown")
    else:
        first = nb.cells[0].source
        title = first.splitlines()[0] if first else ""
        if not TITLE.match(title):
            problems.append(f"{name}: title {title!r} is not '# NN · English title · 中文标题'")
        elif title.split()[1] != name[:2]:
            problems.append(f"{name}: title number does not match the file name")
        if "learn" not in first.lower() or first.count("\n- ") < 3:
            problems.append(f"{name}: first cell lacks 'what you will learn' with 3+ bullets")
        if not RUN_TIME.search(first):
            problems.append(f"{name}: first cell does not state the run time in minutes")
    expected_count = 1
    for index, cell in enumerate(nb.cells):
        where = f"{name} cell {index}"
        if cell.cell_type == "markdown" and cell.source.startswith("## ") and not CJK.search(
            cell.source.splitlines()[0]
        ):
            problems.append(f"{where}: heading {cell.source.splitlines()[0]!r} has no Chinese name")
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            problems.append(f"{where}: empty code cell")
            continue
        count = cell.get("execution_count")
        if count != expected_count:
            problems.append(f"{where}: execution count {count}, expected {expected_count}")
        expected_count = (count or expected_count) + 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{where}: stores an error ({output.get('ename')})")
            for text in _texts(output):
                if "\r" in text or "\b" in text:
                    problems.append(f"{where}: stores \\r or backspace progress output")
                for pattern in ABSOLUTE_PATHS:
                    if pattern.search(text):
                        problems.append(f"{where}: output shows a path ({pattern.pattern})")
                for word in forbidden:
                    if word and word in text:
                        problems.append(f"{where}: output contains {word!r}")
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                problems.append(f"{where}: stores a widget view")
    return problems


def check_file(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    forbidden = (str(path.resolve().parents[1]), _user())
    return notebook_problems(nb, path.name, path.stat().st_size, forbidden)


def _user() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name available: nothing to look for
        return ""
    # "root" and short names would match ordinary words; the path checks cover them.
    return user if len(user) >= 5 and user not in {"runner", "jovyan"} else ""


# --- numbers the prose quotes -----------------------------------------------------------

# A number a reader would check against the outputs: a percentage, a decimal, or a count of
# 100 or more ("21,081 pairs"). Years (1900-2099 without a comma) are names, not results.
QUOTED = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")
_NOT_PROSE = [
    re.compile(r"`[^`]*`"),                          # code spans: they are code
    re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S),      # math
    re.compile(r"\]\([^)]*\)|https?://\S+"),           # link targets
    re.compile(r"^\*\*Run time:\*\*.*$", re.M),        # written by the benchmark
]


def quoted_numbers(markdown: str) -> list[str]:
    """The numbers a markdown text quotes, as written: percentages, decimals, counts ≥ 100."""
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a str, got {type(markdown).__name__}")
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    found = []
    for match in QUOTED.finditer(markdown):
        whole, fraction, percent = match.group(1), match.group(2) or "", match.group(3)
        value = float(whole.replace(",", "") + fraction)
        if not (percent or fraction or value >= 100):
            continue
        if not (percent or fraction) and "," not in whole and 1900 <= value <= 2099:
            continue
        found.append(match.group(0))
    return found


def _spellings(number: str) -> set[str]:
    """How code or an output may write a quoted number: 21,081 as 21081 or 21_081; 95% as 0.95."""
    bare = number.rstrip("%")
    spellings = {number, bare.replace(",", ""), bare.replace(",", "_")}
    if number.endswith("%"):
        fraction = float(bare.replace(",", "")) / 100
        spellings |= {f"{fraction:g}", f"{fraction:.2f}", f"{fraction:g}".lstrip("0")}
    return spellings


def unprinted_numbers(nb: nbformat.NotebookNode, allowed: set[str] = frozenset()) -> list[str]:
    """Numbers quoted in markdown cells that no code cell, no output and ``allowed`` holds."""
    printed = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            printed.append(cell.source)
            for output in cell.get("outputs", []):
                printed.extend(_texts(output))
    haystack = "\n".join(printed)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for number in quoted_numbers(cell.source):
            if number in allowed:
                continue
            if not any(re.search(r"(?<![\d.])" + re.escape(s) + r"(?![\d])", haystack)
                       for s in _spellings(number)):
                problems.append(f"cell {index} quotes {number}, which no output or code holds")
    return problems
