"""One call that makes a notebook repeatable and quiet (every notebook's setup cell, from 00).

``setup()`` must run before TensorFlow is first imported: TensorFlow reads its log level
(``TF_CPP_MIN_LOG_LEVEL``) once, at import time.
"""

from __future__ import annotations

import os
import platform
import random
import sys

import numpy as np

_MAX_SEED = 2**32 - 1


def setup(
    seed: int = 42,
    *,
    deterministic: bool = True,
    quiet: bool = True,
    style: bool = True,
    verbose: bool = True,
) -> dict[str, str]:
    """Seed Python, NumPy and TensorFlow; turn on op determinism; quiet logs; set plot style.

    Taught in notebook 00 and called in the first code cell of every notebook.

    Args:
        seed: the seed for ``random``, NumPy's global generator and TensorFlow
            (``keras.utils.set_random_seed``); an int in [0, 2**32 - 1].
        deterministic: call ``tf.config.experimental.enable_op_determinism()`` so that a
            re-run on the same machine repeats (costs some speed).
        quiet: hide TensorFlow's C++ and Python start-up logging.
        style: apply the course's matplotlib style (:func:`helpers.plots.use_course_style`).
        verbose: print one line saying what was set.

    Returns:
        The versions found: python, tensorflow, keras, numpy, matplotlib.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= int(seed) <= _MAX_SEED:
        raise ValueError(f"seed must be in [0, {_MAX_SEED}], got {seed}")
    for name, flag in [("deterministic", deterministic), ("quiet", quiet), ("style", style),
                       ("verbose", verbose)]:
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    seed = int(seed)

    backend = os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        raise RuntimeError(
            f"KERAS_BACKEND is {backend!r}; this course runs Keras on TensorFlow. "
            "Unset KERAS_BACKEND (or set it to 'tensorflow') and restart the kernel."
        )
    if quiet:
        # Read by TensorFlow when it is first imported; harmless if it already was.
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

    import keras
    import matplotlib
    import tensorflow as tf

    if quiet:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
        tf.get_logger().setLevel("ERROR")

    random.seed(seed)
    keras.utils.set_random_seed(seed)  # Python, NumPy's global state and TensorFlow
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    np.set_printoptions(precision=4, suppress=True)
    if style:
        from helpers.plots import use_course_style

        use_course_style()

    versions = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
    }
    if verbose:
        print(
            f"seed {seed} · op determinism {'on' if deterministic else 'off'} · "
            f"TensorFlow {versions['tensorflow']} · Keras {versions['keras']} · "
            f"NumPy {versions['numpy']} · Python {sys.version_info.major}.{sys.version_info.minor}"
        )
    return versions
