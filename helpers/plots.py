"""Plot plumbing: the course style, training curves and image grids (from notebook 00 on).

Every function returns the matplotlib ``Figure`` it drew, so a notebook can end the cell
with ``plt.show()`` and a test can inspect the axes.

The course style also makes Chinese legible on any machine: it registers the CJK font
that ships in ``helpers/fonts/`` (a subset of Noto Sans CJK SC, SIL OFL 1.1) and lists it
after DejaVu Sans, so Latin text keeps DejaVu Sans and each glyph that DejaVu Sans lacks
(汉字, full-width punctuation) falls back to the course font.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONT_PATH: Path = Path(__file__).resolve().parent / "fonts" / "NotoSansCJKsc-course.otf"
"""The course's CJK font: the Chinese on the attention heatmaps of "09 · Attention" and
"10 · Machine translation" (Tatoeba 英汉句对). A subset of Noto Sans CJK SC Regular
(helpers/fonts/README.md; regenerate it with scripts/make_font.py)."""

CJK_FONT_FAMILY: str = "Noto Sans CJK SC Course"
"""The family name of :data:`CJK_FONT_PATH`, as ``font.family`` and ``font.sans-serif`` list it."""

COURSE_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "image.cmap": "viridis",
    # Per-glyph fallback (matplotlib >= 3.6) runs along the families of font.family, each
    # resolved to one font; a generic name such as "sans-serif" becomes the first font of
    # its list that is installed, not the whole list. So the course font (which
    # register_cjk_font() adds to the font manager) is named in both: Latin comes from
    # DejaVu Sans, any glyph that DejaVu Sans lacks (汉字, "，。") from the course font.
    "font.family": ["sans-serif", CJK_FONT_FAMILY],
    "font.sans-serif": ["DejaVu Sans", CJK_FONT_FAMILY],
}


def register_cjk_font() -> None:
    """Add :data:`CJK_FONT_PATH` to matplotlib's font manager, once (idempotent, cheap)."""
    path = str(CJK_FONT_PATH)
    if any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        return
    if not CJK_FONT_PATH.is_file():
        raise FileNotFoundError(
            f"the course's CJK font is missing: {path}; restore helpers/fonts/ from the "
            "repository (or regenerate it with scripts/make_font.py)"
        )
    font_manager.fontManager.addfont(path)


def use_course_style() -> None:
    """Apply the course's matplotlib style (called by :func:`helpers.setup`).

    Registers the course's CJK font (:func:`register_cjk_font`) so that Chinese titles and
    tick labels render on machines with no CJK font installed.
    """
    register_cjk_font()
    plt.style.use("default")
    plt.rcParams.update(COURSE_STYLE)


def _history_dict(history: Any) -> dict[str, list[float]]:
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise TypeError(
            f"history must be a keras History or a dict of lists, got {type(history).__name__}"
        )
    if not data:
        raise ValueError("history is empty: train for at least one epoch first")
    out = {}
    for key, values in data.items():
        values = list(np.asarray(values, dtype=float).ravel())
        if not values:
            raise ValueError(f"history[{key!r}] has no values")
        out[str(key)] = values
    return out


def plot_history(
    history: Any, metrics: Sequence[str] | None = None, *, title: str | None = None
) -> Figure:
    """Training curves: one panel per metric, training and ``val_`` curves together.

    Args:
        history: what ``model.fit`` returned, or a dict such as ``{"loss": [...]}``.
        metrics: the metric names to draw (without ``val_``); default: all of them.
        title: a title over the panels.
    """
    data = _history_dict(history)
    available = [key for key in data if not key.startswith("val_")]
    if metrics is None:
        metrics = available
    else:
        if isinstance(metrics, str):
            raise TypeError("metrics must be a list of names, not a single string")
        unknown = [m for m in metrics if m not in data]
        if unknown:
            raise ValueError(f"metrics {unknown} are not in the history; it has {available}")
    if not metrics:
        raise ValueError("metrics is empty: nothing to plot")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.2), squeeze=False)
    for ax, name in zip(axes[0], metrics, strict=True):
        epochs = np.arange(1, len(data[name]) + 1)
        ax.plot(epochs, data[name], marker="o", ms=3, label="train")
        if f"val_{name}" in data:
            ax.plot(np.arange(1, len(data[f"val_{name}"]) + 1), data[f"val_{name}"], marker="o",
                    ms=3, label="validation")
            ax.legend()
        ax.set_xlabel("epoch")
        ax.set_title(name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def image_grid(
    images: np.ndarray,
    *,
    shape: tuple[int, int] | None = None,
    ncols: int = 10,
    titles: Sequence[str] | None = None,
    cmap: str = "gray_r",
    size: float = 0.9,
    vmin: float | None = None,
    vmax: float | None = None,
) -> Figure:
    """A grid of small images, for digits and their reconstructions (notebooks 00, 03, 04).

    Args:
        images: shape (n, height, width), or (n, features) together with ``shape``.
        shape: (height, width) to reshape flat rows into.
        ncols: images per row.
        titles: one short title per image.
        cmap, vmin, vmax: passed to ``imshow``.
        size: inches per image.
    """
    images = np.asarray(images, dtype=float)
    if shape is not None:
        if len(shape) != 2 or images.ndim != 2 or images.shape[1] != shape[0] * shape[1]:
            raise ValueError(
                f"images of shape {images.shape} cannot be reshaped to (n, {shape}): "
                "give flat rows of height*width values"
            )
        images = images.reshape(len(images), *shape)
    if images.ndim != 3:
        raise ValueError(
            f"images must have shape (n, height, width) or (n, features) with shape=..., "
            f"got rank {images.ndim}"
        )
    if len(images) == 0:
        raise ValueError("images is empty: nothing to draw")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries for {len(images)} images")
    ncols = min(ncols, len(images))
    nrows = math.ceil(len(images) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=8)
    fig.tight_layout()
    return fig


def plot_length_histogram(
    lengths: Sequence[int],
    boundaries: Sequence[int] | None = None,
    *,
    bins: int = 60,
    log_x: bool = True,
    ax: Any = None,
    title: str | None = None,
    xlabel: str = "length (tokens)",
) -> Figure:
    """Histogram of sequence lengths, with bucket boundaries drawn as vertical lines.

    Notebook 08 (装桶法). With ``log_x`` the bins are spaced evenly on a log scale, so that
    a long tail and the common short lengths both show; the median and the 99th
    percentile are marked with dashed lines.
    """
    values = np.asarray(lengths)
    if isinstance(lengths, str) or values.ndim != 1:
        raise ValueError("lengths must be one list of lengths (rank 1)")
    if values.size == 0:
        raise ValueError("lengths is empty: nothing to draw")
    if values.dtype.kind not in "iuf" or values.min() < 1:
        raise ValueError("lengths must be numbers >= 1")
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a positive int, got {bins!r}")
    if boundaries is not None:
        if isinstance(boundaries, str) or any(
                not isinstance(b, int | np.integer) or isinstance(b, bool) for b in boundaries):
            raise TypeError("boundaries must be a list of ints")
        if any(b <= a for a, b in zip(boundaries, boundaries[1:], strict=False)):
            raise ValueError("boundaries must increase")
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.6))
    else:
        fig = ax.figure
    low, high = float(values.min()), float(values.max())
    edges = (np.geomspace(low, high + 1, bins + 1) if log_x and high + 1 > low
             else np.linspace(low, high + 1, bins + 1))
    ax.hist(values, bins=edges, color="C0", alpha=0.8)
    if log_x:
        ax.set_xscale("log")
    for name, q, color in [("median", 50, "C2"), ("99th percentile", 99, "C3")]:
        ax.axvline(np.percentile(values, q), color=color, ls="--", lw=1.5,
                   label=f"{name}: {np.percentile(values, q):.0f}")
    for i, b in enumerate(boundaries or []):
        ax.axvline(b, color="0.3", lw=0.8, alpha=0.7,
                   label="bucket boundaries" if i == 0 else None)
    ax.set_xlabel(xlabel + (" (log scale)" if log_x else ""))
    ax.set_ylabel("sequences")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
