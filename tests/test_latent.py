"""helpers.latent: latent scatter, grid, decoded manifold and interpolation."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import latent  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_latent_scatter_draws_one_group_per_label():
    codes = np.random.default_rng(0).normal(size=(30, 3))
    labels = np.repeat([0, 1, 2], 10)
    fig = latent.latent_scatter(codes, labels, dims=(0, 2), title="codes")
    ax = fig.axes[0]
    assert len(ax.collections) == 3 and ax.get_title() == "codes"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "1", "2"]
    np.testing.assert_allclose(ax.collections[0].get_offsets(), codes[:10][:, [0, 2]])


def test_latent_scatter_draws_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert latent.latent_scatter(np.zeros((2, 2)), [1, 2], ax=axes[1]) is fig
    assert len(axes[1].collections) == 2 and len(axes[0].collections) == 0


@pytest.mark.parametrize("codes, labels, kwargs, match", [
    (np.zeros(4), [0] * 4, {}, "codes must have shape \\(n, dims\\), got rank 1"),
    (np.zeros((0, 2)), [], {}, "codes is empty"),
    (np.zeros((4, 2)), [0, 1], {}, "labels must be a list of 4 labels"),
    (np.zeros((4, 2)), [0] * 4, {"dims": (0, 2)}, "dims must be two column indices below 2"),
])
def test_latent_scatter_rejects_bad_input(codes, labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        latent.latent_scatter(codes, labels, **kwargs)


def test_latent_grid_runs_row_by_row_from_the_top():
    grid = latent.latent_grid(3, extent=1.0)
    assert grid.shape == (9, 2) and grid.dtype == np.float32
    np.testing.assert_array_equal(grid[:3], [[-1, 1], [0, 1], [1, 1]])
    np.testing.assert_array_equal(grid[-1], [1, -1])


@pytest.mark.parametrize("n, extent, match", [
    (1, 1.0, "n must be an int >= 2"),
    (2.0, 1.0, "n must be an int >= 2"),
    (3, 0, "extent must be a number > 0"),
])
def test_latent_grid_rejects_bad_input(n, extent, match):
    with pytest.raises(ValueError, match=match):
        latent.latent_grid(n, extent)


def test_decoded_manifold_tiles_the_decoded_images():
    def decoder(z):  # image brightness = the first code number, image 2x3
        return np.repeat(z[:, :1], 6, axis=1)

    fig = latent.decoded_manifold(decoder, n=4, extent=1.5, image_shape=(2, 3), title="m")
    tiles = fig.axes[0].images[0].get_array()
    assert tiles.shape == (8, 12) and fig.axes[0].get_title() == "m"
    np.testing.assert_allclose(tiles[0, :3], -1.5)
    np.testing.assert_allclose(tiles[-1, -3:], 1.5)


def test_decoded_manifold_uses_predict_when_there_is_one():
    class Model:
        def predict(self, z, verbose=0):
            return np.zeros((len(z), 4))

    fig = latent.decoded_manifold(Model(), n=2, image_shape=(2, 2))
    assert fig.axes[0].images[0].get_array().shape == (4, 4)


@pytest.mark.parametrize("decoder, kwargs, error, match", [
    ("not a model", {}, TypeError, "decoder must be a model with predict or a callable"),
    (lambda z: np.zeros((len(z), 5)), {}, ValueError, r"decoder returned shape \(225, 5\)"),
    (lambda z: np.zeros((len(z), 64)), {"image_shape": (8,)}, ValueError, "image_shape must be"),
])
def test_decoded_manifold_rejects_bad_input(decoder, kwargs, error, match):
    with pytest.raises(error, match=match):
        latent.decoded_manifold(decoder, **kwargs)


def test_interpolate_includes_both_ends():
    path = latent.interpolate([0.0, 2.0], [1.0, 0.0], steps=3)
    np.testing.assert_allclose(path, [[0, 2], [0.5, 1], [1, 0]])


@pytest.mark.parametrize("start, end, steps, match", [
    ([0.0, 1.0], [0.0], 3, "start and end must be 1-D codes of one length"),
    ([[0.0]], [[1.0]], 3, "start and end must be 1-D codes"),
    ([0.0], [1.0], 1, "steps must be an int >= 2"),
])
def test_interpolate_rejects_bad_input(start, end, steps, match):
    with pytest.raises(ValueError, match=match):
        latent.interpolate(start, end, steps)
