"""helpers.bucketing: boundaries, padding arithmetic, the four tf.data pipelines, the timer."""

import keras
import numpy as np
import pytest

from helpers import bucketing
from helpers.text import END_ID, PAD_ID, START_ID

# Ten pairs with a long tail: lengths 1..6 and one of 20 (targets one shorter than sources).
SOURCES = [[5] * n for n in [1, 2, 2, 3, 3, 4, 5, 6, 6, 20]]
TARGETS = [[6] * max(1, n - 1) for n in [1, 2, 2, 3, 3, 4, 5, 6, 6, 20]]


def test_check_boundaries_accepts_increasing_ints_and_matching_batch_sizes():
    assert bucketing.check_boundaries([3, 5, np.int64(9)]) == [3, 5, 9]
    assert bucketing.check_boundaries((3, 5), [8, 8, 4]) == [3, 5]


@pytest.mark.parametrize("boundaries, batch_sizes, error, match", [
    ([], None, ValueError, "empty"),
    ([3, 3], None, ValueError, "increase"),
    ([5, 3], None, ValueError, r"boundaries\[1\]=3 after boundaries\[0\]=5"),
    ([0, 3], None, ValueError, r"boundaries\[0\] must be >= 1"),
    ([2.5], None, TypeError, r"boundaries\[0\] must be an int"),
    ("35", None, TypeError, "list of ints"),
    ([3, 5], [8, 8], ValueError, "one entry per bucket, len\\(boundaries\\) \\+ 1 = 3, got 2"),
    ([3, 5], [8, 0, 8], ValueError, r"batch_sizes\[1\] must be >= 1"),
    ([3, 5], 8, TypeError, "batch_sizes must be a list"),
])
def test_check_boundaries_rejects_bad_input(boundaries, batch_sizes, error, match):
    with pytest.raises(error, match=match):
        bucketing.check_boundaries(boundaries, batch_sizes)


def test_quantile_boundaries_give_equal_count_buckets_and_end_past_the_longest():
    lengths = list(range(1, 101))
    boundaries = bucketing.quantile_boundaries(lengths, 4)
    assert boundaries == [26, 51, 76, 101]
    counts = np.bincount(bucketing.bucket_index(lengths, boundaries), minlength=5)
    assert counts.tolist() == [25, 25, 25, 25, 0]  # nothing in the open-ended last bucket


def test_quantile_boundaries_merge_repeats_and_split_wide_tail_buckets():
    lengths = [5] * 50 + [6] * 40 + [10, 100, 1000]
    assert bucketing.quantile_boundaries(lengths, 4) == [6, 1001]  # quartiles repeat
    split = bucketing.quantile_boundaries(lengths, 4, max_ratio=2)
    assert split[0] == 6 and split[-1] == 1001
    edges = [5] + split
    assert all(b / a <= 2 + 1e-9 for a, b in zip(edges, edges[1:], strict=False))
    assert split == sorted(set(split))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lengths": [], "n_buckets": 2}, ValueError, "empty"),
    ({"lengths": [3, 0], "n_buckets": 2}, ValueError, ">= 1"),
    ({"lengths": [[3, 4]], "n_buckets": 2}, ValueError, "rank 1"),
    ({"lengths": [1.5, 2.0], "n_buckets": 2}, TypeError, "ints"),
    ({"lengths": "abc", "n_buckets": 2}, TypeError, "not a string"),
    ({"lengths": [3, 4], "n_buckets": 0}, ValueError, "n_buckets"),
    ({"lengths": [3, 4], "n_buckets": 2, "max_ratio": 1}, ValueError, "max_ratio"),
    ({"lengths": [3, 4], "n_buckets": 2, "max_ratio": True}, ValueError, "max_ratio"),
])
def test_quantile_boundaries_reject_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        bucketing.quantile_boundaries(**kwargs)


def test_fixed_width_boundaries():
    assert bucketing.fixed_width_boundaries([3, 9, 14], 5) == [5, 10, 15]
    assert bucketing.fixed_width_boundaries([3, 9, 15], 5) == [5, 10, 15, 20]
    with pytest.raises(ValueError, match="width"):
        bucketing.fixed_width_boundaries([3], 0)
    with pytest.raises(ValueError, match="empty"):
        bucketing.fixed_width_boundaries([], 5)


def test_bucket_index_and_padded_lengths():
    assert bucketing.bucket_index([1, 4, 5, 9, 10, 30], [5, 10]).tolist() == [0, 0, 1, 1, 2, 2]
    assert bucketing.padded_lengths([1, 4, 5, 9], [5, 10]).tolist() == [4, 4, 9, 9]
    with pytest.raises(ValueError, match="not below the last boundary 10"):
        bucketing.padded_lengths([1, 10], [5, 10])
    with pytest.raises(ValueError, match="increase"):
        bucketing.bucket_index([1], [5, 5])


def test_padding_fraction_arithmetic():
    assert bucketing.padding_fraction([2, 4], [4, 4]) == pytest.approx(0.25)
    assert bucketing.padding_fraction([3], [3]) == 0.0
    with pytest.raises(ValueError, match="pair up"):
        bucketing.padding_fraction([2, 4], [4])
    with pytest.raises(ValueError, match=r"padded\[0\]=2 is shorter than lengths\[0\]=3"):
        bucketing.padding_fraction([3], [2])
    with pytest.raises(ValueError, match="empty"):
        bucketing.padding_fraction([], [])


def test_pair_lengths_and_bad_pairs():
    assert bucketing.pair_lengths([[1, 2, 3], [4]], [[5], [6, 7]]).tolist() == [3, 3]
    with pytest.raises(ValueError, match="pair up"):
        bucketing.pair_lengths([[1]], [[1], [2]])
    with pytest.raises(ValueError, match="empty"):
        bucketing.pair_lengths([], [])
    with pytest.raises(ValueError, match=r"targets\[0\] is empty"):
        bucketing.pair_lengths([[1]], [[]])
    with pytest.raises(TypeError, match=r"sources\[0\] must be a list of ints"):
        bucketing.pair_lengths(["ab"], [[1]])
    with pytest.raises(TypeError, match="sources must be a list of id lists"):
        bucketing.pair_lengths("ab", [[1]])


def _batches(dataset):
    return list(dataset.as_numpy_iterator())


def _rows(batches):
    """Every (source, target) pair in the batches, padding stripped, sorted."""
    rows = []
    for (encoder, decoder), target, weight in batches:
        np.testing.assert_array_equal(weight, (target != PAD_ID).astype("float32"))
        assert (decoder[:, 0] == START_ID).all()
        np.testing.assert_array_equal(decoder[:, 1:][target[:, :-1] != END_ID],
                                      target[:, :-1][target[:, :-1] != END_ID])
        for e, t in zip(encoder, target, strict=True):
            t = t[t != PAD_ID].tolist()
            assert t[-1] == END_ID
            rows.append((e[e != PAD_ID].tolist(), t[:-1]))
    return sorted(rows)


@pytest.mark.parametrize("strategy, kwargs", [
    ("longest", {}),
    ("per_batch", {}),
    ("sorted", {}),
    ("buckets", {"boundaries": [3, 5, 22]}),
    ("buckets", {"boundaries": [3, 5, 22], "pad_to_bucket_boundary": True}),
    ("buckets", {"boundaries": [3, 5]}),  # the longest pair falls into the open last bucket
])
def test_every_pipeline_yields_every_pair_once_with_its_weights(strategy, kwargs):
    data = bucketing.make_dataset(SOURCES, TARGETS, strategy, batch_size=4, **kwargs)
    batches = _batches(data)
    assert _rows(batches) == sorted(zip(SOURCES, TARGETS, strict=True))
    assert int(data.cardinality()) == len(batches)  # Keras knows how long an epoch is


def test_pipeline_shapes_follow_the_strategy():
    def shapes(strategy, **kwargs):
        data = bucketing.make_dataset(SOURCES, TARGETS, strategy, batch_size=4, **kwargs)
        return [b[0][0].shape for b in _batches(data)]

    assert set(shapes("longest")) <= {(4, 20), (2, 20)}
    assert sorted(shapes("sorted")) == [(2, 20), (4, 3), (4, 6)]
    # Pair lengths max(len(source), len(target) + 1) are 2 2 2 | 3 3 4 | 5 6 6 20 in the
    # buckets [1, 3), [3, 5), [5, 22).
    padded = shapes("buckets", boundaries=[3, 5, 22], pad_to_bucket_boundary=True)
    assert sorted(padded) == [(3, 2), (3, 4), (4, 21)]
    assert sorted(shapes("buckets", boundaries=[3, 5, 22])) == [(3, 2), (3, 4), (4, 20)]


def test_pipelines_reshuffle_each_epoch_and_repeat_with_the_seed():
    def order(seed):
        data = bucketing.make_dataset(SOURCES, TARGETS, "per_batch", batch_size=10, seed=seed)
        return [_batches(data)[0][0][0][:, 0].tolist() for _ in range(1)], data

    first, data = order(1)
    again, _ = order(1)
    assert first == again
    lengths = [(b[0][0] != PAD_ID).sum(axis=1).tolist() for b in _batches(data)]
    lengths_next = [(b[0][0] != PAD_ID).sum(axis=1).tolist() for b in _batches(data)]
    assert sorted(lengths[0]) == sorted(lengths_next[0]) and lengths != lengths_next


@pytest.mark.parametrize("kwargs, error, match", [
    ({"strategy": "random"}, ValueError, "strategy must be one of"),
    ({"strategy": "buckets"}, ValueError, "needs boundaries"),
    ({"strategy": "longest", "boundaries": [3]}, ValueError, "for strategy='buckets'"),
    ({"strategy": "per_batch", "pad_to_bucket_boundary": True}, ValueError, "for strategy='buckets'"),
    ({"strategy": "buckets", "boundaries": [5, 3]}, ValueError, "increase"),
    ({"strategy": "buckets", "boundaries": [3, 5], "pad_to_bucket_boundary": True}, ValueError,
     "last boundary above the longest pair"),
    ({"strategy": "buckets", "boundaries": [3], "pad_to_bucket_boundary": 1}, TypeError,
     "pad_to_bucket_boundary"),
    ({"strategy": "longest", "batch_size": 0}, ValueError, "batch_size"),
    ({"strategy": "longest", "seed": -1}, ValueError, "seed"),
])
def test_make_dataset_rejects_bad_input(kwargs, error, match):
    kwargs = {"batch_size": 4, **kwargs}
    with pytest.raises(error, match=match):
        bucketing.make_dataset(SOURCES, TARGETS, **kwargs)


def test_make_dataset_rejects_an_empty_corpus():
    with pytest.raises(ValueError, match="empty"):
        bucketing.make_dataset([], [], "per_batch", batch_size=4)


def test_batch_stats_counts_padding_and_shapes():
    data = bucketing.make_dataset(SOURCES, TARGETS, "longest", batch_size=5)
    stats = bucketing.batch_stats(data)
    real = sum(map(len, SOURCES)) + sum(len(t) + 1 for t in TARGETS)
    assert (stats.batches, stats.sequences, stats.real_tokens) == (2, 10, real)
    assert stats.positions == 10 * 20 + 10 * 20
    assert stats.padding_fraction == pytest.approx(1 - real / 400)
    assert stats.distinct_shapes == 1
    # The helper's arithmetic predicts what the pipeline pads, up to the one-token
    # difference between the encoder and the decoder of a pair.
    bounds = [3, 5, 22]
    lengths = bucketing.pair_lengths(SOURCES, TARGETS)
    predicted = bucketing.padding_fraction(lengths, bucketing.padded_lengths(lengths, bounds))
    measured = bucketing.batch_stats(bucketing.make_dataset(
        SOURCES, TARGETS, "buckets", batch_size=5, boundaries=bounds, pad_to_bucket_boundary=True))
    assert measured.padding_fraction == pytest.approx(predicted, abs=0.06)


def test_batch_stats_rejects_what_is_not_a_pipeline():
    import tensorflow as tf

    with pytest.raises(TypeError, match="tf.data.Dataset"):
        bucketing.batch_stats([1, 2])
    with pytest.raises(ValueError, match="yield"):
        bucketing.batch_stats(tf.data.Dataset.from_tensor_slices([1, 2]))
    empty = bucketing.make_dataset(SOURCES, TARGETS, "longest", batch_size=5).take(0)
    with pytest.raises(ValueError, match="empty"):
        bucketing.batch_stats(empty)


def test_epoch_timer_records_wall_and_cpu_time_per_epoch_across_fit_calls():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    timer = bucketing.EpochTimer()
    model.fit(np.zeros((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0, callbacks=[timer])
    model.fit(np.zeros((8, 2)), np.zeros((8, 1)), initial_epoch=2, epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == len(timer.cpu_seconds) == 3
    assert all(t >= 0 for t in timer.seconds + timer.cpu_seconds)
    assert timer.after_warmup() == min(timer.seconds[1:])
    assert timer.after_warmup(cpu=True) == min(timer.cpu_seconds[1:])


def test_epoch_timer_after_warmup_is_the_fastest_later_epoch():
    timer = bucketing.EpochTimer()
    timer.seconds, timer.cpu_seconds = [0.5, 3.0, 2.0, 4.0], [9.0, 2.5, 3.5, 1.5]
    assert timer.after_warmup() == 2.0                # the first epoch never counts
    assert timer.after_warmup(cpu=True) == 1.5
    with pytest.raises(TypeError, match="cpu"):
        timer.after_warmup(cpu="yes")
    with pytest.raises(ValueError, match="at least 2"):
        bucketing.EpochTimer().after_warmup()


def test_time_budget_stops_fit_once_its_seconds_have_passed():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    budget = bucketing.TimeBudget(1e-9)                # over after the first batch
    history = model.fit(np.zeros((32, 2)), np.zeros((32, 1)), batch_size=4, epochs=50, verbose=0,
                        callbacks=[budget])
    assert budget.batches == 1 and len(history.history["loss"]) == 1
    assert budget.elapsed >= budget.seconds
    generous = bucketing.TimeBudget(3600)
    model.fit(np.zeros((32, 2)), np.zeros((32, 1)), batch_size=4, epochs=2, verbose=0, callbacks=[generous])
    assert generous.batches == 16 and 0 < generous.elapsed < 3600


@pytest.mark.parametrize("seconds", [0, -1, True, "10", float("nan")])
def test_time_budget_rejects_a_budget_that_is_not_a_positive_number(seconds):
    with pytest.raises(ValueError, match="seconds"):
        bucketing.TimeBudget(seconds)
