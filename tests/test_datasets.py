"""helpers.datasets: the loaders of installed data."""

import numpy as np
import pytest

from helpers import datasets


def test_digits_split_is_fixed_stratified_and_scaled():
    x_train, x_test, y_train, y_test = datasets.load_digits_split()
    assert x_train.shape == (1347, 64) and x_test.shape == (450, 64)
    assert x_train.dtype == np.float32 and 0 <= x_train.min() and x_train.max() <= 1
    assert set(y_test) == set(range(10))
    again = datasets.load_digits_split()
    np.testing.assert_array_equal(again[1], x_test)


@pytest.mark.parametrize("kwargs, match", [
    ({"test_fraction": 0}, "test_fraction must be between 0 and 1"),
    ({"test_fraction": 1.5}, "test_fraction must be between 0 and 1"),
    ({"seed": -3}, "seed must be an int >= 0"),
])
def test_digits_split_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.load_digits_split(**kwargs)


def test_chatterbot_chinese_pairs():
    pairs = datasets.load_chatterbot_pairs("chinese")
    assert len(pairs) > 400
    assert ("你好", "嗨") in pairs
    assert all(isinstance(a, str) and a and b for a, b in pairs)
    assert "english" in datasets.chatterbot_languages()


def test_chatterbot_rejects_unknown_language():
    with pytest.raises(ValueError, match="language 'klingon' is not in chatterbot-corpus"):
        datasets.load_chatterbot_pairs("klingon")
    with pytest.raises(TypeError, match="language must be a str"):
        datasets.load_chatterbot_pairs(3)


def test_chitchat_conversations():
    first = datasets.load_chitchat_conversations(limit=50)
    assert len(first) == 50 and all(len(c) >= 1 for c in first)
    assert all(isinstance(m, str) for c in first for m in c)
    assert len(datasets.adjacent_pairs(first)) == 499  # stable: the package is pinned
    with pytest.raises(ValueError, match="limit must be a positive int"):
        datasets.load_chitchat_conversations(limit=0)


def test_adjacent_pairs():
    assert datasets.adjacent_pairs([["a", " b ", "", "c"], ["x"]]) == [("a", "b"), ("b", "c")]
    assert datasets.adjacent_pairs([]) == []
    with pytest.raises(TypeError, match="not a str"):
        datasets.adjacent_pairs("abc")
    with pytest.raises(TypeError, match=r"conversations\[1\] must be a list of turns"):
        datasets.adjacent_pairs([["a", "b"], 5])
