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
