"""Test-run environment, applied before any test or notebook kernel starts.

Kernels that nbval starts inherit these variables, so `pytest` alone runs the notebooks
exactly as `make test` and the execute script do (see scripts/nbenv.py).
"""

import os

import pytest

from scripts.nbenv import apply_notebook_env

apply_notebook_env(os.environ)

pytest_plugins = ["pytester"]  # tests/test_student.py runs pytest on a tiny notebook

NOTEBOOKS = "notebooks/"  # node ids of the course notebooks' cells start with this


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Two lanes for `make test` (pytest -n 2): the notebooks, one after another, and the rest.

    Each lane is one work unit, so one worker runs every notebook in course order and the
    other runs the unit tests, at low priority (see pytest_runtest_setup).
    """
    from xdist.scheduler import LoadScopeScheduling

    class Lanes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "notebooks" if nodeid.startswith(NOTEBOOKS) else "tests"

    return Lanes(config, log)


def pytest_collection_modifyitems(session, config, items):
    """Run every notebook's student edition inside its nbval run (scripts/student.py)."""
    from scripts.student import student_items

    items[:] = student_items(items)


_niced = False


def pytest_runtest_setup(item):
    """In a pytest-xdist worker, run the unit tests at the lowest CPU priority.

    The notebooks train models and keep the CPU busy; the unit tests then take only what the
    notebooks leave idle, so running both at once barely slows the notebooks.
    """
    global _niced
    if not _niced and hasattr(item.config, "workerinput") and not item.nodeid.startswith(NOTEBOOKS) \
            and hasattr(os, "nice"):
        os.nice(19)
        _niced = True
