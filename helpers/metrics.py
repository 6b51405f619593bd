"""Accuracy of decoded sequences: exact match, masked token accuracy and per-group breakdowns.

Taught in notebook 05 (Keras中的序列到序列模型) and used by the notebooks after it.

- :func:`exact_match`: the share of sequences decoded exactly right (one wrong character
  makes the whole date wrong), the number the course reports;
- :func:`token_accuracy`: the share of tokens right, with padding left out, so that a model
  is not praised for predicting ``<pad>`` after the end;
- :func:`accuracy_by_group`: exact match per group (per locale, per format);
- :func:`position_errors`: how often each character position is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers.text import PAD_ID


def _pairs(predictions: Sequence[Any], references: Sequence[Any]) -> tuple[list, list]:
    for name, value in [("predictions", predictions), ("references", references)]:
        if isinstance(value, str):
            raise TypeError(f"{name} must be a list of sequences, not a single string")
        if not isinstance(value, Sequence | np.ndarray):
            raise TypeError(f"{name} must be a list of sequences, got {type(value).__name__}")
    if len(predictions) != len(references):
        raise ValueError(f"predictions and references must pair up: {len(predictions)} "
                         f"predictions, {len(references)} references")
    if len(predictions) == 0:
        raise ValueError("predictions is empty: nothing to score")
    return list(predictions), list(references)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return np.array_equal(np.asarray(a), np.asarray(b))


def exact_match(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """The share of predictions equal to their reference, whole sequence (notebook 05).

    Works on strings or on id sequences. One wrong token makes the sequence wrong.
    """
    predictions, references = _pairs(predictions, references)
    return float(np.mean([_same(p, r) for p, r in zip(predictions, references, strict=True)]))


def _ids(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 3:  # one-hot vectors or probabilities: the id is the arg-max
        return array.argmax(axis=-1)
    if array.ndim != 2:
        raise ValueError(f"{name} must be ids of shape (batch, time) or one-hot/probabilities "
                         f"of shape (batch, time, vocabulary), got rank {array.ndim}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} as ids must be integers, got dtype {array.dtype}")
    return array


def token_accuracy(y_true: Any, y_pred: Any, *, pad_id: int = PAD_ID) -> float:
    """The share of tokens predicted right, where ``y_true`` is not padding (notebook 05).

    ``y_true`` and ``y_pred`` are ids of shape (batch, time), or one-hot vectors /
    probabilities of shape (batch, time, vocabulary), whose arg-max is taken. A one-hot
    ``<pad>`` is the all-zero vector (see :func:`helpers.text.one_hot`), whose arg-max is
    id 0, so padding is recognised in both forms.
    """
    true, pred = _ids(y_true, "y_true"), _ids(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {true.shape} and "
                         f"{pred.shape}")
    if true.size == 0:
        raise ValueError("y_true is empty: nothing to score")
    mask = true != pad_id
    if not mask.any():
        raise ValueError(f"y_true holds only padding (id {pad_id}): nothing to score")
    return float(np.mean(true[mask] == pred[mask]))


def accuracy_by_group(
    predictions: Sequence[Any], references: Sequence[Any], groups: Sequence[str]
) -> dict[str, tuple[int, float]]:
    """Exact match per group: ``{group: (count, accuracy)}``, groups in sorted order.

    For example the per-locale table of notebook 05, with ``groups`` the locale of each
    pair.
    """
    predictions, references = _pairs(predictions, references)
    if isinstance(groups, str) or not isinstance(groups, Sequence | np.ndarray):
        raise TypeError("groups must be a list with one group name per prediction")
    if len(groups) != len(predictions):
        raise ValueError(f"groups must have one entry per prediction: {len(groups)} groups, "
                         f"{len(predictions)} predictions")
    right: dict[str, list[bool]] = {}
    for group, p, r in zip(groups, predictions, references, strict=True):
        right.setdefault(str(group), []).append(_same(p, r))
    return {group: (len(right[group]), float(np.mean(right[group]))) for group in sorted(right)}


def position_errors(predictions: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """The share of sequences wrong at each position, one entry per reference position.

    Position ``i`` is wrong when the prediction's ``i``-th token differs from the
    reference's or is missing (a too-short prediction). Positions beyond the longest
    reference are not counted. Shape: (length of the longest reference,) (notebook 05).
    """
    predictions, references = _pairs(predictions, references)
    longest = max(len(r) for r in references)
    if longest == 0:
        raise ValueError("references are all empty: no position to score")
    wrong = np.zeros(longest)
    for p, r in zip(predictions, references, strict=True):
        for i in range(len(r)):
            if i >= len(p) or p[i] != r[i]:
                wrong[i] += 1
    return wrong / len(references)
