"""Every number the prose of a notebook quotes is one its outputs print (scripts/nbcheck.py).

A percentage, a decimal or a count of 100 or more in a markdown cell must appear in the same
notebook's code or stored outputs. Figures from the literature, standards and library defaults
are listed, with their source, in ``quoted_numbers_allowed.txt`` beside this file, keyed by the
notebook's name without its number (so that renumbering keeps them).
"""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from scripts.nbcheck import quoted_numbers, unprinted_numbers
from scripts.site import notebook_paths

ALLOWED_FILE = Path(__file__).with_name("quoted_numbers_allowed.txt")


def allowed_numbers() -> dict[str, set[str]]:
    allowed: dict[str, set[str]] = {}
    for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].split()
        if entry:
            assert len(entry) == 2 and "#" in line, f"want 'notebook number  # source': {line!r}"
            allowed.setdefault(entry[0], set()).add(entry[1])
    return allowed


def slug(path: Path) -> str:
    return path.stem.split("_", 1)[1]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_the_prose_quotes_only_printed_numbers(path):
    allowed = allowed_numbers().get(slug(path), set())
    assert unprinted_numbers(nbformat.read(path, as_version=4), allowed) == []


def test_every_allowed_entry_names_a_notebook_and_is_still_quoted():
    quoted = {slug(p): {n for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown"
                        for n in quoted_numbers(c.source)} for p in notebook_paths()}
    for name, numbers in allowed_numbers().items():
        assert name in quoted, f"{name}: no such notebook"
        assert numbers <= quoted[name], f"{name}: no longer quoted: {sorted(numbers - quoted[name])}"


@pytest.mark.parametrize("text, expected", [
    ("21,081 pairs, 44.4% changed, BLEU 28.1", ["21,081", "44.4%", "28.1"]),
    ("3 epochs of 64 units in 2016", []),                      # small counts and years
    ("`clipnorm=1.0` and $0.5 x$ and [a](https://x.org/1.5)", []),
    ("**Run time:** about 2.5 min on a 2-core CPU", []),
    ("between 120 and 1,500 steps", ["120", "1,500"]),
])
def test_quoted_numbers(text, expected):
    assert quoted_numbers(text) == expected


def test_quoted_numbers_names_a_wrong_argument():
    with pytest.raises(TypeError, match="markdown must be a str"):
        quoted_numbers(None)


def _notebook(markdown, printed, code="x = 1"):
    cell = new_code_cell(code, outputs=[new_output("stream", name="stdout", text=printed)])
    return new_notebook(cells=[new_markdown_cell(markdown), cell])


def test_a_quoted_number_must_be_printed():
    assert unprinted_numbers(_notebook("BLEU 28.1 on 1,000 sentences", "BLEU 28.1 on 1000")) == []
    assert unprinted_numbers(_notebook("BLEU 28.2", "BLEU 28.1")) == [
        "cell 0 quotes 28.2, which no output or code holds"]
    assert unprinted_numbers(_notebook("BLEU 8.1", "BLEU 28.1")) != []      # not part of 28.1
    assert unprinted_numbers(_notebook("BLEU 28.2", "BLEU 28.1"), {"28.2"}) == []


def test_a_percentage_may_be_a_fraction_in_the_code():
    assert unprinted_numbers(_notebook("at least 95%", "", code="assert acc >= 0.95")) == []
    assert unprinted_numbers(_notebook("20,000 samples", "", code="n = 20_000")) == []
    assert unprinted_numbers(_notebook("at least 90%", "", code="assert acc >= 0.95")) != []
