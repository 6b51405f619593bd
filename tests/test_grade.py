"""scripts.grade: fabricated submissions of a tiny course-format notebook, scored end to end."""

import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from scripts import grade
from scripts.course import PLACEHOLDER, SELF_CHECK, tags
from scripts.student import make_student

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "99_grading.ipynb"
NAME = FIXTURE.stem


def student_edition() -> nbformat.NotebookNode:
    return make_student(nbformat.read(FIXTURE, as_version=4))


def answered(answers: dict[str, str]) -> nbformat.NotebookNode:
    """The student edition with the placeholder cells of the given ids filled in."""
    nb = student_edition()
    for cell in nb.cells:
        if cell.id in answers:
            assert PLACEHOLDER in tags(cell)
            cell.source = answers[cell.id]
    return nb


RIGHT = {"grading-03": "answer_1 = 5", "grading-07": "answer_2 = [1, 2, 3]",
         "grading-10": "answer_3_low, answer_3_high = 0, 9"}


def fabricate(folder: Path) -> None:
    """alice: all right; bob: as handed out; carol: an answer raises, one is wrong;
    dave: loops forever in exercise 2; erin: cheats (edits a check, redefines check, deletes one)."""
    folder.mkdir()
    nbformat.write(answered(RIGHT), folder / f"alice__{NAME}.ipynb")
    nbformat.write(student_edition(), folder / f"bob__{NAME}.ipynb")
    carol = answered({**RIGHT, "grading-03": "answer_1 = 1 / 0", "grading-07": "answer_2 = [3, 2, 1]"})
    nbformat.write(carol, folder / f"carol__{NAME}.ipynb")
    (folder / "dave").mkdir()  # the other naming: one folder per student
    dave = answered({**RIGHT, "grading-07": "while True:\n    pass"})
    nbformat.write(dave, folder / "dave" / f"{NAME}.ipynb")
    cheat = answered({"grading-03": "answer_1 = 4",
                      "grading-07": "answer_2 = [0]\ncheck = lambda *args, **kwargs: print('✓')",
                      "grading-10": "answer_3_low, answer_3_high = 0, 9"})
    for cell in cheat.cells:
        if cell.id == "grading-04":
            cell.source = 'print("✓ answer_1 is right")'
    cheat.cells = [c for c in cheat.cells if c.id != "grading-12"]
    nbformat.write(cheat, folder / f"erin__{NAME}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    course = root / "course"
    course.mkdir()
    shutil.copy(FIXTURE, course)
    fabricate(root / "submissions")
    out = root / "out"
    code = grade.main([str(root / "submissions"), "--out", str(out), "--course", str(course),
                       "--timeout", "30", "--cell-timeout", "4"])
    assert code == 0
    with (out / "grades.csv").open(encoding="utf-8") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    return rows, out / "reports"


def points(row: dict) -> list[str]:
    return [row["Exercise 1"], row["Exercise 2"], row["Exercise 3"], row["total"], row["max"]]


def test_the_exercises_of_the_fixture():
    found = grade.exercises(student_edition())
    assert [(e.label, e.points, e.checks) for e in found] == [
        ("Exercise 1", 1, ["grading-04"]), ("Exercise 2", 2, ["grading-08"]),
        ("Exercise 3", 1, ["grading-11", "grading-12"])]
    assert found[1].title == "Exercise 2 · sort (排序) (2 points)"


def test_headings_in_one_cell_share_the_checks_or_take_one_each():
    cells = [nbformat.v4.new_markdown_cell("## Exercises\n\n**Exercise 1 · a.** x\n\n**Exercise 2 · b.** y")]
    cells += [nbformat.v4.new_code_cell("check(answer_1, 1)", metadata={"tags": [SELF_CHECK]})]
    nb = nbformat.v4.new_notebook(cells=cells)
    assert [e.checks for e in grade.exercises(nb)] == [[cells[1].id], [cells[1].id]]
    cells.append(nbformat.v4.new_code_cell("check(answer_2, 2)", metadata={"tags": [SELF_CHECK]}))
    assert [e.checks for e in grade.exercises(nb)] == [[cells[1].id], [cells[2].id]]


def test_all_right_scores_full_marks(graded):
    rows, reports = graded
    assert points(rows["alice"]) == ["1", "2", "1", "4", "4"] and rows["alice"]["notebook"] == NAME
    text = (reports / "alice.md").read_text(encoding="utf-8")
    assert f"## {NAME}: 4 / 4 points" in text
    assert "- Exercise 1 · 练习 1: add: **right** (1/1)" in text


def test_the_edition_as_handed_out_scores_zero_as_not_answered(graded):
    rows, reports = graded
    assert points(rows["bob"]) == ["0", "0", "0", "0", "4"] and rows["bob"]["note"] == ""
    text = (reports / "bob.md").read_text(encoding="utf-8")
    assert text.count("**not answered**") == 3
    assert "(0/2) — answer_2: replace the ... with your answer first" in text


def test_an_answer_that_raises_or_is_wrong_scores_zero_and_later_ones_still_count(graded):
    rows, reports = graded
    assert points(rows["carol"]) == ["0", "0", "1", "1", "4"]
    text = (reports / "carol.md").read_text(encoding="utf-8")
    assert "**wrong** (0/1) — NameError: name 'answer_1' is not defined" in text
    assert ("**wrong** (0/2) — answer_2 is not right yet: 2 of 3 values differ from the expected ones. "
            "Hint: sorted()") in text
    assert "two bounds: **right** (1/1)" in text


def test_an_endless_cell_stops_the_run_and_scores_the_rest_as_not_run(graded):
    rows, reports = graded
    assert points(rows["dave"]) == ["1", "0", "0", "1", "4"]
    assert "cell 8 ran past the time limit (4 s a cell, 30 s in all)" in rows["dave"]["note"]
    text = (reports / "dave.md").read_text(encoding="utf-8")
    assert text.count("**not run**") == 2 and "add: **right**" in text


def test_no_kernel_outlives_its_submission(graded):
    """The endless submission's kernel is shut down, not left spinning until pytest exits."""
    import psutil

    kernels = [p for p in psutil.Process().children(recursive=True)
               if "ipykernel_launcher" in " ".join(p.cmdline())]
    assert kernels == []


def test_edited_redefined_or_deleted_checks_do_not_pass(graded):
    rows, reports = graded
    assert points(rows["erin"]) == ["0", "0", "0", "0", "4"]
    text = (reports / "erin.md").read_text(encoding="utf-8")
    assert "add: **wrong** (0/1) — answer_1 is not right yet" in text       # the course's check came back
    assert "(0/2) — answer_2 is not right yet" in text                       # so did check()
    assert "two bounds: **not run** (0/1) — a self-check cell is missing from the notebook" in text


def test_bad_inputs_are_named(tmp_path, capsys):
    with pytest.raises(SystemExit, match="SUBMISSIONS: no such folder: .*missing"):
        grade.main([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "empty" / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    with pytest.raises(SystemExit, match="SUBMISSIONS: no .ipynb files in .*empty"):
        grade.main([str(tmp_path / "empty")])


def test_a_file_that_matches_no_course_notebook_gets_a_row_with_a_note(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zoe__99_nothing.ipynb").write_text("{}")
    (folder / f"{NAME}.ipynb").write_text("{}")
    assert grade.main([str(folder), "--out", str(tmp_path / "out"), "--course", str(FIXTURE.parent)]) == 1
    with (tmp_path / "out" / "grades.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["student"], r["total"], r["note"]) for r in rows] == [
        (NAME, "0", f"{NAME}.ipynb: name it STUDENT__{NAME}.ipynb"),
        ("zoe", "0", "zoe__99_nothing.ipynb: no course notebook named 99_nothing.ipynb")]
    assert "matched no course notebook" in capsys.readouterr().err
