"""helpers.text: vocabularies, padding, one-hot and the training triplet."""

import numpy as np
import pytest

from helpers import text
from helpers.text import END_ID, PAD_ID, START_ID, UNK_ID, Vocabulary, make_triplets


def test_tokenize_char_and_word():
    assert text.tokenize("ab c") == ["a", "b", " ", "c"]
    assert text.tokenize("Hi, Ann!", "word") == ["Hi", ",", "Ann", "!"]
    assert text.tokenize("你好吗?", "word") == ["你好吗", "?"]
    assert text.tokenize("", "char") == []


@pytest.mark.parametrize("bad, error, match", [
    (3, TypeError, "text must be a str"),
])
def test_tokenize_rejects_non_strings(bad, error, match):
    with pytest.raises(error, match=match):
        text.tokenize(bad)


def test_tokenize_rejects_unknown_level():
    with pytest.raises(ValueError, match="level must be one of"):
        text.tokenize("abc", "byte")


def test_vocabulary_reserves_the_special_tokens_first():
    vocab = Vocabulary.build(["banana", "cab"])
    assert vocab.tokens[:4] == ("<pad>", "<start>", "<end>", "<unk>")
    assert vocab.tokens[4:] == ("a", "b", "c", "n")
    assert len(vocab) == 8
    assert "a" in vocab and "z" not in vocab


def test_char_round_trip_and_unknown_tokens():
    vocab = Vocabulary.build(["2024-03-05", "1999-12-31"])
    ids = vocab.encode("2024-03-05", add_start=True, add_end=True)
    assert ids[0] == START_ID and ids[-1] == END_ID
    assert vocab.decode(ids) == "2024-03-05"
    assert vocab.encode("20x4") == [vocab.id("2"), vocab.id("0"), UNK_ID, vocab.id("4")]
    assert vocab.decode(vocab.encode("20x4")) == "20<unk>4"


def test_word_level_round_trip():
    vocab = Vocabulary.build(["how are you ?", "fine , thanks"], level="word")
    assert vocab.decode(vocab.encode("how are you ?")) == "how are you ?"
    assert vocab.encode("how is you") == [vocab.id("how"), UNK_ID, vocab.id("you")]


def test_chinese_characters():
    vocab = Vocabulary.build(["你好", "你好吗"])
    assert vocab.decode(vocab.encode("你好吗")) == "你好吗"


def test_decode_stops_at_end_and_skips_padding():
    vocab = Vocabulary.build(["ab"])
    a, b = vocab.id("a"), vocab.id("b")
    assert vocab.decode([START_ID, a, b, END_ID, a, PAD_ID]) == "ab"
    assert vocab.decode([START_ID, a, END_ID], strip_special=False) == "<start>a<end>"
    assert vocab.decode(np.array([a, b, PAD_ID, PAD_ID])) == "ab"
    assert vocab.decode([]) == ""


def test_min_count_and_max_size():
    vocab = Vocabulary.build(["aaab", "aac"], min_count=2)
    assert vocab.tokens[4:] == ("a",)
    vocab = Vocabulary.build(["aaabbc"], max_size=6)
    assert vocab.tokens[4:] == ("a", "b")
    vocab = Vocabulary.build(["ab"], max_size=5)  # tie broken alphabetically
    assert vocab.tokens[4:] == ("a",)


def test_special_token_text_in_the_corpus_is_not_added_twice():
    vocab = Vocabulary.build(["<pad> x"], level="word")
    assert vocab.tokens.count("<pad>") == 1


@pytest.mark.parametrize("texts, kwargs, error, match", [
    ([], {}, ValueError, "texts is empty"),
    ("abc", {}, TypeError, "not a single string"),
    (["ok", 5], {}, TypeError, r"texts\[1\] must be a str"),
    (42, {}, TypeError, "texts must be a list of strings"),
    (["abc"], {"level": "byte"}, ValueError, "level must be one of"),
    (["abc"], {"min_count": 0}, ValueError, "min_count must be an int >= 1"),
    (["abc"], {"min_count": 5}, ValueError, "no token seen at least min_count=5"),
    (["abc"], {"max_size": 4}, ValueError, "max_size must be an int > 4"),
    ([""], {}, ValueError, "no token"),
])
def test_build_rejects_bad_input(texts, kwargs, error, match):
    with pytest.raises(error, match=match):
        Vocabulary.build(texts, **kwargs)


def test_vocabulary_must_start_with_the_reserved_tokens():
    with pytest.raises(ValueError, match="must start with the reserved tokens"):
        Vocabulary(("a", "b"))
    with pytest.raises(ValueError, match="must not repeat"):
        Vocabulary(text.SPECIALS + ("a", "a"))


def test_token_and_decode_reject_bad_ids():
    vocab = Vocabulary.build(["ab"])
    assert vocab.token(4) == "a"
    with pytest.raises(ValueError, match=r"index must be in \[0, 5\]"):
        vocab.token(6)
    with pytest.raises(TypeError, match="index must be an int"):
        vocab.token("a")
    with pytest.raises(ValueError, match="ids holds 9"):
        vocab.decode([4, 9])
    with pytest.raises(ValueError, match="ids holds -1"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match="rank 1"):
        vocab.decode([[4, 5]])
    with pytest.raises(TypeError, match="ids must be integers"):
        vocab.decode([4.0, 5.0])


def test_pad_pads_at_the_end():
    out = text.pad([[5, 6, 7], [8]])
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[5, 6, 7], [8, 0, 0]])
    np.testing.assert_array_equal(text.pad([[5]], 3, value=9), [[5, 9, 9]])


@pytest.mark.parametrize("sequences, length, error, match", [
    ([], None, ValueError, "sequences is empty"),
    ("abc", None, TypeError, "sequences must be a list of id lists"),
    ([[1, 2], "ab"], None, TypeError, r"sequences\[1\] must be a list of ints"),
    ([[1, 2, 3]], 2, ValueError, "length=2 is shorter than the longest sequence"),
    ([[1]], 0, ValueError, "length must be a positive int"),
])
def test_pad_rejects_bad_input(sequences, length, error, match):
    with pytest.raises(error, match=match):
        text.pad(sequences, length)


def test_one_hot_makes_padding_a_zero_vector():
    out = text.one_hot(np.array([[1, 2, 0]]), 4)
    assert out.shape == (1, 3, 4) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0], [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]])


@pytest.mark.parametrize("ids, depth, error, match", [
    ([[1, 5]], 4, ValueError, r"ids must lie in \[0, 3\]"),
    ([[1, 2]], 1, ValueError, "depth must be an int >= 2"),
    ([[0.5]], 4, TypeError, "ids must be integers"),
])
def test_one_hot_rejects_bad_input(ids, depth, error, match):
    with pytest.raises(error, match=match):
        text.one_hot(np.array(ids), depth)


@pytest.fixture
def pairs():
    sources = ["5 March 2024", "1/2/99"]
    targets = ["2024-03-05", "1999-01-02"]
    return sources, targets, Vocabulary.build(sources), Vocabulary.build(targets)


def test_triplet_is_the_decoder_input_shifted_by_one(pairs):
    sources, targets, sv, tv = pairs
    t = make_triplets(sources, targets, sv, tv)
    assert t.encoder_input.shape == (2, 12)
    assert t.decoder_input.shape == t.decoder_target.shape == (2, 11)
    assert (t.decoder_input[:, 0] == START_ID).all()
    np.testing.assert_array_equal(t.decoder_input[:, 1:], t.decoder_target[:, :-1])
    assert (t.decoder_target[:, -1] == END_ID).all()
    assert tv.decode(t.decoder_target[0]) == "2024-03-05"
    assert sv.decode(t.encoder_input[1]) == "1/2/99"
    assert t.encoder_input[1, 6:].tolist() == [PAD_ID] * 6


def test_triplet_with_explicit_lengths_and_one_hot(pairs):
    sources, targets, sv, tv = pairs
    t = make_triplets(sources, targets, sv, tv, source_length=20, target_length=15,
                      one_hot_encode=True)
    assert t.encoder_input.shape == (2, 20, len(sv))
    assert t.decoder_input.shape == t.decoder_target.shape == (2, 16, len(tv))
    ids = make_triplets(sources, targets, sv, tv, source_length=20, target_length=15)
    np.testing.assert_array_equal(t.decoder_target.argmax(-1)[ids.decoder_target > 0],
                                  ids.decoder_target[ids.decoder_target > 0])
    assert t.decoder_target[ids.decoder_target == 0].sum() == 0


@pytest.mark.parametrize("change, error, match", [
    ({"targets": ["x"]}, ValueError, "must pair up: 2 sources, 1 targets"),
    ({"sources": [], "targets": []}, ValueError, "sources is empty"),
    ({"sources": "ab"}, TypeError, "sources must be a list of strings"),
    ({"targets": ["a", None]}, TypeError, r"targets\[1\] must be a str"),
    ({"source_vocab": {"a": 1}}, TypeError, "source_vocab must be a Vocabulary"),
    ({"target_length": 3}, ValueError, "target_length=3 is shorter than the longest target"),
    ({"source_length": 3}, ValueError, "source_length=3 is shorter than the longest source"),
    ({"source_length": 0}, ValueError, "source_length must be a positive int"),
    ({"target_length": -1}, ValueError, "target_length must be a positive int"),
])
def test_make_triplets_rejects_bad_input(pairs, change, error, match):
    sources, targets, sv, tv = pairs
    args = {"sources": sources, "targets": targets, "source_vocab": sv, "target_vocab": tv}
    args.update(change)
    with pytest.raises(error, match=match):
        make_triplets(**args)


def test_one_hot_of_a_large_vocabulary_costs_only_its_output():
    out = text.one_hot(np.array([[5, 19_999]]), 20_000)
    assert out.shape == (1, 2, 20_000) and out.sum() == 2 and out[0, 1, 19_999] == 1


def test_vocabulary_from_a_list_equals_one_from_a_tuple():
    tokens = list(text.SPECIALS) + ["a", "b"]
    assert Vocabulary(tokens) == Vocabulary(tuple(tokens))
    assert hash(Vocabulary(tokens)) == hash(Vocabulary(tuple(tokens)))
    with pytest.raises(TypeError, match="tokens must be a sequence of strings"):
        Vocabulary("<pad><start>")
