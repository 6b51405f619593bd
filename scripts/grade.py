"""Grade a class's notebooks (评分): run each submission, score its self-checks (``make grade``).

    python -m scripts.grade SUBMISSIONS/ [--timeout 600] [--cell-timeout 300] [--out build/grades]

A submission is a student-edition notebook a student completed, named
``STUDENT__NN_name.ipynb`` in the folder (``alice__06_seq2seq_keras.ipynb``) or
``STUDENT/NN_name.ipynb`` one folder down. Each runs top to bottom in a fresh kernel (the
course's, from :mod:`scripts.nbrun`), started in the course's notebooks folder, with a time
limit per cell and per notebook; errors in ordinary cells do not stop it.

Exercises come from the course's own student edition: a markdown line that starts with
``### Exercise N`` or ``**Exercise N`` opens one, up to the next cell with such a line, and
``(2 points)`` in that line sets its points (1 by default). An exercise scores if every
self-check cell in it ran without error. Before the run each self-check cell (matched by
cell id) is put back as the course wrote it and ``helpers.checks`` is re-imported before
it runs, so an edited or redefined check does not pass; a deleted one scores 0. If a cell
runs past the limit or the kernel dies, that exercise and all later ones are "not run".

Writes ``grades.csv`` (student, notebook, one column per exercise, total, max, note) and
``reports/STUDENT.md`` (each exercise: right / wrong / not answered / not run, with the
first line of the self-check's error as feedback) into ``--out``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from scripts.course import NOTEBOOKS, ROOT, SELF_CHECK, tags
from scripts.nbrun import kernel, notebook_client
from scripts.student import UNANSWERED, make_student

OUT = ROOT / "build" / "grades"
TIMEOUT_S = 600        # a whole notebook; the course's longest runs 2.5 min on 2 cores
CELL_TIMEOUT_S = 300   # one cell
HEADING = re.compile(r"^\s*(?:#{1,6}\s*|\*\*)Exercise\s+(\d+)\b")
POINTS = re.compile(r"\((\d+) points?\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# Run before each self-check: a check the student redefined or patched is the course's again.
GUARD = ("import importlib as _grade_il, helpers.checks as _grade_hc\n_grade_il.reload(_grade_hc)\n"
         "from helpers.checks import check, check_between, check_callable, check_digest\n"
         "del _grade_il, _grade_hc")
RIGHT, WRONG, UNANSWERED_STATUS, NOT_RUN = "right", "wrong", "not answered", "not run"


@dataclass
class Exercise:
    number: int
    title: str
    points: int
    checks: list[str]  # ids of its self-check cells

    @property
    def label(self) -> str:
        return f"Exercise {self.number}"


@dataclass
class Result:
    exercise: Exercise
    status: str
    feedback: str = ""

    @property
    def points(self) -> int:
        return self.exercise.points if self.status == RIGHT else 0


@dataclass
class Graded:
    student: str
    notebook: str
    results: list[Result] = field(default_factory=list)
    note: str = ""
    wall_s: float = 0.0
    matched: bool = True  # False: the file name matched no course notebook

    @property
    def total(self) -> int:
        return sum(r.points for r in self.results)

    @property
    def possible(self) -> int:
        return sum(r.exercise.points for r in self.results)


def exercises(student: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of a student edition, each with the ids of its self-check cells.

    A cell with several headings (``**Exercise 1 ...``, ``**Exercise 2 ...``) opens them
    together: with as many self-check cells as headings, the n-th check is the n-th
    exercise's; otherwise each of them needs all the checks to pass.
    """
    found: list[Exercise] = []
    group: list[Exercise] = []
    checks: list[str] = []

    def close() -> None:
        if len(group) > 1 and len(checks) == len(group):
            for exercise, check_id in zip(group, checks, strict=True):
                exercise.checks = [check_id]
        else:
            for exercise in group:
                exercise.checks = list(checks)

    for cell in student.cells:
        if cell.cell_type == "markdown":
            lines = [line for line in cell.source.splitlines() if HEADING.match(line)]
            if lines:
                close()
                group, checks = [], []
                for line in lines:
                    bold = BOLD.search(line)
                    title = (bold[1] if bold else line.strip().lstrip("#")).strip().rstrip(".")
                    points = POINTS.search(line)
                    group.append(Exercise(int(HEADING.match(line)[1]), title,
                                          int(points[1]) if points else 1, []))
                found += group
        elif cell.cell_type == "code" and SELF_CHECK in tags(cell) and group:
            checks.append(cell.id)
    close()
    return found


def restore_checks(submission: nbformat.NotebookNode, student: nbformat.NotebookNode) -> None:
    """Put back every self-check cell of ``submission`` as the course's student edition has it."""
    originals = {c.id: c for c in student.cells if c.cell_type == "code" and SELF_CHECK in tags(c)}
    for index, cell in enumerate(submission.cells):
        if cell.get("id") in originals:
            submission.cells[index] = copy.deepcopy(originals[cell.id])


def execute(nb: nbformat.NotebookNode, folder: Path, *, timeout: int, cell_timeout: int,
            checks: set[str]) -> tuple[set[int], str]:
    """Run ``nb`` in a fresh kernel; the indices of the cells that ran, and why it stopped early.

    Cells are counted from 1 in the message, markdown cells included.
    """
    client = notebook_client(nb, folder, timeout=cell_timeout, allow_errors=True,
                             shutdown_kernel="immediate")
    deadline = time.monotonic() + timeout
    ran: set[int] = set()
    index = 0
    try:
        with kernel(client, folder):
            for index, cell in enumerate(nb.cells):
                left = deadline - time.monotonic()
                if left < 1:
                    return ran, f"the notebook ran past its {timeout} s limit before cell {index + 1}"
                client.timeout = int(min(cell_timeout, left))
                if cell.get("id") in checks:
                    client.execute_cell(nbformat.v4.new_code_cell(GUARD), index)
                client.execute_cell(cell, index)
                ran.add(index)
    except CellTimeoutError:
        return ran, f"cell {index + 1} ran past the time limit ({cell_timeout} s a cell, {timeout} s in all)"
    except DeadKernelError:
        return ran, f"the kernel died in cell {index + 1}"
    except Exception as error:  # a kernel that does not start, a broken connection
        return ran, f"stopped at cell {index + 1}: {type(error).__name__}: {first_line(str(error))}"
    return ran, ""


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def verdict(exercise: Exercise, nb: nbformat.NotebookNode, ran: set[int], stopped: str) -> Result:
    """Score one exercise from the self-check cells of the executed submission."""
    errors = []
    for check_id in exercise.checks:
        where = [i for i, c in enumerate(nb.cells) if c.get("id") == check_id]
        if not where:
            return Result(exercise, NOT_RUN, "a self-check cell is missing from the notebook")
        if any(i not in ran for i in where):
            return Result(exercise, NOT_RUN, stopped)
        errors += [o for i in where for o in nb.cells[i].outputs if o.output_type == "error"]
    if not exercise.checks:
        return Result(exercise, NOT_RUN, "the course has no self-check for this exercise")
    if not errors:
        return Result(exercise, RIGHT)
    wrong = [e for e in errors if UNANSWERED not in e.evalue]
    if not wrong:
        return Result(exercise, UNANSWERED_STATUS, first_line(errors[0].evalue))
    error = wrong[0]
    message = first_line(error.evalue)
    if error.ename != "AssertionError":
        message = f"{error.ename}: {message}"
    return Result(exercise, WRONG, message)


def grade(path: Path, student: str, name: str, reference: nbformat.NotebookNode, folder: Path, *,
          timeout: int = TIMEOUT_S, cell_timeout: int = CELL_TIMEOUT_S) -> Graded:
    """Run one submission against its notebook's student edition and score each exercise."""
    graded = Graded(student, name)
    todo = exercises(reference)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # not JSON, not a notebook
        graded.note = f"could not read the notebook: {first_line(str(error))}"
        graded.results = [Result(e, NOT_RUN, graded.note) for e in todo]
        return graded
    restore_checks(nb, reference)
    ran, stopped = execute(nb, folder, timeout=timeout, cell_timeout=cell_timeout,
                           checks={i for e in todo for i in e.checks})
    graded.wall_s = time.perf_counter() - start
    graded.note = stopped
    graded.results = [verdict(e, nb, ran, stopped) for e in todo]
    return graded


def submissions(folder: Path) -> list[tuple[str, str, Path]]:
    """(student, notebook name, file) for every ``.ipynb`` in ``folder`` or one folder down."""
    found = []
    for path in sorted(folder.glob("*.ipynb")) + sorted(folder.glob("*/*.ipynb")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # .ipynb_checkpoints and other hidden files
        if path.parent == folder:
            student, _, name = path.stem.rpartition("__")
        else:
            student, name = path.parent.name, path.stem
        found.append((student, name, path))
    return found


def write_csv(rows: list[Graded], path: Path) -> None:
    labels = sorted({r.exercise.label: r.exercise.number for g in rows for r in g.results}.items(),
                    key=lambda item: item[1])
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["student", "notebook", *(label for label, _ in labels), "total", "max", "note"])
        for g in rows:
            points = {r.exercise.label: r.points for r in g.results}
            writer.writerow([g.student, g.notebook, *(points.get(label, "") for label, _ in labels),
                             g.total, g.possible, g.note])


def report(graded: list[Graded]) -> str:
    """One student's Markdown report: a section per submitted notebook."""
    lines = [f"# {graded[0].student}", ""]
    for g in graded:
        lines += [f"## {g.notebook}: {g.total} / {g.possible} points", ""]
        if g.note:
            lines += [f"Note: {g.note}.", ""]
        for r in g.results:
            feedback = f" — {r.feedback}" if r.feedback else ""
            lines.append(f"- {r.exercise.title}: **{r.status}** ({r.points}/{r.exercise.points}){feedback}")
        lines.append("")
    return "\n".join(lines)


def summary(g: Graded) -> str:
    counts = ", ".join(f"{sum(r.status == s for r in g.results)} {s}"
                       for s in (RIGHT, WRONG, UNANSWERED_STATUS, NOT_RUN))
    note = f"  [{g.note}]" if g.note else ""
    return f"{g.student:<16} {g.notebook:<28} {g.total:>3}/{g.possible:<3} {counts}  {g.wall_s:6.1f} s{note}"


def grade_folder(folder: Path, out: Path = OUT, *, course: Path = NOTEBOOKS, timeout: int = TIMEOUT_S,
                 cell_timeout: int = CELL_TIMEOUT_S) -> list[Graded]:
    """Grade every submission in ``folder``; write ``out/grades.csv`` and ``out/reports/``."""
    if not folder.is_dir():
        raise SystemExit(f"SUBMISSIONS: no such folder: {folder}")
    found = submissions(folder)
    if not found:
        raise SystemExit(f"SUBMISSIONS: no .ipynb files in {folder} (name them "
                         "STUDENT__NN_name.ipynb, or STUDENT/NN_name.ipynb one folder down)")
    course_notebooks = {p.stem: p for p in sorted(course.glob("[0-9][0-9]_*.ipynb"))}
    references: dict[str, nbformat.NotebookNode] = {}
    rows: list[Graded] = []
    for student, name, path in found:
        if not student or name not in course_notebooks:
            row = Graded(student or path.stem, name, matched=False, note=(
                f"{path.name}: no course notebook named {name}.ipynb" if student else
                f"{path.name}: name it STUDENT__{name}.ipynb"))
        else:
            if name not in references:
                references[name] = make_student(nbformat.read(course_notebooks[name], as_version=4))
            row = grade(path, student, name, references[name], course, timeout=timeout,
                        cell_timeout=cell_timeout)
        rows.append(row)
        print(summary(row), flush=True)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    write_csv(rows, out / "grades.csv")
    by_student: dict[str, list[Graded]] = {}
    for row in rows:
        by_student.setdefault(row.student, []).append(row)
    for student, graded in by_student.items():
        (out / "reports" / f"{student}.md").write_text(report(graded), encoding="utf-8")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade students' completed student-edition notebooks.")
    parser.add_argument("submissions", type=Path,
                        help="folder of STUDENT__NN_name.ipynb (or STUDENT/NN_name.ipynb)")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_S,
                        help=f"seconds a whole notebook may run (default {TIMEOUT_S})")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT_S,
                        help=f"seconds one cell may run (default {CELL_TIMEOUT_S})")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default build/grades)")
    parser.add_argument("--course", type=Path, default=NOTEBOOKS,
                        help="the course's notebooks (default notebooks/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = grade_folder(args.submissions, args.out, course=args.course.resolve(), timeout=args.timeout,
                        cell_timeout=args.cell_timeout)
    print(f"{len(rows)} submissions graded in {time.perf_counter() - start:.1f} s: "
          f"{args.out / 'grades.csv'}, {args.out / 'reports'}/")
    ungraded = [r for r in rows if not r.matched]
    if ungraded:
        print(f"{len(ungraded)} file(s) matched no course notebook: see the note column", file=sys.stderr)
    return 1 if ungraded else 0


if __name__ == "__main__":
    sys.exit(main())
