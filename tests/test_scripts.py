"""The course's tooling: test environment, sanitize file, execute script, benchmark, README."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from scripts import bench, execute, nbenv, syllabus
from scripts.nbrun import run_notebook

ROOT = Path(__file__).resolve().parents[1]


def test_notebook_env_sets_and_unsets():
    env = nbenv.apply_notebook_env({"COLUMNS": "80", "MPLBACKEND": "Agg", "HOME": "/x"})
    assert env["PYTHONHASHSEED"] == "0" and env["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert "COLUMNS" not in env and "MPLBACKEND" not in env and env["HOME"] == "/x"


def test_the_test_run_has_the_notebook_env():
    import os

    for name, value in nbenv.NOTEBOOK_ENV.items():
        assert os.environ[name] == value
    assert "COLUMNS" not in os.environ


def test_sanitize_file_rules_are_all_live():
    text = (ROOT / "tests" / "sanitize.cfg").read_text()
    pairs = re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)
    assert len(pairs) == text.count("regex:") >= 6
    for regex, replace in pairs:
        assert replace.strip(), f"empty replace for {regex} silently drops the rule"
        re.compile(regex)
    scrub = dict(pairs)
    line = "1/1 - 3s - 120ms/step - loss: 0.5"
    rule = r"(\d+/\d+) - \d+s - \d+(?:s|ms|us)/(?:step|sample)"
    assert re.sub(rule, scrub[rule], line) == "1/1 - KERAS-TIME - loss: 0.5"


def tiny_notebook(path: Path, source: str) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# 99 · Tiny · 小"), new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_run_notebook_executes_in_the_notebook_folder_with_the_env(tmp_path):
    source = (f"import os, sys\nprint(os.getcwd() == {str(tmp_path)!r})\n"
              "print(os.environ['PYTHONHASHSEED'])\n"
              "print('x', file=sys.stderr)\nprint('y', file=sys.stderr)")
    path = tiny_notebook(tmp_path / "99_tiny.ipynb", source)
    result = run_notebook(path)
    cell = result.notebook.cells[1]
    assert cell.execution_count == 1
    assert [(o.name, o.text) for o in cell.outputs] == [("stdout", "True\n0\n"), ("stderr", "x\ny\n")]
    assert "execution" not in cell.metadata
    assert result.wall_s > 0 and result.peak_rss_bytes > 10 * 2**20


def test_execute_writes_only_notebooks_that_ran_cleanly(tmp_path, capsys):
    good = tiny_notebook(tmp_path / "02_good.ipynb", "print(6 * 7)")
    bad = tiny_notebook(tmp_path / "03_bad.ipynb", "1 / 0")
    assert execute.main([str(good), str(bad)]) == 1
    assert nbformat.read(good, 4).cells[1].outputs[0].text == "42\n"
    assert nbformat.read(bad, 4).cells[1].outputs == []
    assert "FAILED, not written" in capsys.readouterr().out


def test_execute_rejects_a_missing_file(tmp_path):
    with pytest.raises(SystemExit, match="not a notebook file"):
        execute.main([str(tmp_path / "nope.ipynb")])


def test_bench_table_and_the_readme_syllabus_agree_with_the_results():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    names = [row["notebook"] for row in results["notebooks"]]
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert names == on_disk, "a notebook was added or removed: run `make bench`"
    assert (ROOT / "benchmarks" / "results.md").read_text() == bench.render_markdown(results)
    readme = (ROOT / "README.md").read_text()
    assert syllabus.readme_table(readme) == syllabus.render_table(), "run `make bench`"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.name)
def test_each_notebook_states_the_run_time_the_bench_measured(path):
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    row = {r["notebook"]: r for r in results["notebooks"]}[path.name]
    assert syllabus.stated_run_time(path) == syllabus.stated_minutes(row["wall_s"]), (
        "run `make bench` to write the measured run time into the first cell")


def test_stated_minutes_round_up_to_a_half():
    assert [syllabus.stated_minutes(s) for s in (5, 30, 31, 80, 150)] == ["0.5", "0.5", "1", "1.5",
                                                                          "2.5"]


def test_update_run_time_rewrites_only_the_number(tmp_path):
    path = tiny_notebook(tmp_path / "06_x.ipynb", "print(1)")
    nb = nbformat.read(path, 4)
    nb.cells[0].source += "\n\n**Run time:** about 9 min on a 2-core CPU."
    nbformat.write(nb, path)
    syllabus.update_run_time(path, 65.0)
    assert nbformat.read(path, 4).cells[0].source.endswith("**Run time:** about 1.5 min on a 2-core CPU.")
    assert syllabus.stated_run_time(path) == "1.5"
    nb.cells[0].source = "# 05 · X · 小"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="has no 'Run time"):
        syllabus.update_run_time(path, 65.0)


def test_syllabus_rejects_a_bad_title(tmp_path):
    path = tiny_notebook(tmp_path / "06_x.ipynb", "1")
    nb = nbformat.read(path, 4)
    nb.cells[0].source = "# Seq2seq"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="is not '# NN · English · 中文'"):
        syllabus.notebook_info(path)
    with pytest.raises(ValueError, match="no syllabus markers"):
        syllabus.readme_table("# README")


def test_a_pipe_in_a_key_result_does_not_break_the_syllabus_table(tmp_path):
    (tmp_path / "notebooks").mkdir()
    path = tiny_notebook(tmp_path / "notebooks" / "01_x.ipynb", "1")
    nb = nbformat.read(path, 4)
    nb.cells[0].source = "# 01 · X · 小"
    nb.metadata["course"] = {"key_result": "|r| ≥ 0.9 while |h| < 1"}
    nbformat.write(nb, path)
    row = syllabus.render_table(tmp_path).splitlines()[-1]
    assert row.count("|") == 7 and "&#124;r&#124; ≥ 0.9" in row


def _script_imports() -> dict[str, set[str]]:
    """Which modules of scripts/ each module of scripts/ imports (at any depth in the file)."""
    import ast

    names = {p.stem for p in (ROOT / "scripts").glob("*.py")}
    graph = {}
    for path in (ROOT / "scripts").glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "scripts":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scripts."):
                found.add(node.module.split(".")[1])
        graph[path.stem] = found & names
    return graph


def test_the_scripts_import_each_other_without_a_cycle():
    graph = _script_imports()
    assert graph["course"] == set()                       # the shared facts import no script
    for start in graph:                                   # depth-first: no path leads back
        stack, seen = list(graph[start]), set()
        while stack:
            name = stack.pop()
            assert name != start, f"scripts.{start} imports itself through scripts.{name}"
            if name not in seen:
                seen.add(name)
                stack.extend(graph[name])


def test_course_lists_the_notebooks_and_refuses_what_is_not_one(tmp_path):
    from scripts import course

    paths = course.notebook_paths()
    assert paths and paths == sorted(paths) and all(p.name[:2].isdigit() for p in paths)
    assert course.paths_from_args([]) == paths
    not_notebook = tmp_path / "notes.txt"
    not_notebook.write_text("x")
    with pytest.raises(SystemExit, match="not a notebook file: .*notes.txt"):
        course.paths_from_args([str(not_notebook)])
    with pytest.raises(SystemExit, match="missing.ipynb"):
        course.paths_from_args([str(tmp_path / "missing.ipynb")])


def test_tags_reads_a_cells_tags_or_none():
    from scripts import course

    assert course.tags(nbformat.v4.new_code_cell("x = 1")) == []
    cell = nbformat.v4.new_code_cell("x = 1", metadata={"tags": [course.SOLUTION]})
    assert course.tags(cell) == ["solution"]
