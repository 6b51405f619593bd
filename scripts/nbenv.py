"""The environment notebooks run in, for the tests, the execute script and the benchmark.

From ../shared/NOTEBOOK_CI.md: a fixed hash seed and thread count make re-runs repeat;
TF_CPP_MIN_LOG_LEVEL=3 hides TensorFlow's absl lines; COLUMNS/LINES change the width of
``model.summary()``; MPLBACKEND would override the inline backend.
"""

from __future__ import annotations

from collections.abc import MutableMapping

NOTEBOOK_ENV: dict[str, str] = {
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_NUM_INTRAOP_THREADS": "2",
    "TF_NUM_INTEROP_THREADS": "2",
    "OMP_NUM_THREADS": "2",
    "KERAS_BACKEND": "tensorflow",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
UNSET: tuple[str, ...] = ("COLUMNS", "LINES", "MPLBACKEND")


def apply_notebook_env(environ: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Set :data:`NOTEBOOK_ENV` and remove :data:`UNSET` in ``environ``; returns it."""
    environ.update(NOTEBOOK_ENV)
    for name in UNSET:
        environ.pop(name, None)
    return environ
