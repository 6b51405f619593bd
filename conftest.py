"""Test-run environment, applied before any test or notebook kernel starts.

Kernels that nbval starts inherit these variables, so `pytest` alone runs the notebooks
exactly as `make test` and the execute script do (see scripts/nbenv.py).
"""

import os

from scripts.nbenv import apply_notebook_env

apply_notebook_env(os.environ)
