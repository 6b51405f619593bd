"""helpers.plots: style, training history, image grids."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_use_course_style():
    plots.use_course_style()
    assert plt.rcParams["axes.grid"] is True


def test_plot_history_draws_train_and_validation():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.2, 0.5, 0.8]}
    fig = plots.plot_history(history, title="run")
    assert len(fig.axes) == 2
    assert [line.get_label() for line in fig.axes[0].lines] == ["train", "validation"]
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), [1.1, 0.7, 0.6])
    assert fig.axes[1].get_title() == "accuracy"


def test_plot_history_accepts_a_keras_history_and_a_metric_subset():
    class FakeHistory:
        history = {"loss": [1.0, 0.5], "mae": [3.0, 2.0]}

    fig = plots.plot_history(FakeHistory(), metrics=["mae"])
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "mae"


@pytest.mark.parametrize("history, metrics, error, match", [
    ({}, None, ValueError, "history is empty"),
    ([1, 2], None, TypeError, "history must be a keras History or a dict"),
    ({"loss": []}, None, ValueError, r"history\['loss'\] has no values"),
    ({"loss": [1.0]}, ["acc"], ValueError, r"metrics \['acc'\] are not in the history"),
    ({"loss": [1.0]}, "loss", TypeError, "not a single string"),
    ({"loss": [1.0]}, [], ValueError, "metrics is empty"),
])
def test_plot_history_rejects_bad_input(history, metrics, error, match):
    with pytest.raises(error, match=match):
        plots.plot_history(history, metrics)


def test_image_grid_lays_out_rows_and_titles():
    images = np.random.default_rng(0).random((7, 8, 8))
    fig = plots.image_grid(images, ncols=3, titles=list("abcdefg"))
    assert len(fig.axes) == 9
    assert [ax.get_title() for ax in fig.axes[:7]] == list("abcdefg")
    assert len(fig.axes[7].images) == 0


def test_image_grid_reshapes_flat_rows():
    fig = plots.image_grid(np.zeros((4, 64)), shape=(8, 8))
    assert fig.axes[0].images[0].get_array().shape == (8, 8)


@pytest.mark.parametrize("images, kwargs, error, match", [
    (np.zeros((0, 8, 8)), {}, ValueError, "images is empty"),
    (np.zeros((4, 64)), {}, ValueError, "got rank 2"),
    (np.zeros((4, 60)), {"shape": (8, 8)}, ValueError, "cannot be reshaped"),
    (np.zeros((2, 8, 8)), {"titles": ["a"]}, ValueError, "titles has 1 entries for 2 images"),
    (np.zeros((2, 8, 8)), {"ncols": 0}, ValueError, "ncols must be a positive int"),
])
def test_image_grid_rejects_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.image_grid(images, **kwargs)
