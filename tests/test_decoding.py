"""helpers.decoding: encoder inputs, batched greedy decoding and the seed's one-sequence loop."""

import keras
import numpy as np
import pytest

from helpers import decoding, models
from helpers.text import END_ID, PAD_ID, START_ID, UNK_ID, Vocabulary

SOURCES = ["3 mar 2024", "2024/3/5", "5.3.24", "march 3, 2024"]
SOURCE_VOCAB = Vocabulary.build(SOURCES)
TARGET_VOCAB = Vocabulary.build(["2024-03-05"])


@pytest.fixture(scope="module")
def pair():
    """Untrained but fixed inference models: decoding must not care whether they are good."""
    keras.utils.set_random_seed(3)
    built = models.build_seq2seq(len(SOURCE_VOCAB), len(TARGET_VOCAB), units=8)
    return models.inference_models(built.model)


def test_encode_inputs_pads_before_the_text_by_default():
    x = decoding.encode_inputs(["ab", "abc"], Vocabulary.build(["abc"]))
    assert x.shape == (2, 3, 7) and x.dtype == np.float32
    assert not x[0, 0].any()  # <pad> is the all-zero vector, in front
    np.testing.assert_array_equal(x[0, 1:].argmax(-1), [4, 5])
    post = decoding.encode_inputs(["ab"], Vocabulary.build(["abc"]), 4, padding="post")
    np.testing.assert_array_equal(post[0].argmax(-1), [4, 5, 0, 0])
    assert not post[0, 2:].any()


def test_encode_inputs_turns_unknown_characters_into_unk():
    x = decoding.encode_inputs(["a€b"], Vocabulary.build(["ab"]))
    np.testing.assert_array_equal(x[0].argmax(-1), [4, UNK_ID, 5])


@pytest.mark.parametrize("texts, kwargs, error, match", [
    ("abc", {}, TypeError, "texts must be a list of strings"),
    ([], {}, ValueError, "texts is empty"),
    (["ab", 3], {}, TypeError, r"texts\[1\] must be a str"),
    (["abc"], {"length": 2}, ValueError, r"texts\[0\] has 3 tokens, more than length=2"),
    (["abc"], {"length": 0}, ValueError, "length must be a positive int"),
    (["abc"], {"padding": "middle"}, ValueError, "padding must be one of"),
])
def test_encode_inputs_rejects_bad_input(texts, kwargs, error, match):
    with pytest.raises(error, match=match):
        decoding.encode_inputs(texts, SOURCE_VOCAB, **kwargs)
    with pytest.raises(TypeError, match="vocab must be a Vocabulary"):
        decoding.encode_inputs(["a"], ["a"])


def test_greedy_decode_matches_the_one_sequence_loop(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES + ["a€?"], SOURCE_VOCAB, 16)
    batched = decoding.greedy_decode(encoder_model, decoder_model, x, max_length=11,
                                     target_vocab=TARGET_VOCAB)
    one_by_one = [decoding.decode_sequence(encoder_model, decoder_model, x[i:i + 1], max_length=11,
                                           target_vocab=TARGET_VOCAB) for i in range(len(x))]
    assert batched == one_by_one
    assert all(isinstance(s, str) and len(s) <= 11 * len("<start>") for s in batched)


def test_greedy_decode_ids_stop_at_end_and_pad_after(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    ids = decoding.greedy_decode(encoder_model, decoder_model, x, max_length=6)
    assert ids.shape == (4, 6) and ids.dtype == np.int32
    for row in ids:
        ends = np.flatnonzero(row == END_ID)
        if ends.size:
            assert (row[ends[0] + 1:] == PAD_ID).all()
    texts = decoding.greedy_decode(encoder_model, decoder_model, x, max_length=6,
                                   target_vocab=TARGET_VOCAB)
    assert texts == [decoding.ids_to_text(row, TARGET_VOCAB) for row in ids]


def test_greedy_decode_on_a_trained_copy_task():
    """A tiny model that learns to copy two digits decodes them right, and stops."""
    keras.utils.set_random_seed(0)
    vocab = Vocabulary.build(["0123"])
    rng = np.random.default_rng(0)
    texts = ["".join(map(str, rng.integers(0, 4, 2))) for _ in range(256)]
    x = decoding.encode_inputs(texts, vocab)
    from helpers.text import make_triplets

    triplet = make_triplets(texts, texts, vocab, vocab, one_hot_encode=True)
    built = models.build_seq2seq(len(vocab), len(vocab), 16,
                                 optimizer=keras.optimizers.RMSprop(0.02))
    built.model.fit([x, triplet.decoder_input], triplet.decoder_target, epochs=40, batch_size=64,
                    verbose=0)
    encoder_model, decoder_model = models.inference_models(built.model)
    tests = ["01", "23", "32", "10"]
    decoded = decoding.decode_texts(encoder_model, decoder_model, tests, vocab, vocab,
                                    max_length=5)
    assert decoded == tests


def test_decode_texts_handles_unseen_characters(pair):
    encoder_model, decoder_model = pair
    out = decoding.decode_texts(encoder_model, decoder_model, ["☃ 3 mär 2024 ☃"], SOURCE_VOCAB,
                                TARGET_VOCAB, max_length=11, source_length=16)
    assert len(out) == 1 and isinstance(out[0], str)


def test_ids_to_text():
    a, b = TARGET_VOCAB.id("2"), TARGET_VOCAB.id("-")
    assert decoding.ids_to_text([a, b, END_ID, a], TARGET_VOCAB) == "2-"
    assert decoding.ids_to_text(np.array([a, PAD_ID, a]), TARGET_VOCAB) == "2<pad>2"
    assert decoding.ids_to_text([END_ID], TARGET_VOCAB) == ""
    assert decoding.ids_to_text([START_ID, a], TARGET_VOCAB) == "<start>2"
    with pytest.raises(ValueError, match="rank 1"):
        decoding.ids_to_text([[a]], TARGET_VOCAB)
    with pytest.raises(TypeError, match="vocab must be a Vocabulary"):
        decoding.ids_to_text([a], None)


def test_as_function_is_made_once_per_model(pair):
    encoder_model, _ = pair
    assert decoding.as_function(encoder_model) is decoding.as_function(encoder_model)
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    np.testing.assert_allclose(decoding.as_function(encoder_model)(x)[0],
                               encoder_model(x, training=False)[0], rtol=1e-6)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        decoding.as_function(lambda x: x)


def test_greedy_decode_rejects_bad_input(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="rank 3"):
        decoding.greedy_decode(encoder_model, decoder_model, x[0], max_length=5)
    with pytest.raises(ValueError, match="encoder_input is empty"):
        decoding.greedy_decode(encoder_model, decoder_model, x[:0], max_length=5)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        decoding.greedy_decode(encoder_model, decoder_model, x, max_length=0)
    with pytest.raises(TypeError, match="max_length must be an int"):
        decoding.greedy_decode(encoder_model, decoder_model, x, max_length=2.5)
    with pytest.raises(ValueError, match="another vocabulary"):
        decoding.greedy_decode(encoder_model, decoder_model, x[..., :-1], max_length=5)
    with pytest.raises(ValueError, match="target_vocab has 18 ids"):
        decoding.greedy_decode(encoder_model, decoder_model, x, max_length=5,
                               target_vocab=SOURCE_VOCAB)
    with pytest.raises(TypeError, match="target_vocab must be a Vocabulary"):
        decoding.greedy_decode(encoder_model, decoder_model, x, max_length=5, target_vocab="abc")
    with pytest.raises(TypeError, match="encoder_model must be a keras.Model"):
        decoding.greedy_decode(None, decoder_model, x, max_length=5)
    with pytest.raises(ValueError, match="decoder_model must map"):
        decoding.greedy_decode(encoder_model, encoder_model, x, max_length=5)
    with pytest.raises(ValueError, match="encoder_model must return"):
        decoding.greedy_decode(decoder_model, decoder_model, x, max_length=5)


def test_decode_sequence_rejects_bad_input(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="one sequence"):
        decoding.decode_sequence(encoder_model, decoder_model, x, max_length=5,
                                 target_vocab=TARGET_VOCAB)
    with pytest.raises(TypeError, match="target_vocab must be a Vocabulary"):
        decoding.decode_sequence(encoder_model, decoder_model, x[:1], max_length=5,
                                 target_vocab=None)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        decoding.decode_sequence(encoder_model, decoder_model, x[:1], max_length=-1,
                                 target_vocab=TARGET_VOCAB)


def test_decode_texts_rejects_a_vocabulary_mismatch(pair):
    encoder_model, decoder_model = pair
    with pytest.raises(ValueError, match="source_vocab has 10 ids"):
        decoding.decode_texts(encoder_model, decoder_model, ["2024"], TARGET_VOCAB, TARGET_VOCAB,
                              max_length=5)
    with pytest.raises(TypeError, match="source_vocab must be a Vocabulary"):
        decoding.decode_texts(encoder_model, decoder_model, ["2024"], None, TARGET_VOCAB,
                              max_length=5)


# Notebook 06: temperature sampling and beam search.

TINY_VOCAB = Vocabulary.build(["ab"])  # <pad> <start> <end> <unk> a b: 6 ids


@pytest.fixture(scope="module")
def tiny():
    """An untrained, seeded model over 6 target ids: small enough to search exhaustively."""
    keras.utils.set_random_seed(11)
    built = models.build_seq2seq(len(TINY_VOCAB), len(TINY_VOCAB), units=4)
    # Larger weights than the initialiser's make the distributions peaked and varied.
    for layer in (built.decoder_dense, built.decoder_lstm):
        layer.set_weights([3.0 * w for w in layer.get_weights()])
    return models.inference_models(built.model)


def exhaustive_best(encoder_model, decoder_model, x, max_length, alpha):
    """The best-scoring reply by trying every one: every path through the decoder."""
    depth = len(TINY_VOCAB)
    h, c = (np.asarray(s) for s in encoder_model(x, training=False))
    best = (-np.inf, None)

    def walk(token, h, c, ids, total):
        nonlocal best
        probabilities, h, c = decoder_model([np.eye(depth, dtype="float32")[[token]][:, None], h, c],
                                            training=False)
        log_p = np.log(np.asarray(probabilities, dtype="float64")[0, -1])
        for nxt in range(depth):
            seq, score = ids + [nxt], total + log_p[nxt]
            if nxt == END_ID or len(seq) == max_length:
                normalised = score / len(seq) ** alpha
                if normalised > best[0]:
                    best = (normalised, seq)
            else:
                walk(nxt, np.asarray(h), np.asarray(c), seq, score)

    walk(START_ID, h, c, [], 0.0)
    return best


@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0])
def test_beam_search_equals_exhaustive_search_when_the_beam_holds_everything(tiny, alpha):
    encoder_model, decoder_model = tiny
    max_length = 3  # 5 ** 2 = 25 unfinished prefixes at most, so width 25 keeps them all
    x = decoding.encode_inputs(["a", "ab", "bba", "b"], TINY_VOCAB)
    ids, scores = decoding.beam_candidates(encoder_model, decoder_model, x, max_length=max_length,
                                           width=25, alpha=alpha)
    assert ids.shape == (4, 25, 3) and scores.shape == (4, 25)
    for i in range(len(x)):
        score, seq = exhaustive_best(encoder_model, decoder_model, x[i:i + 1], max_length, alpha)
        assert scores[i, 0] == pytest.approx(score, rel=1e-5)
        np.testing.assert_array_equal(ids[i, 0, :len(seq)], seq)
        assert (ids[i, 0, len(seq):] == PAD_ID).all()
        assert np.all(np.diff(scores[i]) <= 1e-12)  # best first
        # A narrow beam can only do as well or worse than the exhaustive search.
        narrow = decoding.beam_candidates(encoder_model, decoder_model, x[i:i + 1],
                                          max_length=max_length, width=2, alpha=alpha)[1]
        assert narrow[0, 0] <= score + 1e-5 * abs(score)


def test_length_normalisation_changes_which_reply_wins(tiny):
    encoder_model, decoder_model = tiny
    x = decoding.encode_inputs(["a", "ab", "bba", "b", "aab", "bab"], TINY_VOCAB)
    raw = decoding.beam_search(encoder_model, decoder_model, x, max_length=6, width=4, alpha=0.0)
    normalised = decoding.beam_search(encoder_model, decoder_model, x, max_length=6, width=4,
                                      alpha=1.0)
    length = lambda ids: [int(np.argmax(row == END_ID)) if (row == END_ID).any() else 6 for row in ids]  # noqa: E731
    assert sum(length(normalised)) >= sum(length(raw))  # alpha=0 favours short replies


def test_beam_of_width_one_is_greedy(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES + ["a€?"], SOURCE_VOCAB, 16)
    greedy = decoding.greedy_decode(encoder_model, decoder_model, x, max_length=8)
    beam = decoding.beam_search(encoder_model, decoder_model, x, max_length=8, width=1, alpha=0.0)
    for g, b in zip(greedy, beam, strict=True):
        if (g == END_ID).any():  # greedy ended: the width-1 beam finds the same reply
            np.testing.assert_array_equal(g, b)
    texts = decoding.beam_search(encoder_model, decoder_model, x, max_length=8,
                                 target_vocab=TARGET_VOCAB)
    assert len(texts) == 5 and all(isinstance(t, str) for t in texts)


def test_beam_search_rejects_bad_input(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="width must be >= 1"):
        decoding.beam_search(encoder_model, decoder_model, x, max_length=5, width=0)
    with pytest.raises(TypeError, match="width must be an int"):
        decoding.beam_search(encoder_model, decoder_model, x, max_length=5, width=2.0)
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        decoding.beam_search(encoder_model, decoder_model, x, max_length=5, alpha=-1)
    with pytest.raises(TypeError, match="alpha must be a number"):
        decoding.beam_search(encoder_model, decoder_model, x, max_length=5, alpha="1")
    with pytest.raises(ValueError, match="rank 3"):
        decoding.beam_search(encoder_model, decoder_model, x[0], max_length=5)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        decoding.beam_candidates(encoder_model, decoder_model, x, max_length=0)
    with pytest.raises(ValueError, match="target_vocab has 18 ids"):
        decoding.beam_search(encoder_model, decoder_model, x, max_length=5,
                             target_vocab=SOURCE_VOCAB)


def test_sampling_is_repeatable_and_follows_the_temperature(tiny):
    encoder_model, decoder_model = tiny
    x = decoding.encode_inputs(["ab"] * 4000, TINY_VOCAB)
    first = decoding.sample_decode(encoder_model, decoder_model, x[:50], max_length=4, seed=1)
    again = decoding.sample_decode(encoder_model, decoder_model, x[:50], max_length=4, seed=1)
    np.testing.assert_array_equal(first, again)
    # The first token's frequencies follow the model's probabilities, sharpened by T < 1.
    h, c = (np.asarray(s) for s in encoder_model(x[:1], training=False))
    start = np.eye(len(TINY_VOCAB), dtype="float32")[[START_ID]][:, None]
    p = np.asarray(decoder_model([start, h, c], training=False)[0], dtype="float64")[0, -1]
    for temperature in (1.0, 0.5):
        q = p ** (1 / temperature)
        q /= q.sum()
        ids = decoding.sample_decode(encoder_model, decoder_model, x, max_length=1,
                                     temperature=temperature, seed=2)
        counts = np.bincount(ids[:, 0], minlength=len(TINY_VOCAB)) / len(x)
        np.testing.assert_allclose(counts, q, atol=0.03)
    # A very low temperature is greedy decoding.
    cold = decoding.sample_decode(encoder_model, decoder_model, x[:20], max_length=5,
                                  temperature=1e-4, seed=3)
    np.testing.assert_array_equal(cold, decoding.greedy_decode(encoder_model, decoder_model,
                                                               x[:20], max_length=5))


def test_sampling_returns_texts_and_pads_after_end(pair):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    ids = decoding.sample_decode(encoder_model, decoder_model, x, max_length=6, seed=0)
    for row in ids:
        ends = np.flatnonzero(row == END_ID)
        if ends.size:
            assert (row[ends[0] + 1:] == PAD_ID).all()
    texts = decoding.sample_decode(encoder_model, decoder_model, x, max_length=6, seed=0,
                                   target_vocab=TARGET_VOCAB)
    assert texts == [decoding.ids_to_text(row, TARGET_VOCAB) for row in ids]
    rng = np.random.default_rng(5)
    assert decoding.sample_decode(encoder_model, decoder_model, x, max_length=3, seed=rng).shape == (4, 3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"temperature": 0}, ValueError, "temperature must be a finite number > 0"),
    ({"temperature": float("inf")}, ValueError, "temperature must be a finite number > 0"),
    ({"temperature": "hot"}, TypeError, "temperature must be a number"),
    ({"seed": -1}, ValueError, "seed must be an int >= 0"),
    ({"seed": 1.5}, ValueError, "seed must be an int >= 0"),
    ({"max_length": 0}, ValueError, "max_length must be >= 1"),
])
def test_sampling_rejects_bad_input(pair, kwargs, error, match):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(error, match=match):
        decoding.sample_decode(encoder_model, decoder_model, x, **{"max_length": 5, **kwargs})
