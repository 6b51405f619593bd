"""helpers.datasets: the loaders of installed data."""

from pathlib import Path

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


FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINES, CONVERSATIONS = FIXTURES / "cornell_movie_lines.txt", FIXTURES / "cornell_movie_conversations.txt"


def test_chatterbot_conversations_give_the_same_pairs():
    conversations = datasets.load_chatterbot_conversations("chinese")
    assert all(isinstance(c, list) and c for c in conversations)
    assert datasets.adjacent_pairs(conversations) == datasets.load_chatterbot_pairs("chinese")


def test_split_by_conversation_keeps_conversations_whole():
    conversations = [[f"{i}a", f"{i}b", f"{i}c"] for i in range(20)]
    train, test = datasets.split_by_conversation(conversations, test_fraction=0.25, seed=3)
    assert len(test) == 5 and len(train) == 15
    assert sorted(map(tuple, train + test)) == sorted(map(tuple, conversations))
    statements = {a for a, _ in datasets.adjacent_pairs(train)}
    replies = {b for _, b in datasets.adjacent_pairs(train)}
    for a, b in datasets.adjacent_pairs(test):
        assert a not in statements | replies and b not in statements | replies
    assert datasets.split_by_conversation(conversations, 0.25, seed=3) == (train, test)
    assert datasets.split_by_conversation(conversations, 0.25, seed=4) != (train, test)
    # Tiny corpora: at least one conversation on each side.
    assert [len(side) for side in datasets.split_by_conversation([["a"], ["b"]], 0.01)] == [1, 1]
    assert [len(side) for side in datasets.split_by_conversation([["a"], ["b"]], 0.99)] == [1, 1]


@pytest.mark.parametrize("args, error, match", [
    (([["a"]],), ValueError, "at least 2 conversations"),
    (("ab",), TypeError, "conversations must be a list"),
    (([["a"], ["b"]], 0), ValueError, "test_fraction must be between 0 and 1"),
    (([["a"], ["b"]], 1.0), ValueError, "test_fraction must be between 0 and 1"),
    (([["a"], ["b"]], 0.5, -1), ValueError, "seed must be an int >= 0"),
])
def test_split_by_conversation_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        datasets.split_by_conversation(*args)


def test_cornell_loader_reads_latin1_and_reports_bad_lines():
    loaded = datasets.load_cornell_conversations(LINES, CONVERSATIONS)
    assert loaded.conversations == [
        ["Can we make this quick?", "Well, I thought we'd start with pronunciation.",
         "Not the hacking and gagging and spitting part.", "Je ne sais pas, café?"],
        ["Where\x92s the party?", "Over there."],
    ]
    # L7 - (empty L6) - L8 and L8 - (missing L99) - L7 are cut: no pair joins them.
    assert ("Forget it.", "You're sweet.") not in loaded.pairs
    assert ("You're sweet.", "Forget it.") not in loaded.pairs
    assert len(loaded.pairs) == 4
    reasons = [(bad.file, bad.line, bad.reason) for bad in loaded.bad_lines]
    assert reasons == [
        ("cornell_movie_lines.txt", 5, "4 fields, expected 5"),
        ("cornell_movie_lines.txt", 9, "line id L2 repeated"),
        ("cornell_movie_conversations.txt", 3, "line ids not in cornell_movie_lines.txt: L99"),
        ("cornell_movie_conversations.txt", 4, "the last field is not a list of line ids"),
        ("cornell_movie_conversations.txt", 5, "3 fields, expected 4"),
    ]
    report = loaded.report()
    assert report.splitlines()[0] == "2 conversations, 4 pairs, 5 bad lines skipped"
    assert "cornell_movie_lines.txt:5: 4 fields, expected 5" in report
    assert loaded.report(limit=1).splitlines()[-1] == "  ... and 4 more"


def test_cornell_loader_with_the_windows_encoding():
    loaded = datasets.load_cornell_conversations(LINES, CONVERSATIONS, encoding="cp1252")
    assert loaded.conversations[1][0] == "Where’s the party?"
    # Read as UTF-8, the bytes that are not UTF-8 become U+FFFD instead of an error.
    utf8 = datasets.load_cornell_conversations(LINES, CONVERSATIONS, encoding="utf-8")
    assert utf8.conversations[0][3] == "Je ne sais pas, caf\ufffd?"


def test_cornell_loader_rejects_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="lines_path: no file at"):
        datasets.load_cornell_conversations(tmp_path / "none.txt", CONVERSATIONS)
    with pytest.raises(FileNotFoundError, match="conversations_path: no file at"):
        datasets.load_cornell_conversations(LINES, tmp_path)
    with pytest.raises(TypeError, match="lines_path must be a path"):
        datasets.load_cornell_conversations(3, CONVERSATIONS)
    with pytest.raises(TypeError, match="encoding must be a str"):
        datasets.load_cornell_conversations(LINES, CONVERSATIONS, encoding=None)


def test_tab_pairs_loader_reports_bad_lines():
    loaded = datasets.load_tab_pairs(FIXTURES / "tatoeba_fra.txt")
    assert loaded.pairs == [("Go.", "Va !"), ("Hi.", "Salut !"), ("Thank you.", "Merci.")]
    assert [(bad.line, bad.reason) for bad in loaded.bad_lines] == [
        (3, "1 tab-separated fields, need 2"), (5, "an empty side"), (6, "not utf-8")]
    assert str(loaded.bad_lines[0]) == "tatoeba_fra.txt:3: 1 tab-separated fields, need 2 " \
                                       "('no tab on this line')"
    swapped = datasets.load_tab_pairs(FIXTURES / "tatoeba_fra.txt", columns=(1, 0),
                                      encoding="latin-1")
    assert swapped.pairs[0] == ("Va !", "Go.") and ("Un café ?", "Café?") in swapped.pairs


def test_tab_pairs_loader_rejects_bad_arguments(tmp_path):
    path = FIXTURES / "tatoeba_fra.txt"
    for columns in [(0, 0), (0,), (-1, 1), [0, 1], (0, True)]:
        with pytest.raises(ValueError, match="columns must be two different field indices"):
            datasets.load_tab_pairs(path, columns=columns)
    with pytest.raises(FileNotFoundError, match="path: no file at"):
        datasets.load_tab_pairs(tmp_path / "missing.tsv")
    with pytest.raises(TypeError, match="path must be a path"):
        datasets.load_tab_pairs(None)
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    assert datasets.load_tab_pairs(empty).report() == "0 conversations, 0 pairs, 0 bad lines skipped"
