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


def test_plot_length_histogram_draws_bars_marks_and_boundaries():
    lengths = [3, 5, 5, 8, 13, 21, 34, 400]
    fig = plots.plot_length_histogram(lengths, [6, 20, 401], title="replies")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_title() == "replies"
    assert sum(p.get_height() for p in ax.patches) == len(lengths)
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    assert xs[:2] == [np.percentile(lengths, 50), np.percentile(lengths, 99)]
    assert xs[2:] == [6, 20, 401]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "median: 10" and labels[-1] == "bucket boundaries"


def test_plot_length_histogram_linear_axis_on_a_given_axes():
    fig, ax = plt.subplots()
    out = plots.plot_length_histogram([1, 2, 2, 3], log_x=False, ax=ax, bins=3)
    assert out is fig and ax.get_xscale() == "linear" and len(ax.patches) == 3


@pytest.mark.parametrize("lengths, kwargs, error, match", [
    ([], {}, ValueError, "empty"),
    ([[1, 2]], {}, ValueError, "rank 1"),
    ([0, 3], {}, ValueError, ">= 1"),
    ([1, 2], {"bins": 0}, ValueError, "bins"),
    ([1, 2], {"boundaries": [5, 3]}, ValueError, "increase"),
    ([1, 2], {"boundaries": [1.5]}, TypeError, "ints"),
])
def test_plot_length_histogram_rejects_bad_input(lengths, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.plot_length_histogram(lengths, **kwargs)
