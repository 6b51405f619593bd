"""helpers.metrics: exact match, masked token accuracy, per-group and per-position breakdowns."""

import numpy as np
import pytest

from helpers import metrics
from helpers.text import one_hot


def test_exact_match_on_strings_and_ids():
    assert metrics.exact_match(["2024-03-05", "1999-12-31"], ["2024-03-05", "1999-12-30"]) == 0.5
    assert metrics.exact_match([[1, 2], [3]], [[1, 2], [3]]) == 1.0
    assert metrics.exact_match(np.array([[1, 2], [3, 4]]), np.array([[1, 2], [3, 5]])) == 0.5
    assert metrics.exact_match(["abc"], ["ab"]) == 0.0  # a longer prediction is wrong


@pytest.mark.parametrize("predictions, references, error, match", [
    (["a"], ["a", "b"], ValueError, "1 predictions, 2 references"),
    ([], [], ValueError, "predictions is empty"),
    ("ab", ["a", "b"], TypeError, "predictions must be a list of sequences, not a single string"),
    (["a"], 3, TypeError, "references must be a list of sequences"),
])
def test_exact_match_rejects_bad_input(predictions, references, error, match):
    with pytest.raises(error, match=match):
        metrics.exact_match(predictions, references)


def test_token_accuracy_leaves_padding_out():
    y_true = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0]])
    y_pred = np.array([[5, 9, 2, 0, 4], [7, 2, 3, 3, 3]])
    # 5 real tokens, 4 of them right; the wrong guesses on padding do not count.
    assert metrics.token_accuracy(y_true, y_pred) == 0.8


def test_token_accuracy_on_one_hot_and_probabilities():
    y_true = np.array([[5, 6, 2, 0]])
    probabilities = np.full((1, 4, 8), 0.01)
    probabilities[0, [0, 1, 2, 3], [5, 1, 2, 6]] = 0.9
    # one-hot <pad> is the zero vector: its arg-max is id 0, so it is still left out.
    assert metrics.token_accuracy(one_hot(y_true, 8), probabilities) == pytest.approx(2 / 3)
    assert metrics.token_accuracy(y_true, probabilities, pad_id=-1) == 0.5


@pytest.mark.parametrize("y_true, y_pred, error, match", [
    (np.zeros((2, 3), int), np.zeros((2, 4), int), ValueError, "same shape"),
    (np.zeros((2, 3), int), np.zeros((2, 3), int), ValueError, "only padding"),
    (np.zeros(3, int), np.zeros(3, int), ValueError, "got rank 1"),
    (np.zeros((0, 3), int), np.zeros((0, 3), int), ValueError, "y_true is empty"),
    (np.ones((2, 3)) * 0.5, np.ones((2, 3), int), TypeError, "must be integers"),
])
def test_token_accuracy_rejects_bad_input(y_true, y_pred, error, match):
    with pytest.raises(error, match=match):
        metrics.token_accuracy(y_true, y_pred)


def test_accuracy_by_group():
    table = metrics.accuracy_by_group(["a", "b", "c", "d"], ["a", "x", "c", "d"],
                                      ["fr_FR", "en_US", "en_US", "fr_FR"])
    assert table == {"en_US": (2, 0.5), "fr_FR": (2, 1.0)}
    assert list(table) == ["en_US", "fr_FR"]


def test_accuracy_by_group_rejects_bad_groups():
    with pytest.raises(ValueError, match="one entry per prediction"):
        metrics.accuracy_by_group(["a", "b"], ["a", "b"], ["x"])
    with pytest.raises(TypeError, match="groups must be a list"):
        metrics.accuracy_by_group(["a", "b"], ["a", "b"], "xy")
    with pytest.raises(ValueError, match="predictions is empty"):
        metrics.accuracy_by_group([], [], [])


def test_position_errors():
    rates = metrics.position_errors(["2024-03-05", "2024-03-0", "2025-03-06"],
                                    ["2024-03-05", "2024-03-05", "2024-03-05"])
    expected = np.zeros(10)
    expected[3] = 1 / 3  # 2025 for 2024
    expected[9] = 2 / 3  # one missing, one wrong
    np.testing.assert_allclose(rates, expected)


def test_position_errors_rejects_bad_input():
    with pytest.raises(ValueError, match="all empty"):
        metrics.position_errors(["a"], [""])
    with pytest.raises(ValueError, match="1 predictions, 2 references"):
        metrics.position_errors(["a"], ["a", "b"])


# Notebook 07: open-ended replies.

def test_distinct_n_counts_variety_across_all_replies():
    assert metrics.distinct_n(["hi there", "hi there"], 1) == 0.5   # 2 distinct of 4 words
    assert metrics.distinct_n(["hi there", "hi there"], 2) == 0.5   # 1 distinct of 2 bigrams
    assert metrics.distinct_n(["I am", "i AM"], 1) == 0.5            # case is ignored
    assert metrics.distinct_n(["a b c"], 2) == 1.0
    assert metrics.distinct_n(["hi", "ok"], 2) == 0.0                # no bigram at all
    assert metrics.distinct_n(["你好你好"], 1, level="char") == 0.5
    assert metrics.distinct_n(["ab ab"], 2, level="char") == pytest.approx(2 / 3)  # ab, ba, ab


@pytest.mark.parametrize("texts, kwargs, error, match", [
    ([], {}, ValueError, "texts is empty"),
    ("hi there", {}, TypeError, "texts must be a list of strings"),
    (["hi", 3], {}, TypeError, r"texts\[1\] must be a str"),
    (["hi"], {"n": 0}, ValueError, "n must be an int >= 1"),
    (["hi"], {"n": 1.5}, ValueError, "n must be an int >= 1"),
    (["hi"], {"level": "byte"}, ValueError, "level must be one of"),
])
def test_distinct_n_rejects_bad_input(texts, kwargs, error, match):
    with pytest.raises(error, match=match):
        metrics.distinct_n(texts, **kwargs)


def test_corpus_bleu_and_chrf_through_sacrebleu():
    import sacrebleu

    predictions, references = ["the cat sat on the mat", "hello there"], ["the cat sat on a mat",
                                                                          "hello there!"]
    assert metrics.corpus_bleu(predictions, references) == pytest.approx(
        sacrebleu.corpus_bleu(predictions, [references]).score)
    assert metrics.corpus_chrf(predictions, references) == pytest.approx(
        sacrebleu.corpus_chrf(predictions, [references]).score)
    assert metrics.corpus_bleu(references, references) == pytest.approx(100)
    assert metrics.corpus_chrf(["xyz"], ["abc"]) == 0.0
    # Chinese: the "zh" tokenizer splits characters, so a near miss scores above zero.
    assert metrics.corpus_bleu(["我很好谢谢你"], ["我很好谢谢"], tokenize="zh") > 0
    assert metrics.corpus_bleu(["我很好谢谢你"], ["我很好谢谢"]) == 0.0


@pytest.mark.parametrize("predictions, references, kwargs, error, match", [
    (["a"], ["a", "b"], {}, ValueError, "1 predictions, 2 references"),
    ([], [], {}, ValueError, "predictions is empty"),
    ("a", ["a"], {}, TypeError, "not a single string"),
    ([3], ["a"], {}, TypeError, r"predictions\[0\] must be a str"),
    (["a"], [None], {}, TypeError, r"references\[0\] must be a str"),
])
def test_bleu_and_chrf_reject_bad_input(predictions, references, kwargs, error, match):
    with pytest.raises(error, match=match):
        metrics.corpus_bleu(predictions, references, **kwargs)
    with pytest.raises(error, match=match):
        metrics.corpus_chrf(predictions, references)
    with pytest.raises(ValueError, match="tokenize must be one of"):
        metrics.corpus_bleu(["a"], ["a"], tokenize="words")
