"""helpers.setup: seeds, determinism, quiet logs, style, versions."""

import os
import random

import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers


def test_setup_seeds_everything_and_reports_versions(capsys):
    versions = helpers.setup(seed=7)
    first = (random.random(), np.random.rand())
    import tensorflow as tf

    first_tf = float(tf.random.uniform(()))
    helpers.setup(seed=7, verbose=False)
    assert (random.random(), np.random.rand()) == first
    assert float(tf.random.uniform(())) == first_tf
    assert versions["tensorflow"] == tf.__version__
    assert set(versions) == {"python", "tensorflow", "keras", "numpy", "matplotlib"}
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "seed 7" in out and "TensorFlow" in out


def test_setup_turns_on_determinism_quiets_logs_and_sets_the_style():
    helpers.setup(seed=1, verbose=False)
    from tensorflow.python.framework import config  # no public getter in TF 2.21

    assert config.is_op_determinism_enabled()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert plt.rcParams["axes.spines.top"] is False


def test_importing_helpers_does_not_import_tensorflow():
    import subprocess
    import sys

    code = "import sys, helpers, helpers.text, helpers.checks; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("kwargs, error, match", [
    ({"seed": -1}, ValueError, r"seed must be in \[0, 4294967295\]"),
    ({"seed": 2**32}, ValueError, "seed must be in"),
    ({"seed": 1.5}, TypeError, "seed must be an int"),
    ({"seed": True}, TypeError, "seed must be an int"),
    ({"seed": "42"}, TypeError, "seed must be an int"),
    ({"deterministic": "yes"}, TypeError, "deterministic must be True or False"),
    ({"verbose": 1}, TypeError, "verbose must be True or False"),
])
def test_setup_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        helpers.setup(**kwargs)


def test_setup_refuses_another_keras_backend(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    with pytest.raises(RuntimeError, match="KERAS_BACKEND is 'jax'"):
        helpers.setup()
