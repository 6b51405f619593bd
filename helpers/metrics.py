"""Accuracy of decoded sequences: exact match, masked token accuracy and per-group breakdowns.

Taught in notebook 06 (Keras中的序列到序列模型) and used by the notebooks after it.

- :func:`exact_match`: the share of sequences decoded exactly right (one wrong character
  makes the whole date wrong), the number the course reports;
- :func:`token_accuracy`: the share of tokens right, with padding left out, so that a model
  is not praised for predicting ``<pad>`` after the end;
- :func:`accuracy_by_group`: exact match per group (per locale, per format);
- :func:`position_errors`: how often each character position is wrong.

For open-ended output such as a chatbot's replies (notebook 07), where many answers are
fine and exact match is nearly always zero:

- :func:`corpus_bleu` and :func:`corpus_chrf`: n-gram overlap with the reference replies,
  through sacrebleu (word n-grams for BLEU, character n-grams for chrF);
- :func:`distinct_n`: the share of distinct n-grams among all n-grams of the replies, a
  measure of variety (a bot that always says "i don't know" scores near zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers.text import LEVELS, PAD_ID, tokenize


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
    """The share of predictions equal to their reference, whole sequence (notebook 06).

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
    """The share of tokens predicted right, where ``y_true`` is not padding (notebook 06).

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

    For example the per-locale table of notebook 06, with ``groups`` the locale of each
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
    reference are not counted. Shape: (length of the longest reference,) (notebook 06).
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


def _texts_pairs(predictions: Sequence[str], references: Sequence[str]) -> tuple[list, list]:
    predictions, references = _pairs(predictions, references)
    for name, values in [("predictions", predictions), ("references", references)]:
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise TypeError(f"{name}[{i}] must be a str, got {type(value).__name__}")
    return predictions, references


def corpus_bleu(predictions: Sequence[str], references: Sequence[str], *,
                tokenize: str = "13a") -> float:
    """Corpus BLEU (0-100) of ``predictions`` against one reference each, via sacrebleu.

    Taught in notebook 07. ``tokenize`` is sacrebleu's tokenizer: ``"13a"`` (its default)
    for English, ``"zh"`` for Chinese, which splits Chinese characters apart.
    """
    import sacrebleu

    predictions, references = _texts_pairs(predictions, references)
    if tokenize not in sacrebleu.BLEU.TOKENIZERS:
        raise ValueError(f"tokenize must be one of {sorted(sacrebleu.BLEU.TOKENIZERS)}, "
                         f"got {tokenize!r}")
    return float(sacrebleu.corpus_bleu(predictions, [references], tokenize=tokenize).score)


def corpus_chrf(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Corpus chrF (0-100), the F-score of character n-grams (1-6), via sacrebleu (notebook 07).

    Kinder than BLEU to short replies and to near misses (``"hi there"`` for
    ``"hi there!"``), and needs no word tokenizer, so it works the same on Chinese.
    """
    import sacrebleu

    predictions, references = _texts_pairs(predictions, references)
    return float(sacrebleu.corpus_chrf(predictions, [references]).score)


def distinct_n(texts: Sequence[str], n: int = 1, *, level: str = "word") -> float:
    """distinct-n: distinct n-grams over all n-grams in ``texts`` (0-1; Li et al., 2016).

    Counted over the whole set of replies, so a bot that gives the same reply to every
    statement scores near 0, however fluent that reply is. ``level`` is ``"word"`` or
    ``"char"`` (use ``"char"`` for Chinese), as in :func:`helpers.text.tokenize`; case is
    ignored and spaces are not tokens. Texts
    shorter than ``n`` tokens add no n-gram; if no text has one, the result is 0.0
    (notebook 07).
    """
    if isinstance(texts, str) or not isinstance(texts, Sequence | np.ndarray):
        raise TypeError("texts must be a list of strings")
    if len(texts) == 0:
        raise ValueError("texts is empty: nothing to score")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    grams: list[tuple[str, ...]] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be a str, got {type(text).__name__}")
        tokens = [t for t in tokenize(text.lower(), level) if not t.isspace()]
        grams.extend(tuple(tokens[j:j + n]) for j in range(len(tokens) - n + 1))
    return len(set(grams)) / len(grams) if grams else 0.0
