"""`make test` runs pytest -n 2 in two lanes (conftest.py): the notebooks in one worker, the rest
in the other at the lowest CPU priority. Checked here on a tiny project with the same conftest."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RECORD = """
import os
from pathlib import Path


def record(name):
    with open(os.environ["LANES_RECORD"], "a") as out:
        out.write(f"{name} {os.getpid()} {os.nice(0)}\\n")
"""


def test_notebooks_run_in_one_worker_and_the_rest_at_low_priority_in_the_other(pytester, monkeypatch):
    record = pytester.path / "record.txt"
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    (pytester.path / "lanes_record.py").write_text(RECORD, encoding="utf-8")
    for folder, names in [("notebooks", ["n1", "n2", "n3"]), ("tests", ["t1", "t2", "t3"])]:
        (pytester.path / folder).mkdir()
        (pytester.path / folder / f"test_{folder}.py").write_text(
            "from lanes_record import record\n\n" + "".join(
                f"\ndef test_{name}():\n    record({name!r})\n" for name in names), encoding="utf-8")
    monkeypatch.setenv("LANES_RECORD", str(record))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(pytester.path),
                                                       os.environ.get("PYTHONPATH", "")]))
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "-c", os.devnull,
                                           "--rootdir", str(pytester.path), "notebooks", "tests")
    result.assert_outcomes(passed=6)

    rows = [line.split() for line in record.read_text().splitlines()]
    lanes = {lane: {(int(pid), int(nice)) for name, pid, nice in rows if name[0] == lane[0]}
             for lane in ("notebooks", "tests")}
    assert all(len(workers) == 1 for workers in lanes.values()), lanes    # one worker per lane
    [(notebook_pid, notebook_nice)], [(test_pid, test_nice)] = lanes["notebooks"], lanes["tests"]
    base = os.nice(0)
    assert notebook_pid != test_pid
    assert notebook_nice == base and test_nice == min(base + 19, 19)
    assert [name for name, _, _ in rows if name[0] == "n"] == ["n1", "n2", "n3"]    # in order
