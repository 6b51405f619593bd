"""Test-run environment, applied before any test or notebook kernel starts.

Kernels that nbval starts inherit these variables, so `pytest` alone runs the notebooks
exactly as `make test` and the execute script do (see scripts/nbenv.py).
"""

import os

from scripts.nbenv import apply_notebook_env

apply_notebook_env(os.environ)

pytest_plugins = ["pytester"]  # tests/test_student.py runs pytest on a tiny notebook


def pytest_collection_modifyitems(session, config, items):
    """Run every notebook's student edition inside its nbval run (scripts/student.py)."""
    from scripts.student import student_items

    items[:] = student_items(items)
