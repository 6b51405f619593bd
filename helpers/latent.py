"""Pictures of a latent space: codes coloured by label, and the images a decoder draws from it.

Used in notebooks 03 and 04 (自编码器, 变分自编码器). Like ``helpers.plots``, every drawing
function returns its matplotlib ``Figure``; none of them imports TensorFlow, so a decoder is
anything with a ``predict`` method or any callable from an (n, 2) array to (n, pixels).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _codes(codes: Any, name: str = "codes") -> np.ndarray:
    codes = np.asarray(codes, dtype=float)
    if codes.ndim != 2:
        raise ValueError(f"{name} must have shape (n, dims), got rank {codes.ndim}")
    if len(codes) == 0:
        raise ValueError(f"{name} is empty: nothing to draw")
    return codes


def latent_scatter(
    codes: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    *,
    dims: tuple[int, int] = (0, 1),
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Scatter of 2-D codes, one colour per label, with a legend (notebooks 03, 04).

    Args:
        codes: shape (n, dims); the two columns in ``dims`` are drawn.
        labels: n integer labels (the digit each code came from).
        dims: which two code dimensions to draw.
        title: the axes title.
        ax: draw into these axes (for side-by-side maps) instead of a new figure.
    """
    codes = _codes(codes)
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(codes):
        raise ValueError(f"labels must be a list of {len(codes)} labels (one per code), "
                         f"got shape {labels.shape}")
    if len(dims) != 2 or not all(0 <= int(d) < codes.shape[1] for d in dims):
        raise ValueError(f"dims must be two column indices below {codes.shape[1]}, got {dims!r}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
    else:
        fig = ax.figure
    cmap = plt.get_cmap("tab10")
    for i, label in enumerate(np.unique(labels)):
        chosen = labels == label
        ax.scatter(codes[chosen, dims[0]], codes[chosen, dims[1]], s=8, alpha=0.8,
                   color=cmap(i % 10), label=str(label))
    ax.set_xlabel(f"z[{dims[0]}]")
    ax.set_ylabel(f"z[{dims[1]}]")
    ax.legend(markerscale=2, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def latent_grid(n: int = 15, extent: float = 2.0) -> np.ndarray:
    """``n * n`` points on a square grid over [-extent, extent]^2, row by row (notebook 04).

    The first row has the largest z[1] (the top of a picture), z[0] grows along each row.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    if isinstance(extent, bool) or not isinstance(extent, float | int) or extent <= 0:
        raise ValueError(f"extent must be a number > 0, got {extent!r}")
    axis = np.linspace(-extent, extent, int(n))
    z1, z0 = np.meshgrid(axis[::-1], axis, indexing="ij")
    return np.stack([z0.ravel(), z1.ravel()], axis=1).astype("float32")


def _decode(decoder: Any, z: np.ndarray) -> np.ndarray:
    if hasattr(decoder, "predict"):
        return np.asarray(decoder.predict(z, verbose=0))
    if callable(decoder):
        return np.asarray(decoder(z))
    raise TypeError(f"decoder must be a model with predict or a callable, "
                    f"got {type(decoder).__name__}")


def decoded_manifold(
    decoder: Callable[[np.ndarray], np.ndarray] | Any,
    *,
    n: int = 15,
    extent: float = 2.0,
    image_shape: tuple[int, int] = (8, 8),
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Decode every point of :func:`latent_grid` and tile the images into one picture (notebook 04).

    Args:
        decoder: a Keras model (``predict`` is used) or a callable, (n*n, 2) -> (n*n, pixels).
        n, extent: the grid, as in :func:`latent_grid`.
        image_shape: (height, width) of one decoded image.
        title: the axes title.
        ax: draw into these axes instead of a new figure.
    """
    grid = latent_grid(n, extent)
    if len(image_shape) != 2:
        raise ValueError(f"image_shape must be (height, width), got {image_shape!r}")
    height, width = (int(s) for s in image_shape)
    images = _decode(decoder, grid)
    if images.shape != (len(grid), height * width):
        raise ValueError(f"decoder returned shape {images.shape}, expected "
                         f"({len(grid)}, {height * width}) for image_shape {image_shape}")
    tiles = images.reshape(n, n, height, width).transpose(0, 2, 1, 3).reshape(n * height,
                                                                               n * width)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.0, 5.0))
    else:
        fig = ax.figure
    ax.imshow(tiles, cmap="gray_r", extent=(-extent, extent, -extent, extent))
    ax.grid(False)
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def interpolate(start: Any, end: Any, steps: int = 8) -> np.ndarray:
    """``steps`` codes on the straight line from ``start`` to ``end``, both included (notebook 04)."""
    start, end = np.asarray(start, dtype="float32"), np.asarray(end, dtype="float32")
    if start.ndim != 1 or start.shape != end.shape:
        raise ValueError(f"start and end must be 1-D codes of one length, got shapes "
                         f"{start.shape} and {end.shape}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 2:
        raise ValueError(f"steps must be an int >= 2, got {steps!r}")
    weights = np.linspace(0.0, 1.0, int(steps), dtype="float32")[:, None]
    return (1.0 - weights) * start + weights * end
