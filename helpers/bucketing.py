"""Bucketing (装桶法): bucket boundaries, padding arithmetic and the batching pipelines.

Taught in notebook 08. A batch must be a rectangle, so every sequence in it is padded to
the batch's longest; when most sequences are short and a few are long, padding costs
more than the real tokens. Grouping sequences of similar length into their own batches
(buckets) cuts the padding. tf.data does the grouping
(``tf.data.Dataset.bucket_by_sequence_length``) and Keras the padding
(``keras.utils.pad_sequences``); this module picks the boundaries, does the arithmetic
and builds the four pipelines that notebook 08 compares:

- ``"longest"``: every sequence padded to the longest in the corpus, then batched;
- ``"per_batch"``: shuffled, each batch padded to its own longest (``padded_batch``);
- ``"buckets"``: shuffled, grouped by length with ``bucket_by_sequence_length``;
- ``"sorted"``: sorted by length, cut into batches, the batch order shuffled.

Each pipeline yields ``((encoder_input, decoder_input), decoder_target, sample_weight)``
batches for a seq2seq model on integer ids (notebook 05's training triplet), with weight 0
on ``<pad>`` targets so that padding does not count in the loss.

Two Keras callbacks time training: :class:`EpochTimer` (notebook 08) and
:class:`TimeBudget`, which stops ``fit`` after a number of seconds (notebook 12's race).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from helpers._validate import check_int
from helpers.text import END_ID, PAD_ID, START_ID

STRATEGIES = ("longest", "per_batch", "buckets", "sorted")


def _lengths(lengths: Any, name: str = "lengths") -> np.ndarray:
    """``lengths`` as a 1-D int array of positive lengths, or a clear error."""
    if isinstance(lengths, str | bytes):
        raise TypeError(f"{name} must be a list of ints, not a string")
    array = np.asarray(lengths)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one list of lengths (rank 1), got rank {array.ndim}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: the corpus has no sequences")
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold ints, got dtype {array.dtype}")
    if array.min() < 1:
        raise ValueError(f"{name} must be >= 1, got {array.min()}")
    return array.astype(int)


def check_boundaries(boundaries: Sequence[int], batch_sizes: Sequence[int] | None = None) -> list[int]:
    """``boundaries`` as a list of strictly increasing ints >= 1, or a clear error (notebook 08).

    With ``batch_sizes`` (as for ``bucket_by_sequence_length``) it also checks that there is
    one batch size per bucket: ``len(boundaries) + 1``.
    """
    if isinstance(boundaries, str | bytes) or not isinstance(boundaries, Sequence | np.ndarray):
        raise TypeError(f"boundaries must be a list of ints, got {type(boundaries).__name__}")
    if len(boundaries) == 0:
        raise ValueError("boundaries is empty: give at least one boundary")
    out = [check_int(b, f"boundaries[{i}]", 1) for i, b in enumerate(boundaries)]
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            raise ValueError(f"boundaries must increase: boundaries[{i}]={out[i]} after "
                             f"boundaries[{i - 1}]={out[i - 1]}")
    if batch_sizes is not None:
        if isinstance(batch_sizes, str | bytes) or not isinstance(batch_sizes, Sequence | np.ndarray):
            raise TypeError(f"batch_sizes must be a list of ints, got {type(batch_sizes).__name__}")
        if len(batch_sizes) != len(out) + 1:
            raise ValueError(f"batch_sizes must have one entry per bucket, len(boundaries) + 1 = "
                             f"{len(out) + 1}, got {len(batch_sizes)}")
        for i, size in enumerate(batch_sizes):
            check_int(size, f"batch_sizes[{i}]", 1)
    return out


def quantile_boundaries(lengths: Sequence[int], n_buckets: int, *,
                        max_ratio: float | None = None) -> list[int]:
    """Bucket boundaries at the length quantiles: about as many sequences in each bucket.

    Notebook 08. Bucket ``i`` holds lengths in ``[boundaries[i-1], boundaries[i])`` (the
    ``bucket_by_sequence_length`` convention); the last boundary is ``max(lengths) + 1``, so
    every sequence has a bounded bucket. Equal-count buckets are narrow where lengths are
    common and very wide in a long tail; with ``max_ratio`` (> 1) a bucket whose end is more
    than ``max_ratio`` times its start is split into equal-ratio pieces of at most about
    ``max_ratio`` (the ends are rounded to ints), which bounds the padding in each bucket.
    Repeated quantiles are merged, so fewer than ``n_buckets`` buckets may come back.
    """
    array = _lengths(lengths)
    n_buckets = check_int(n_buckets, "n_buckets", 1)
    if max_ratio is not None and (isinstance(max_ratio, bool)
                                  or not isinstance(max_ratio, int | float) or max_ratio <= 1):
        raise ValueError(f"max_ratio must be a number > 1 or None, got {max_ratio!r}")
    inner = np.quantile(array, np.arange(1, n_buckets) / n_buckets, method="higher")
    edges = sorted({int(array.min()), *(int(q) for q in inner if q > array.min()),
                    int(array.max()) + 1})
    if max_ratio is not None:
        split = [edges[0]]
        for start, end in zip(edges, edges[1:], strict=False):
            # k pieces of equal ratio (end / start) ** (1 / k) <= max_ratio
            k = int(np.ceil(np.log(end / start) / np.log(max_ratio) - 1e-9))
            pieces = np.round(start * (end / start) ** (np.arange(1, k + 1) / k)).astype(int)
            split.extend(sorted({int(e) for e in pieces if e > split[-1]}))
        edges = split
    return edges[1:]


def fixed_width_boundaries(lengths: Sequence[int], width: int) -> list[int]:
    """Boundaries every ``width`` tokens, up to past the longest sequence (notebook 08).

    ``width=10`` gives ``[10, 20, 30, ...]``: buckets of lengths 1-9, 10-19, 20-29, ...
    The last boundary is the first multiple of ``width`` above ``max(lengths)``.
    """
    array = _lengths(lengths)
    width = check_int(width, "width", 1)
    return list(range(width, int(array.max()) // width * width + width + 1, width))


def bucket_index(lengths: Sequence[int], boundaries: Sequence[int]) -> np.ndarray:
    """The bucket of each length: 0 for lengths below ``boundaries[0]``, and so on (notebook 08).

    A length at or above the last boundary gets ``len(boundaries)``, the open-ended last
    bucket of ``bucket_by_sequence_length``.
    """
    return np.searchsorted(check_boundaries(boundaries), _lengths(lengths), side="right")


def padded_lengths(lengths: Sequence[int], boundaries: Sequence[int]) -> np.ndarray:
    """The length each sequence is padded to with ``pad_to_bucket_boundary=True`` (notebook 08).

    That is its bucket's upper boundary minus one. A length at or above the last boundary
    has no bounded bucket: a ``ValueError`` (tf.data would fail on it too).
    """
    array = _lengths(lengths)
    edges = check_boundaries(boundaries)
    if array.max() >= edges[-1]:
        raise ValueError(f"a length of {array.max()} is not below the last boundary "
                         f"{edges[-1]}: add a boundary above the longest sequence")
    return np.asarray(edges)[bucket_index(array, edges)] - 1


def padding_fraction(lengths: Sequence[int], padded: Sequence[int]) -> float:
    """The share of padded positions: ``1 - sum(lengths) / sum(padded)`` (notebook 08).

    ``padded`` is the length each sequence was padded to (one per sequence), at least its
    real length.
    """
    real = _lengths(lengths)
    total = _lengths(padded, "padded")
    if real.shape != total.shape:
        raise ValueError(f"lengths and padded must pair up: {real.size} lengths, "
                         f"{total.size} padded lengths")
    if np.any(total < real):
        i = int(np.argmax(total < real))
        raise ValueError(f"padded[{i}]={total[i]} is shorter than lengths[{i}]={real[i]}")
    return float(1 - real.sum() / total.sum())


def pair_lengths(sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]) -> np.ndarray:
    """The length the pipelines bucket a pair by: ``max(len(source), len(target) + 1)``.

    Notebook 08. ``len(target) + 1`` is the decoder's length (``<start>`` or ``<end>``
    added). The encoder and decoder tensors of a bucket are padded to the same bound.
    """
    sources, targets = _pairs(sources, targets)
    return np.array([max(len(s), len(t) + 1) for s, t in zip(sources, targets, strict=True)])


def _pairs(sources: Any, targets: Any) -> tuple[list[list[int]], list[list[int]]]:
    out = []
    for name, value in [("sources", sources), ("targets", targets)]:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
            raise TypeError(f"{name} must be a list of id lists, got {type(value).__name__}")
        rows = []
        for i, row in enumerate(value):
            if isinstance(row, str | bytes) or not isinstance(row, Sequence | np.ndarray):
                raise TypeError(f"{name}[{i}] must be a list of ints, got {type(row).__name__}")
            rows.append([int(x) for x in row])
        out.append(rows)
    if len(out[0]) != len(out[1]):
        raise ValueError(f"sources and targets must pair up: {len(out[0])} sources, "
                         f"{len(out[1])} targets")
    if not out[0]:
        raise ValueError("sources is empty: the corpus has no pairs")
    for name, rows in zip(["sources", "targets"], out, strict=True):
        empty = next((i for i, row in enumerate(rows) if not row), None)
        if empty is not None:
            raise ValueError(f"{name}[{empty}] is empty: every sequence needs a token")
    return out[0], out[1]


def make_dataset(
    sources: Sequence[Sequence[int]],
    targets: Sequence[Sequence[int]],
    strategy: str,
    *,
    batch_size: int,
    boundaries: Sequence[int] | None = None,
    pad_to_bucket_boundary: bool = False,
    seed: int = 0,
) -> Any:
    """A ``tf.data.Dataset`` of seq2seq batches made one of four ways (notebook 08).

    ``sources`` and ``targets`` are id lists without ``<start>``/``<end>``; each batch is
    ``((encoder_input, decoder_input), decoder_target, sample_weight)`` with the decoder
    input ``<start> + target`` and the target ``target + <end>`` (notebook 05's triplet),
    padded with ``<pad>`` (id 0) at the end, and weight 0 on padded targets.
    ``strategy`` is one of :data:`STRATEGIES`; ``"buckets"`` needs ``boundaries`` (see
    :func:`quantile_boundaries`) and may pad to the bucket boundary. The order is
    shuffled with ``seed`` and reshuffled every epoch. Every pipeline ends with
    ``prefetch``, so that the next batch is made while the model trains on this one.
    """
    import tensorflow as tf

    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    batch_size = check_int(batch_size, "batch_size", 1)
    seed = check_int(seed, "seed", 0)
    if not isinstance(pad_to_bucket_boundary, bool):
        raise TypeError(f"pad_to_bucket_boundary must be True or False, got {pad_to_bucket_boundary!r}")
    if strategy == "buckets":
        if boundaries is None:
            raise ValueError("strategy='buckets' needs boundaries (see quantile_boundaries)")
        boundaries = check_boundaries(boundaries)
    elif boundaries is not None or pad_to_bucket_boundary:
        raise ValueError(f"boundaries and pad_to_bucket_boundary are for strategy='buckets', "
                         f"not {strategy!r}")
    sources, targets = _pairs(sources, targets)
    lengths = pair_lengths(sources, targets)
    if pad_to_bucket_boundary and lengths.max() >= boundaries[-1]:
        raise ValueError(f"pad_to_bucket_boundary=True needs a last boundary above the longest "
                         f"pair ({lengths.max()}), got {boundaries[-1]}")
    decoder_in = [[START_ID] + t for t in targets]
    decoder_out = [t + [END_ID] for t in targets]

    def with_weights(encoder, decoder, target):
        return (encoder, decoder), target, tf.cast(tf.not_equal(target, PAD_ID), "float32")

    n = len(sources)
    if strategy == "longest":
        arrays = [keras.utils.pad_sequences(rows, padding="post", value=PAD_ID, dtype="int32")
                  for rows in (sources, decoder_in, decoder_out)]
        data = tf.data.Dataset.from_tensor_slices(tuple(arrays))
        data = data.shuffle(n, seed=seed, reshuffle_each_iteration=True).batch(batch_size)
        return data.map(with_weights).prefetch(tf.data.AUTOTUNE)
    if strategy == "sorted":
        order = np.argsort(lengths, kind="stable")
        sources, decoder_in, decoder_out = ([rows[i] for i in order]
                                            for rows in (sources, decoder_in, decoder_out))
    # Each sequence as a slice of one flat tensor: elements of different lengths.
    flat = [tf.constant(np.concatenate(rows), dtype="int32")
            for rows in (sources, decoder_in, decoder_out)]
    ends = [np.cumsum([len(r) for r in rows]) for rows in (sources, decoder_in, decoder_out)]
    data = tf.data.Dataset.from_tensor_slices(tuple(
        (end - np.array([len(r) for r in rows]), end)
        for end, rows in zip(ends, (sources, decoder_in, decoder_out), strict=True)))
    data = data.map(lambda *spans: tuple(values[start:stop] for values, (start, stop)
                                         in zip(flat, spans, strict=True)))
    if strategy == "sorted":
        data = data.padded_batch(batch_size)
        data = data.shuffle(n, seed=seed, reshuffle_each_iteration=True)
        return data.map(with_weights).prefetch(tf.data.AUTOTUNE)
    data = data.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    if strategy == "per_batch":
        return data.padded_batch(batch_size).map(with_weights).prefetch(tf.data.AUTOTUNE)
    data = data.bucket_by_sequence_length(
        element_length_func=lambda e, d, t: tf.maximum(tf.shape(e)[0], tf.shape(d)[0]),
        bucket_boundaries=boundaries,
        bucket_batch_sizes=[batch_size] * (len(boundaries) + 1),
        pad_to_bucket_boundary=pad_to_bucket_boundary,
    )
    # Every bucket ends with one partial batch at most, whatever the order: tell Keras how
    # many batches an epoch has (tf.data cannot know it after the grouping).
    per_bucket = np.bincount(bucket_index(lengths, boundaries), minlength=len(boundaries) + 1)
    batches = int(sum(-(-count // batch_size) for count in per_bucket))
    data = data.map(with_weights).apply(tf.data.experimental.assert_cardinality(batches))
    return data.prefetch(tf.data.AUTOTUNE)


@dataclass(frozen=True)
class BatchStats:
    """What one pass over a pipeline holds (notebook 08): see :func:`batch_stats`."""

    batches: int
    sequences: int
    real_tokens: int
    positions: int
    shapes: Counter

    @property
    def padding_fraction(self) -> float:
        """The share of encoder and decoder positions that are ``<pad>``."""
        return 1 - self.real_tokens / self.positions

    @property
    def distinct_shapes(self) -> int:
        """How many different (encoder, decoder) batch shapes one epoch has."""
        return len(self.shapes)


def batch_stats(dataset: Any) -> BatchStats:
    """One pass over a :func:`make_dataset` pipeline: batches, padding and batch shapes.

    Notebook 08. Real tokens are the non-``<pad>`` ids of the encoder input and of the
    decoder target; positions are the sizes of those two tensors.
    """
    if not hasattr(dataset, "as_numpy_iterator"):
        raise TypeError(f"dataset must be a tf.data.Dataset, got {type(dataset).__name__}")
    batches = sequences = real = positions = 0
    shapes: Counter = Counter()
    for element in dataset.as_numpy_iterator():
        if not (isinstance(element, tuple) and len(element) == 3 and len(element[0]) == 2):
            raise ValueError("dataset must yield ((encoder_input, decoder_input), target, weight)")
        (encoder, _), target, _ = element
        batches += 1
        sequences += encoder.shape[0]
        real += int(np.count_nonzero(encoder != PAD_ID) + np.count_nonzero(target != PAD_ID))
        positions += encoder.size + target.size
        shapes[(encoder.shape, target.shape)] += 1
    if batches == 0:
        raise ValueError("dataset is empty: it yielded no batch")
    return BatchStats(batches, sequences, real, positions, shapes)


class TimeBudget(keras.callbacks.Callback):
    """A Keras callback that stops training once ``seconds`` of wall time have passed (notebook 12).

    Checked after every batch, so a race "at equal time" gives each model the same seconds
    from the start of ``fit`` (its tracing included). ``batches`` counts the batches trained
    and ``elapsed`` the seconds ``fit`` ran. Pass a large ``epochs`` to ``fit``: the budget,
    not the epoch count, ends the run.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__()
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
            raise ValueError(f"seconds must be a positive number, got {seconds!r}")
        self.seconds = float(seconds)
        self.batches = 0
        self.elapsed = 0.0
        self._start = 0.0

    def on_train_begin(self, logs: Any = None) -> None:
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.batches += 1
        self.elapsed = time.perf_counter() - self._start
        if self.elapsed >= self.seconds:
            self.model.stop_training = True


class EpochTimer(keras.callbacks.Callback):
    """A Keras callback that keeps each epoch's wall time and CPU time (notebook 08).

    ``seconds`` holds the wall-clock time of each epoch, ``cpu_seconds`` the CPU time this
    process used in it (all threads; steadier than wall time on a shared machine). One timer
    may follow several ``fit`` calls: it appends. The first epoch includes tracing (building
    the graph); :meth:`after_warmup` gives the fastest of the later ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self.cpu_seconds: list[float] = []
        self._start = (0.0, 0.0)

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._start = (time.perf_counter(), time.process_time())

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.seconds.append(time.perf_counter() - self._start[0])
        self.cpu_seconds.append(time.process_time() - self._start[1])

    def after_warmup(self, cpu: bool = False) -> float:
        """The least wall (or, with ``cpu=True``, CPU) time of the epochs after the first.

        The least, not the mean: other work on the machine only ever adds time to an
        epoch, so the fastest epoch is the best estimate of what the epoch itself costs.
        """
        if not isinstance(cpu, bool):
            raise TypeError(f"cpu must be True or False, got {cpu!r}")
        times = self.cpu_seconds if cpu else self.seconds
        if len(times) < 2:
            raise ValueError(f"after_warmup needs at least 2 timed epochs, got {len(times)}")
        return float(min(times[1:]))
