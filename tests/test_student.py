"""The student edition (scripts/student.py): no solution survives, and it still runs.

Running each student edition top to bottom is done inside the nbval run of the full
notebook (conftest.py inserts its exercise cells before the first solution); the last test
here proves, on a tiny notebook, that this run fails when a self-check does not.
"""

import os
import re
from pathlib import Path

import nbformat
import pytest

from scripts import site, student
from scripts.course import exercise_headings
from scripts.student import (
    PLACEHOLDER,
    RAISES,
    SELF_CHECK,
    SOLUTION,
    UNANSWERED,
    answer_names,
    exercise_problems,
    first_solution,
    make_student,
    tags,
    write_student_edition,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = site.notebook_paths()


def _solution_lines(nb):
    """Lines of solution code that only solutions have (not comments, not short lines)."""
    solution, lesson = set(), set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = {line.strip() for line in cell.source.splitlines()}
            (solution if SOLUTION in tags(cell) else lesson).update(lines)
    return {line for line in solution - lesson if not line.startswith("#") and len(line) > 12}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_follows_the_exercise_rules(path):
    assert exercise_problems(nbformat.read(path, as_version=4), path.name) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_survives_in_the_student_edition(path):
    nb = nbformat.read(path, as_version=4)
    edition = make_student(nb)
    start = first_solution(nb)
    assert edition.cells[:start] == nb.cells[:start], "the lesson before the exercises is unchanged"
    assert len(edition.cells) == len(nb.cells)
    hidden = _solution_lines(nb)
    assert hidden, "the notebook has solution code to hide"
    solution_texts = [str(o) for c in nb.cells if SOLUTION in tags(c) for o in c.get("outputs", [])]
    for teacher, cell in zip(nb.cells, edition.cells, strict=True):
        assert SOLUTION not in tags(cell)
        if cell.cell_type != "code":
            continue
        assert not [line for line in cell.source.splitlines() if line.strip() in hidden]
        for output in cell.get("outputs", []):
            assert str(output) not in solution_texts
        if SOLUTION in tags(teacher):
            assert tags(cell) == [PLACEHOLDER]
            assert cell.outputs == [] and cell.execution_count is None
            for name in answer_names(teacher.source):
                assert f"{name} = ..." in cell.source
        if SELF_CHECK in tags(teacher):
            assert RAISES in tags(cell) and cell.outputs == []


def test_make_student_writes_the_edition(tmp_path):
    paths = NOTEBOOKS[:2]
    written = write_student_edition(paths, tmp_path / "student")
    assert [p.name for p in written] == [p.name for p in paths]
    for path, target in zip(paths, written, strict=True):
        assert nbformat.read(target, as_version=4) == make_student(nbformat.read(path, as_version=4))
    assert student.main(["--out", str(tmp_path / "again"), str(paths[0])]) == 0
    assert (tmp_path / "again" / paths[0].name).is_file()


def test_answer_names_finds_top_level_answers():
    source = "x = 1\nanswer_1 = x\nanswer_2_a, answer_2_b = 1, 2\nanswer += 1\nfor answer_9 in []: pass"
    assert answer_names(source) == ["answer_1", "answer_2_a", "answer_2_b", "answer"]


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source, cell_tags in cells:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make(source, metadata={"tags": list(cell_tags)} if cell_tags else {}))
    return nb


GOOD = [
    ("code", "from helpers.checks import check, check_callable, check_digest\nx = 2", ()),
    ("markdown", "## Exercises · 练习", ()),
    ("code", "# Solution\nanswer_1 = x * 2", (SOLUTION,)),
    ("code", "check(answer_1, 4, name='answer_1')", (SELF_CHECK,)),
    ("code", "given = [1, 2]", ()),
    ("code", "# Solution\nanswer_2 = sum(given)", (SOLUTION, "nbval-ignore-output")),
    ("code", "check_digest(answer_2, '207cd6d1a9c38f22', name='answer_2')", (SELF_CHECK,)),  # 3
]


def test_a_good_notebook_has_no_exercise_problems():
    assert exercise_problems(_notebook(*GOOD), "good") == []
    edition = make_student(_notebook(*GOOD))
    assert edition.cells[2].source.endswith("answer_1 = ...")
    assert tags(edition.cells[5]) == [PLACEHOLDER]
    assert tags(edition.cells[6]) == [SELF_CHECK, RAISES]


@pytest.mark.parametrize("index, cell, expected", [
    (2, ("code", "answer_1 = x * 2", (SOLUTION,)), "must start with '# Solution'"),
    (2, ("code", "# Solution\nresult = x * 2", (SOLUTION,)), "must assign answer_"),
    (3, ("code", "print(answer_1)", (SELF_CHECK,)), "must call a function of helpers.checks"),
    (3, ("code", "check(answer_1, x * len([1, 2]))", (SELF_CHECK,)), None),
    (3, ("code", "check(answer_1, model.count_params())", (SELF_CHECK,)), "calls model.count_params()"),
    (3, ("code", "check(answer_1, scan.interpret('jump'))", (SELF_CHECK,)), "calls scan.interpret()"),
    (3, ("code", "check_callable(answer_1)\ncheck(answer_1(2), 4)", (SELF_CHECK,)), None),
    (3, ("code", "check(answer_1, 4)\nanswer_1 = x * 2", (SELF_CHECK,)), "shows the solution line"),
    (4, ("markdown", "Hint: `answer_2 = sum(given)`", ()), "shows the solution line 'answer_2 = sum"),
    (3, ("code", "check(answer_1[0], 4)", (SELF_CHECK,)), "uses answer_1 before passing it"),
    (3, ("code", "helper_only = 1\ncheck(answer_1, secret)", (SELF_CHECK,)), "uses secret, which only"),
    (4, ("code", "given = [1, 2]", ("other",)), None),
    (4, ("code", "given = [x, made_in_a_solution]", ()), "uses made_in_a_solution, which only"),
])
def test_the_rules_find_each_problem(index, cell, expected):
    cells = list(GOOD)
    cells[index] = cell
    problems = exercise_problems(_notebook(*cells), "bad")
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_two_to_four_exercises_and_one_to_build():
    cells = [GOOD[0], ("markdown", "## Exercises · 练习\n\n### Exercise 1 · 练习 1: a", ())] + GOOD[2:4] \
        + [("markdown", "### Exercise 2 · 练习 2: b", ())] + GOOD[4:]
    problems = exercise_problems(_notebook(*cells), "nb")
    assert problems == ["nb: no exercise asks the learner to build something "
                        "(a function checked with check_callable)"]
    one = exercise_problems(_notebook(*cells[:4]), "one")
    assert any("1 exercises; the course asks for 2-4" in p for p in one), one


def test_exercises_are_required():
    assert "no cell tagged 'solution'" in exercise_problems(_notebook(*GOOD[:2]), "none")[0]
    one = exercise_problems(_notebook(*GOOD[:4]), "one")
    assert one and "1 answers and 1 self-checks" in one[0]


def test_a_solution_without_answers_is_refused():
    nb = _notebook(("code", "# Solution\nprint(1)", (SOLUTION,)))
    with pytest.raises(ValueError, match="cell 0: a solution cell must assign answer_"):
        make_student(nb)


NOTEBOOK_TEST_CONFTEST = """
from scripts.student import student_items

def pytest_collection_modifyitems(session, config, items):
    items[:] = student_items(items)
"""


@pytest.mark.parametrize("self_check, outcome", [
    ("check(answer_1, 4, name='answer_1')", {"passed": 11}),
    ("assert answer_1 is not None", {"passed": 10, "failed": 1}),  # passes unanswered: caught
])
def test_the_student_run_inside_nbval_catches_a_self_check_that_does_not_fail(
        pytester, monkeypatch, self_check, outcome):
    cells = list(GOOD)
    cells[3] = ("code", self_check, (SELF_CHECK,))
    nb = _notebook(*cells)
    nbformat.write(nb, pytester.path / "tiny.ipynb")
    pytester.makeconftest(NOTEBOOK_TEST_CONFTEST)
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    result = pytester.runpytest_subprocess(
        "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-v", "tiny.ipynb",
        "-c", os.devnull, "--rootdir", str(pytester.path))
    result.assert_outcomes(**outcome)
    if "failed" in outcome:
        result.stdout.fnmatch_lines(["*Student edition Cell 2*FAILED*"])
        assert UNANSWERED in result.stdout.str()


def _exercise_titles() -> dict[str, set[str]]:
    """Each exercise heading's "N · title", by notebook number, from the notebooks."""
    return {path.name[:2]: {f"{number} · {title}"
                            for number, title in exercise_headings(nbformat.read(path, as_version=4).cells)}
            for path in NOTEBOOKS}


def test_the_term_plan_names_exercises_that_exist():
    """TEACHING.md's term plan sets exercises by number and title; they must be the notebooks'."""
    teaching = (Path(__file__).resolve().parents[1] / "TEACHING.md").read_text(encoding="utf-8")
    known = {t for group in _exercise_titles().values() for t in group}
    plan = teaching.split("## A 13-week term plan")[1].split("\n## ")[0]
    mentioned = [m.strip().rstrip(".") for m in
                 re.findall(r"Exercise (\d+ · .+?)(?=, Exercise|;|\||\. |\.$| \(then)", plan, flags=re.M)]
    assert mentioned
    unknown = [m for m in mentioned
               if not any(m.strip().startswith(k) or k.startswith(m.strip()) for k in known)]
    assert unknown == [], f"TEACHING.md names exercises the notebooks do not have: {unknown}"
