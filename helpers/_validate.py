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
