"""Argument checks shared by the helpers modules (private: not part of the course's API)."""

from __future__ import annotations

import numpy as np


def check_int(value: object, name: str, minimum: int) -> int:
    """``value`` as an int, or a TypeError/ValueError that names the argument ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_id_batch(value: object, name: str = "source") -> np.ndarray:
    """``value`` as a NumPy array of token ids, shape (batch, time), or an error naming ``name``."""
    x = np.asarray(value)
    if x.ndim != 2:
        raise ValueError(f"{name} must have rank 2 (batch, time) of token ids, got rank {x.ndim}")
    if x.size == 0:
        raise ValueError(f"{name} is empty: shape {x.shape}")
    if x.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer ids, got dtype {x.dtype}")
    return x
