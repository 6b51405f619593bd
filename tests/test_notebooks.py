"""Stored notebooks are clean (scripts/nbcheck.py), and the checker catches what it should."""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from scripts.nbcheck import check_file, notebook_problems

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_is_clean(path):
    assert check_file(path) == []


def good_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# 07 · Bucketing · 装桶法\n\nWhat you will learn:\n- one\n- two\n"
                          "- three\n\nRun time: about 2 min on a 2-core CPU."),
        new_markdown_cell("## Padding · 填充"),
        new_code_cell("x = 1", execution_count=1),
        new_code_cell("print(x)", execution_count=2,
                      outputs=[new_output("stream", name="stdout", text="1\n")]),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["course"] = {"key_result": "3x faster"}
    return nb


def test_a_good_notebook_passes():
    assert notebook_problems(good_notebook(), "07_bucketing.ipynb") == []


def broken(change):
    nb = good_notebook()
    change(nb)
    return notebook_problems(nb, "07_bucketing.ipynb")


@pytest.mark.parametrize("change, expected", [
    (lambda nb: nb.cells[3].update(execution_count=None), "execution count None, expected 2"),
    (lambda nb: nb.cells[2].update(execution_count=2), "execution count 2, expected 1"),
    (lambda nb: nb.cells[3].outputs.append(new_output("error", ename="ValueError", evalue="x",
                                                      traceback=[])), "stores an error"),
    (lambda nb: nb.cells[3].outputs[0].update(text="10%\r20%\n"), "progress output"),
    (lambda nb: nb.cells[3].outputs[0].update(text="/home/alice/x.csv\n"), "shows a path"),
    (lambda nb: nb.cells[3].outputs[0].update(text="in /usr/lib/site-packages/k.py\n"),
     "shows a path"),
    (lambda nb: nb.metadata.update(widgets={"state": {}}), "widget state"),
    (lambda nb: nb.metadata.update(kernelspec={"name": "julia"}), "kernelspec is not python3"),
    (lambda nb: nb.metadata.pop("course"), "key_result is missing"),
    (lambda nb: nb.cells[0].update(source="# 07 · Bucketing\n- a\n- b\n- c\nrun time 2 min learn"),
     "is not '# NN · English title · 中文标题'"),
    (lambda nb: nb.cells[0].update(source=nb.cells[0].source.replace("Run time: about 2 min", "")),
     "does not state the run time"),
    (lambda nb: nb.cells[0].update(source=nb.cells[0].source.replace("- two\n- three\n", "")),
     "3+ bullets"),
    (lambda nb: nb.cells[1].update(source="## Padding"), "has no Chinese name"),
    (lambda nb: nb.cells.append(new_code_cell("  ")), "empty code cell"),
    (lambda nb: nb.cells[3].outputs.append(new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {}})), "widget view"),
])
def test_the_checker_finds_each_problem(change, expected):
    problems = broken(change)
    assert any(expected in p for p in problems), problems


def test_the_checker_finds_wrong_names_sizes_and_forbidden_words():
    nb = good_notebook()
    assert any("file name" in p for p in notebook_problems(nb, "Bucketing.ipynb"))
    assert any("title number" in p for p in notebook_problems(nb, "08_bucketing.ipynb"))
    assert any("MB limit" in p for p in notebook_problems(nb, "07_b.ipynb", size=3_000_000))
    nb.cells[3].outputs[0]["text"] = "saved by jdoe42\n"
    assert any("jdoe42" in p for p in notebook_problems(nb, "07_b.ipynb", forbidden=("jdoe42",)))


def test_check_file_reads_from_disk(tmp_path):
    path = tmp_path / "07_bucketing.ipynb"
    nbformat.write(good_notebook(), path)
    assert check_file(path) == []
