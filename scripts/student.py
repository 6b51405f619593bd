"""The student edition (学生版): the notebooks without the exercise solutions (``make student``).

    python -m scripts.student                 # every notebook into build/student/ (and build/student/zh_CN/)
    python -m scripts.student --out DIR notebooks/06_seq2seq_keras.ipynb

Every notebook ends with its exercises (练习): after the first solution cell come only
exercise cells. Each exercise has a code cell tagged ``solution`` (it starts with
``# Solution`` and sets ``answer_...`` variables) and a cell tagged ``self-check`` that
calls ``helpers.checks.check``; an untagged cell there gives data for an exercise and
stays in both editions. The student edition keeps the whole lesson with its stored
outputs, keeps the self-checks, and replaces each solution by a placeholder that sets
the same names to ``...``. Run as handed out, each self-check then fails with check()'s
message "replace the ... with your answer first"; those cells carry the
``raises-exception`` tag so that "Run all" and nbval go on past them.

``exercise_problems`` states the rules a notebook must follow for this to work; the
test suite applies it to every notebook, and conftest.py runs each student edition's
exercise cells inside the nbval run of the full notebook (see ``student_items`` there).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import re
import sys
from collections import defaultdict
from pathlib import Path

import nbformat

from scripts import i18n
from scripts.course import (
    CHINESE,
    ENGLISH,
    PLACEHOLDER,
    RAISES,
    ROOT,
    SELF_CHECK,
    SOLUTION,
    exercise_headings,
    language,
    paths_from_args,
    tags,
    tr,
)

OUT = ROOT / "build" / "student"
ANSWER = re.compile(r"^answer(_\w+)?$")
# What a self-check cell may call: the verdicts of helpers.checks, a few builtins and NumPy
# functions that read an answer, and the answers themselves (an answer may be the function
# an exercise asks for). Anything else would compute the reference in front of the learner.
CHECKS = {"check", "check_digest", "check_between", "check_callable"}
SAFE_CALLS = {"len", "int", "float", "bool", "str", "list", "tuple", "set", "dict", "sorted",
              "isinstance", "callable", "abs", "round", "all", "any", "zip", "range", "enumerate",
              "sum", "min", "max", "type", "np.asarray", "np.array", "np.sum", "np.all", "np.any",
              "np.isfinite", "np.round", "np.abs", "np.zeros", "np.ones", "np.arange", "np.stack",
              "np.full", "np.random.default_rng"}
# A solution line at least this long that also appears in the student edition leaks it.
LEAK_LENGTH = 16
# The message helpers.checks.check raises for an unanswered (...) exercise.
UNANSWERED = "replace the ... with your answer first"


def answer_names(source: str) -> list[str]:
    """The ``answer_...`` names a solution cell assigns at top level, in order."""
    names: list[str] = []
    for node in ast.parse(source).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and ANSWER.match(name.id) and name.id not in names:
                    names.append(name.id)
    return names


def placeholder_source(names: list[str], lang: str = ENGLISH) -> str:
    lines = [tr(lang, "# Your solution · 你的解答: replace each ... below, then run the self-check cell.")]
    lines += [f"{name} = ..." for name in names]
    return "\n".join(lines)


def first_solution(nb: nbformat.NotebookNode) -> int | None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and SOLUTION in tags(cell):
            return index
    return None


def make_student(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with every solution cell replaced by an ``answer = ...`` placeholder.

    Cells before the first solution are copied unchanged, outputs included. Self-check
    cells lose their outputs (they would show the tick of the solved exercise) and gain
    the ``raises-exception`` tag. Raises ``ValueError`` if a solution sets no answer.
    """
    student = copy.deepcopy(nb)
    for index, cell in enumerate(student.cells):
        if cell.cell_type != "code":
            continue
        cell_tags = tags(cell)
        if SOLUTION in cell_tags:
            names = answer_names(cell.source)
            if not names:
                raise ValueError(f"cell {index}: a solution cell must assign answer_... names")
            placeholder = nbformat.v4.new_code_cell(
                placeholder_source(names, language(nb)), metadata={"tags": [PLACEHOLDER]})
            if "id" in cell:
                placeholder.id = cell.id  # the same id: the edition is the same on every run
            student.cells[index] = placeholder
        elif SELF_CHECK in cell_tags:
            cell.outputs = []
            cell.execution_count = None
            cell.metadata["tags"] = [t for t in cell_tags if t != "nbval-ignore-output"] + [RAISES]
    return student


def _stored_names(sources: list[str]) -> set[str]:
    """Every name that ``sources`` could bind (assignments, imports, defs, loop targets)."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                names.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return names


def _loaded_names(source: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _answer_first(source: str) -> str | None:
    """The first use of an answer name that is not as the first argument of a check, if any."""
    for statement in ast.parse(source).body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in CHECKS:
                if node.args and isinstance(node.args[0], ast.Name) and ANSWER.match(node.args[0].id):
                    return None  # the first answer use is check(answer, ...): fine
            if isinstance(node, ast.Name) and ANSWER.match(node.id):
                return node.id
    return None


def _call_name(node: ast.Call) -> str:
    """``f`` for ``f(...)``, ``np.sum`` for ``np.sum(...)``, ``x.y.z`` as far as names go."""
    parts: list[str] = []
    func = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
        return ".".join(reversed(parts))
    return "(expression)" + "".join(f".{p}" for p in reversed(parts))


def reference_calls(source: str, answers: set[str]) -> list[str]:
    """The calls in a self-check cell that could compute the expected answer.

    Allowed: ``CHECKS``, ``SAFE_CALLS``, names defined in the cell itself (a small helper
    function of the check), and calls of an answer or of its methods.
    """
    tree = ast.parse(source)
    local = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _call_name(node)
        root = called.split(".")[0]
        if called in CHECKS | SAFE_CALLS or root in local or root in answers:
            continue
        if called not in found:
            found.append(called)
    return found


def leaked_lines(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """Solution lines that the student edition would still show: (cell index, line).

    A line counts if it is at least ``LEAK_LENGTH`` characters long (stripped), is not a
    comment, and appears in (a line of) a cell after the first solution that is not a solution.
    """
    start = first_solution(nb)
    if start is None:
        return []
    solution_lines = {line.strip() for cell in nb.cells[start:]
                      if cell.cell_type == "code" and SOLUTION in tags(cell)
                      for line in cell.source.splitlines()}
    solution_lines = {line for line in solution_lines
                      if len(line) >= LEAK_LENGTH and not line.startswith("#")}
    leaks = []
    for index, cell in enumerate(nb.cells[start:], start):
        if SOLUTION in tags(cell):
            continue
        for line in cell.source.splitlines():
            leaks.extend((index, leaked) for leaked in sorted(solution_lines) if leaked in line)
    return leaks


def exercise_problems(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """What stops ``nb`` from having a working student edition, as sentences."""
    start = first_solution(nb)
    if start is None:
        return [f"{name}: no cell tagged {SOLUTION!r} (exercises need worked solutions)"]
    problems: list[str] = []
    prefix = [c.source for c in nb.cells[:start] if c.cell_type == "code"]
    known = _stored_names(prefix) | set(dir(builtins))
    solutions = checks = 0
    for index, cell in enumerate(nb.cells[start:], start):
        if cell.cell_type != "code":
            continue
        where = f"{name} cell {index}"
        cell_tags = tags(cell)
        if SOLUTION in cell_tags:
            solutions += 1
            if not cell.source.startswith("# Solution"):
                problems.append(f"{where}: a solution cell must start with '# Solution'")
            if not answer_names(cell.source):
                problems.append(f"{where}: a solution cell must assign answer_... names")
        else:
            if SELF_CHECK in cell_tags:
                checks += 1
                if not any(f"{f}(" in cell.source for f in CHECKS):
                    problems.append(f"{where}: a self-check cell must call a function of helpers.checks")
                answers = {n for n in _loaded_names(cell.source) if ANSWER.match(n)}
                for called in reference_calls(cell.source, answers):
                    problems.append(f"{where}: calls {called}(); a self-check gives a verdict and must "
                                    "not compute the expected answer (use check_digest or check_between)")
                used = _answer_first(cell.source)
                if used:
                    problems.append(f"{where}: uses {used} before passing it to check()")
            unknown = sorted(n for n in _loaded_names(cell.source) - _stored_names([cell.source])
                             if n not in known and not ANSWER.match(n))
            if unknown:
                problems.append(f"{where}: uses {', '.join(unknown)}, which only a solution "
                                "defines (the student edition has no solutions)")
            known |= _stored_names([cell.source])
    for index, line in leaked_lines(nb):
        problems.append(f"{name} cell {index}: shows the solution line {line!r} in the student edition")
    answers = sum(len(answer_names(c.source)) for c in nb.cells[start:]
                  if c.cell_type == "code" and SOLUTION in tags(c))
    if answers < 2 or checks < 1:
        problems.append(f"{name}: {answers} answers and {checks} self-checks; "
                        "the course asks for 2-4 exercises, each with a self-check")
    headings = len(exercise_headings(nb.cells))
    if headings and not 2 <= headings <= 4:
        problems.append(f"{name}: {headings} exercises; the course asks for 2-4")
    if headings and not any("check_callable(" in c.source for c in nb.cells[start:] if SELF_CHECK in tags(c)):
        problems.append(f"{name}: no exercise asks the learner to build something (a function checked "
                        "with check_callable)")
    return problems


def student_items(items: list) -> list:
    """Run each notebook's student edition inside its nbval run (a pytest hook's helper).

    The student edition is the notebook up to its first solution (the same cells, so the
    same kernel state) followed by placeholders and self-checks. Its exercise cells are
    therefore run in nbval's kernel right before the first solution cell: placeholders
    must run cleanly and each self-check must fail with check()'s "unanswered" message.
    Then the solutions and self-checks run as usual and must match their stored outputs.
    """
    from nbval.plugin import IPyNbCell, IPyNbFile

    class StudentCell(IPyNbCell):
        def runtest(self) -> None:
            super().runtest()
            errors = [o for o in self.test_outputs if o.get("output_type") == "error"]
            if RAISES not in tags(self.cell):
                return  # an error would already have failed super().runtest()
            if len(errors) != 1 or errors[0]["ename"] != "AssertionError" \
                    or UNANSWERED not in errors[0]["evalue"]:
                got = [f"{e['ename']}: {e['evalue']}" for e in errors] or ["no error"]
                self.raise_cell_error(
                    f"student edition: this self-check should fail with {UNANSWERED!r}, "
                    f"got {'; '.join(got)}")

    result: list = []
    done: set = set()
    for item in items:
        parent = getattr(item, "parent", None)
        cell = getattr(item, "cell", None)
        if isinstance(parent, IPyNbFile) and parent not in done and cell is not None \
                and SOLUTION in tags(cell):
            done.add(parent)
            student = make_student(parent.nb)
            start = first_solution(parent.nb)
            number = sum(c.cell_type == "code" for c in student.cells[:start])  # nbval's count
            for student_cell in student.cells[start:]:
                if student_cell.cell_type != "code":
                    continue
                options = {"check": False, "check_exception": RAISES in tags(student_cell),
                           "skip": False}
                result.append(StudentCell.from_parent(
                    parent, name=f"Student edition Cell {number}", cell_num=number,
                    cell=student_cell, options=defaultdict(bool, options)))
                number += 1
        result.append(item)
    return result


def write_student_edition(paths: list[Path], out: Path = OUT, lang: str = ENGLISH) -> list[Path]:
    """Write the student edition of each notebook in ``lang`` into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = i18n.edition(path, lang)
        target = out / path.name
        nbformat.write(make_student(nb), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the student edition of the notebooks.")
    parser.add_argument("notebooks", nargs="*", help="notebook files (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/student)")
    args = parser.parse_args(argv)
    paths = paths_from_args(args.notebooks)
    written = write_student_edition(paths, args.out)
    written += write_student_edition(paths, args.out / CHINESE, CHINESE)
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
