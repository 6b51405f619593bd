"""helpers.decoding: the step interface, greedy, sampling and beam search, and the seed's loop."""

import keras
import numpy as np
import pytest

from helpers import attention, decoding, models
from helpers.text import END_ID, PAD_ID, START_ID, UNK_ID, Vocabulary

SOURCES = ["3 mar 2024", "2024/3/5", "5.3.24", "march 3, 2024"]
SOURCE_VOCAB = Vocabulary.build(SOURCES)
TARGET_VOCAB = Vocabulary.build(["2024-03-05"])


class Bigram:
    """A step model in plain NumPy: the next token depends on the previous one and the source.

    ``log P(next | previous, source) = log_softmax(table[previous] + bias[source])``; the
    source of each row is one int. With ``attention=True`` the state also carries an
    "attention" row: a one-hot over 3 source positions, at the step number modulo 3.
    """

    def __init__(self, vocab_size=6, sources=4, seed=0, attention=False):
        rng = np.random.default_rng(seed)
        self.vocab_size = vocab_size
        self.table = 3.0 * rng.normal(size=(vocab_size, vocab_size))
        self.bias = 3.0 * rng.normal(size=(sources, vocab_size))
        self.attention = attention

    def start(self, source):
        source = np.asarray(source)
        if source.ndim != 1:
            raise ValueError(f"source must have rank 1, got rank {source.ndim}")
        state = {"source": source, "steps": np.zeros(len(source), dtype="int32")}
        if self.attention:
            state["attention"] = np.zeros((len(source), 3), dtype="float32")
        return state

    def step(self, tokens, state):
        logits = self.table[tokens] + self.bias[state["source"]]
        logits = logits - logits.max(axis=-1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        new = {**state, "steps": state["steps"] + 1}
        if self.attention:
            new["attention"] = np.eye(3, dtype="float32")[state["steps"] % 3]
        return log_p, new


@pytest.fixture(scope="module")
def pair():
    """Untrained but fixed inference models: decoding must not care whether they are good."""
    keras.utils.set_random_seed(3)
    built = models.build_seq2seq(len(SOURCE_VOCAB), len(TARGET_VOCAB), units=8)
    return models.inference_models(built.model)


@pytest.fixture(scope="module")
def seq2seq(pair):
    return decoding.OneHotSeq2Seq(*pair)


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


# The step interface and its adapter for the seed's one-hot models.

def test_one_hot_seq2seq_is_a_step_model(pair, seq2seq):
    encoder_model, decoder_model = pair
    assert seq2seq.vocab_size == len(TARGET_VOCAB) and seq2seq.source_vocab_size == len(SOURCE_VOCAB)
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    state = seq2seq.start(x)
    assert sorted(state) == ["c", "h"] and np.shape(state["h"]) == (4, 8)
    tokens = np.array([START_ID, PAD_ID, 5, END_ID], dtype="int32")
    log_p, new_state = seq2seq.step(tokens, state)
    # The same as the raw decoder on the seed's one-hot tokens (a 1 at the id, <pad> included).
    probabilities, h, _ = decoder_model([np.eye(len(TARGET_VOCAB), dtype="float32")[tokens][:, None],
                                         np.asarray(state["h"]), np.asarray(state["c"])],
                                        training=False)
    assert log_p.shape == (4, len(TARGET_VOCAB)) and log_p.dtype == np.float64
    np.testing.assert_allclose(np.exp(log_p), np.asarray(probabilities)[:, -1], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(np.asarray(new_state["h"]), np.asarray(h), rtol=1e-5, atol=1e-7)


def test_log_probs_clips_at_1e_30():
    out = decoding.log_probs(np.array([[1.0, 0.5, 0.0]], dtype="float32"))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [[0.0, np.log(0.5), np.log(1e-30)]])


def test_reorder_gathers_every_array_along_the_batch_axis():
    state = {"h": np.arange(6).reshape(3, 2), "mask": np.array([True, False, True])}
    out = decoding.reorder(state, np.repeat(np.arange(3), 2))
    np.testing.assert_array_equal(out["h"], [[0, 1], [0, 1], [2, 3], [2, 3], [4, 5], [4, 5]])
    np.testing.assert_array_equal(out["mask"], [True, True, False, False, True, True])
    assert state["h"].shape == (3, 2)  # a new state; the old one is left as it was
    tensor = decoding.reorder({"x": keras.ops.convert_to_tensor(np.eye(3))}, [2, 0])["x"]
    assert not isinstance(tensor, np.ndarray)  # a tensor stays a tensor
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(tensor), np.eye(3)[[2, 0]])
    with pytest.raises(TypeError, match="state must be a dict"):
        decoding.reorder([np.eye(2)], [0])
    with pytest.raises(ValueError, match="index must be a rank-1 array"):
        decoding.reorder(state, [[0]])
    with pytest.raises(ValueError, match="index must be a rank-1 array"):
        decoding.reorder(state, [0.5])


def test_decoding_works_without_keras():
    """The decoding functions need nothing but start, step and vocab_size."""
    model = Bigram()
    source = np.array([0, 1, 2, 3])
    ids = decoding.greedy_decode(model, source, max_length=6)
    # Greedy by hand: follow the arg-max of the table row plus the source's bias.
    for row, s in zip(ids, source, strict=True):
        token, expected = START_ID, []
        for _ in range(6):
            token = int(np.argmax(model.table[token] + model.bias[s]))
            expected.append(token)
            if token == END_ID:
                break
        np.testing.assert_array_equal(row[:len(expected)], expected)
        assert (row[len(expected):] == PAD_ID).all()
    assert decoding.sample_decode(model, source, max_length=6, seed=0).shape == (4, 6)
    assert decoding.beam_search(model, source, max_length=6, width=2).shape == (4, 6)


def test_greedy_decode_returns_the_attention_rows():
    ids, weights = decoding.greedy_decode(Bigram(attention=True), np.arange(4), max_length=5,
                                          return_attention=True)
    assert ids.shape == (4, 5) and weights.shape == (4, 5, 3) and weights.dtype == np.float32
    # Bigram's step t attends to source position t % 3, in every row, until all rows end.
    ended = [np.flatnonzero(row == END_ID) for row in ids]
    steps = 5 if any(e.size == 0 for e in ended) else max(e[0] for e in ended) + 1
    np.testing.assert_array_equal(weights[:, :steps].argmax(-1), np.tile(np.arange(steps) % 3, (4, 1)))
    assert not weights[:, steps:].any()
    texts, _ = decoding.greedy_decode(Bigram(attention=True), np.arange(4), max_length=5,
                                      target_vocab=Vocabulary.build(["ab"]), return_attention=True)
    assert len(texts) == 4 and all(isinstance(t, str) for t in texts)
    with pytest.raises(ValueError, match="Bigram has no attention"):
        decoding.greedy_decode(Bigram(), np.arange(4), max_length=5, return_attention=True)


def test_the_one_hot_model_has_no_attention(seq2seq):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="OneHotSeq2Seq has no attention"):
        decoding.greedy_decode(seq2seq, x, max_length=5, return_attention=True)


class Broken(Bigram):
    """A Bigram that breaks one part of the contract."""

    def __init__(self, fault):
        super().__init__()
        self.fault = fault

    def start(self, source):
        state = super().start(source)
        if self.fault == "start returns a list":
            return list(state.values())
        if self.fault == "start returns ragged rows":
            return {**state, "extra": np.zeros(len(source) + 1)}
        return state

    def step(self, tokens, state):
        log_p, state = super().step(tokens, state)
        if self.fault == "wrong shape":
            return log_p[:, :-1], state
        if self.fault == "probabilities":
            return np.exp(log_p), state
        if self.fault == "new key":
            return log_p, {**state, "new": state["steps"]}
        if self.fault == "lost rows":
            return log_p, {key: value[:1] for key, value in state.items()}
        return log_p, state


@pytest.mark.parametrize("fault, error, match", [
    ("wrong shape", ValueError, r"Broken.step broke the StepModel contract: .* shape \((\d+), 5\), "
                                r"expected \(batch, vocab_size\) = \(\1, 6\)"),
    ("probabilities", ValueError, "Broken.step broke .* not probabilities or logits"),
    ("new key", ValueError, "Broken.step broke .* keys"),
    ("lost rows", ValueError, r"Broken.step broke .* batch axis of \d+ first"),
    ("start returns a list", TypeError, "Broken.start broke .* non-empty dict"),
    ("start returns ragged rows", ValueError, "Broken.start broke .* batch axis"),
])
@pytest.mark.parametrize("decode", [decoding.greedy_decode, decoding.sample_decode,
                                    decoding.beam_search])
def test_a_model_that_breaks_the_contract_is_named(fault, error, match, decode):
    with pytest.raises(error, match=match):
        decode(Broken(fault), np.arange(4), max_length=4)


class NoStep:
    vocab_size = 6

    def start(self, source):
        return {"x": np.asarray(source)}


@pytest.mark.parametrize("model, error, match", [
    (None, TypeError, "model must be a StepModel .* NoneType has no vocab_size, start, step"),
    (NoStep(), TypeError, "NoStep has no step"),
    ((1, 2), TypeError, "model must be a StepModel"),
])
def test_a_model_that_is_not_a_step_model_is_rejected(model, error, match):
    for decode in (decoding.greedy_decode, decoding.sample_decode, decoding.beam_candidates):
        with pytest.raises(error, match=match):
            decode(model, np.arange(4), max_length=4)


def test_keras_models_get_a_hint_and_bad_vocab_sizes_are_named(pair):
    with pytest.raises(TypeError, match=r"OneHotSeq2Seq\(encoder_model, decoder_model\)"):
        decoding.greedy_decode(pair[0], np.zeros((1, 2, 18)), max_length=4)
    model = Bigram()
    model.vocab_size = 2.0
    with pytest.raises(TypeError, match="model.vocab_size must be an int"):
        decoding.greedy_decode(model, np.arange(4), max_length=4)
    model.start = "not a method"
    with pytest.raises(TypeError, match="model.start must be a method"):
        decoding.greedy_decode(model, np.arange(4), max_length=4)


# Notebook 06: greedy decoding of a batch, against the seed's one-sequence loop.

def test_greedy_decode_matches_the_one_sequence_loop(pair, seq2seq):
    encoder_model, decoder_model = pair
    x = decoding.encode_inputs(SOURCES + ["a€?"], SOURCE_VOCAB, 16)
    batched = decoding.greedy_decode(seq2seq, x, max_length=11, target_vocab=TARGET_VOCAB)
    one_by_one = [decoding.decode_sequence(encoder_model, decoder_model, x[i:i + 1], max_length=11,
                                           target_vocab=TARGET_VOCAB) for i in range(len(x))]
    assert batched == one_by_one
    assert all(isinstance(s, str) and len(s) <= 11 * len("<start>") for s in batched)


def test_greedy_decode_ids_stop_at_end_and_pad_after(seq2seq):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    ids = decoding.greedy_decode(seq2seq, x, max_length=6)
    assert ids.shape == (4, 6) and ids.dtype == np.int32
    for row in ids:
        ends = np.flatnonzero(row == END_ID)
        if ends.size:
            assert (row[ends[0] + 1:] == PAD_ID).all()
    texts = decoding.greedy_decode(seq2seq, x, max_length=6, target_vocab=TARGET_VOCAB)
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
    model = decoding.OneHotSeq2Seq(*models.inference_models(built.model))
    tests = ["01", "23", "32", "10"]
    assert decoding.decode_texts(model, tests, vocab, vocab, max_length=5) == tests


def test_decode_texts_handles_unseen_characters(seq2seq):
    out = decoding.decode_texts(seq2seq, ["☃ 3 mär 2024 ☃"], SOURCE_VOCAB, TARGET_VOCAB,
                                max_length=11, source_length=16)
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


def test_greedy_decode_rejects_bad_input(seq2seq):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="source must have rank 3"):
        decoding.greedy_decode(seq2seq, x[0], max_length=5)
    with pytest.raises(ValueError, match="source is empty"):
        decoding.greedy_decode(seq2seq, x[:0], max_length=5)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        decoding.greedy_decode(seq2seq, x, max_length=0)
    with pytest.raises(TypeError, match="max_length must be an int"):
        decoding.greedy_decode(seq2seq, x, max_length=2.5)
    with pytest.raises(ValueError, match="another vocabulary"):
        decoding.greedy_decode(seq2seq, x[..., :-1], max_length=5)
    with pytest.raises(ValueError, match="target_vocab has 18 ids but the model predicts 10"):
        decoding.greedy_decode(seq2seq, x, max_length=5, target_vocab=SOURCE_VOCAB)
    with pytest.raises(TypeError, match="target_vocab must be a Vocabulary"):
        decoding.greedy_decode(seq2seq, x, max_length=5, target_vocab="abc")


def test_one_hot_seq2seq_checks_its_models(pair):
    encoder_model, decoder_model = pair
    with pytest.raises(TypeError, match="encoder_model must be a keras.Model"):
        decoding.OneHotSeq2Seq(None, decoder_model)
    with pytest.raises(ValueError, match="decoder_model must map"):
        decoding.OneHotSeq2Seq(encoder_model, encoder_model)
    with pytest.raises(ValueError, match="encoder_model must return"):
        decoding.OneHotSeq2Seq(decoder_model, decoder_model)


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
    with pytest.raises(ValueError, match="encoder_input must have rank 3"):
        decoding.decode_sequence(encoder_model, decoder_model, x[0], max_length=5,
                                 target_vocab=TARGET_VOCAB)


def test_decode_texts_rejects_a_vocabulary_mismatch(seq2seq):
    with pytest.raises(ValueError, match="source_vocab has 10 ids"):
        decoding.decode_texts(seq2seq, ["2024"], TARGET_VOCAB, TARGET_VOCAB, max_length=5)
    with pytest.raises(TypeError, match="source_vocab must be a Vocabulary"):
        decoding.decode_texts(seq2seq, ["2024"], None, TARGET_VOCAB, max_length=5)
    with pytest.raises(TypeError, match="model must be a OneHotSeq2Seq"):
        decoding.decode_texts(Bigram(), ["2024"], SOURCE_VOCAB, TARGET_VOCAB, max_length=5)


# Notebook 07: temperature sampling and beam search.

TINY_VOCAB = Vocabulary.build(["ab"])  # <pad> <start> <end> <unk> a b: 6 ids
TINY_TEXTS = ["a", "ab", "bba", "b"]


@pytest.fixture(scope="module")
def tiny():
    """An untrained, seeded one-hot model over 6 target ids: small enough to search exhaustively."""
    keras.utils.set_random_seed(11)
    built = models.build_seq2seq(len(TINY_VOCAB), len(TINY_VOCAB), units=4)
    # Larger weights than the initialiser's make the distributions peaked and varied.
    for layer in (built.decoder_dense, built.decoder_lstm):
        layer.set_weights([3.0 * w for w in layer.get_weights()])
    return decoding.OneHotSeq2Seq(*models.inference_models(built.model))


@pytest.fixture(scope="module")
def tiny_attention():
    """The same for notebook 09's model on ids, with additive attention."""
    keras.utils.set_random_seed(11)
    built = attention.build_seq2seq(len(TINY_VOCAB), len(TINY_VOCAB), 4, embedding_dim=4,
                                    attention="additive")
    for name in ("decoder_dense", "decoder_lstm"):
        layer = built.model.get_layer(name)
        layer.set_weights([3.0 * w for w in layer.get_weights()])
    return built


def tiny_models(tiny, tiny_attention):
    """The three kinds of step model, each with the sources for TINY_TEXTS."""
    ids = keras.utils.pad_sequences([TINY_VOCAB.encode(t) for t in TINY_TEXTS], padding="post")
    return {"bigram": (Bigram(), np.arange(4)),
            "one-hot": (tiny, decoding.encode_inputs(TINY_TEXTS, TINY_VOCAB)),
            "attention": (tiny_attention, ids)}


MODELS = ["bigram", "one-hot", "attention"]


def exhaustive_best(model, source, max_length, alpha):
    """The best-scoring reply by trying every one: every path through ``model.step``."""
    best = (-np.inf, None)

    def walk(token, state, ids, total):
        nonlocal best
        log_p, state = model.step(np.array([token], dtype="int32"), state)
        log_p = np.asarray(log_p, dtype="float64")[0]
        for nxt in range(model.vocab_size):
            seq, score = ids + [nxt], total + log_p[nxt]
            if nxt == END_ID or len(seq) == max_length:
                normalised = score / len(seq) ** alpha
                if normalised > best[0]:
                    best = (normalised, seq)
            else:
                walk(nxt, state, seq, score)

    walk(START_ID, model.start(source), [], 0.0)
    return best


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0])
def test_beam_search_equals_exhaustive_search_when_the_beam_holds_everything(
        tiny, tiny_attention, kind, alpha):
    model, source = tiny_models(tiny, tiny_attention)[kind]
    max_length = 3  # 5 ** 2 = 25 unfinished prefixes at most, so width 25 keeps them all
    ids, scores = decoding.beam_candidates(model, source, max_length=max_length, width=25,
                                           alpha=alpha)
    assert ids.shape == (4, 25, 3) and scores.shape == (4, 25)
    for i in range(len(source)):
        score, seq = exhaustive_best(model, source[i:i + 1], max_length, alpha)
        assert scores[i, 0] == pytest.approx(score, rel=1e-5)
        np.testing.assert_array_equal(ids[i, 0, :len(seq)], seq)
        assert (ids[i, 0, len(seq):] == PAD_ID).all()
        assert np.all(np.diff(scores[i]) <= 1e-12)  # best first
        # A narrow beam can only do as well or worse than the exhaustive search.
        narrow = decoding.beam_candidates(model, source[i:i + 1], max_length=max_length, width=2,
                                          alpha=alpha)[1]
        assert narrow[0, 0] <= score + 1e-5 * abs(score)


def test_length_normalisation_changes_which_reply_wins(tiny):
    x = decoding.encode_inputs(["a", "ab", "bba", "b", "aab", "bab"], TINY_VOCAB)
    raw = decoding.beam_search(tiny, x, max_length=6, width=4, alpha=0.0)
    normalised = decoding.beam_search(tiny, x, max_length=6, width=4, alpha=1.0)
    length = lambda ids: [int(np.argmax(row == END_ID)) if (row == END_ID).any() else 6 for row in ids]  # noqa: E731
    assert sum(length(normalised)) >= sum(length(raw))  # alpha=0 favours short replies


def score(model, source, ids):
    """log P(ids | source) under ``model``, up to and including the first <end>."""
    state, total, token = model.start(source[None]), 0.0, START_ID
    for nxt in ids:
        log_p, state = model.step(np.array([token], dtype="int32"), state)
        total, token = total + float(np.asarray(log_p)[0, nxt]), nxt
        if nxt == END_ID:
            break
    return total


@pytest.mark.parametrize("kind", MODELS)
def test_beam_of_width_one_follows_the_greedy_path(tiny, tiny_attention, kind):
    """Width 1, alpha 0: the best of the greedy path's prefixes + <end>; greedy's reply if that is best."""
    model, source = tiny_models(tiny, tiny_attention)[kind]
    greedy = decoding.greedy_decode(model, source, max_length=8)
    beam = decoding.beam_search(model, source, max_length=8, width=1, alpha=0.0)
    for x, g, b in zip(source, greedy, beam, strict=True):
        n = int(np.argmax(b == END_ID)) if (b == END_ID).any() else 8
        np.testing.assert_array_equal(b[:n], g[:n])  # a prefix of the greedy reply
        if (g == END_ID).any():
            assert score(model, x, b) >= score(model, x, g) - 1e-9
            if not np.array_equal(g, b):
                assert n < int(np.argmax(g == END_ID))  # a shorter reply that scores better
    texts = decoding.beam_search(model, source, max_length=8, target_vocab=TINY_VOCAB)
    assert len(texts) == 4 and all(isinstance(t, str) for t in texts)


def test_beam_search_rejects_bad_input(seq2seq):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(ValueError, match="width must be >= 1"):
        decoding.beam_search(seq2seq, x, max_length=5, width=0)
    with pytest.raises(TypeError, match="width must be an int"):
        decoding.beam_search(seq2seq, x, max_length=5, width=2.0)
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        decoding.beam_search(seq2seq, x, max_length=5, alpha=-1)
    with pytest.raises(TypeError, match="alpha must be a number"):
        decoding.beam_search(seq2seq, x, max_length=5, alpha="1")
    with pytest.raises(ValueError, match="rank 3"):
        decoding.beam_search(seq2seq, x[0], max_length=5)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        decoding.beam_candidates(seq2seq, x, max_length=0)
    with pytest.raises(ValueError, match="target_vocab has 18 ids"):
        decoding.beam_search(seq2seq, x, max_length=5, target_vocab=SOURCE_VOCAB)


@pytest.mark.parametrize("kind", MODELS)
def test_sampling_is_repeatable_and_follows_the_temperature(tiny, tiny_attention, kind):
    model, source = tiny_models(tiny, tiny_attention)[kind]
    many = np.repeat(source[1:2], 4000, axis=0)
    first = decoding.sample_decode(model, many[:50], max_length=4, seed=1)
    again = decoding.sample_decode(model, many[:50], max_length=4, seed=1)
    np.testing.assert_array_equal(first, again)
    # The first token's frequencies follow the model's probabilities, sharpened by T < 1.
    log_p, _ = model.step(np.array([START_ID], dtype="int32"), model.start(many[:1]))
    p = np.exp(np.asarray(log_p, dtype="float64")[0])
    for temperature in (1.0, 0.5):
        q = p ** (1 / temperature)
        q /= q.sum()
        ids = decoding.sample_decode(model, many, max_length=1, temperature=temperature, seed=2)
        counts = np.bincount(ids[:, 0], minlength=len(TINY_VOCAB)) / len(many)
        np.testing.assert_allclose(counts, q, atol=0.03)
    # A very low temperature is greedy decoding.
    cold = decoding.sample_decode(model, many[:20], max_length=5, temperature=1e-4, seed=3)
    np.testing.assert_array_equal(cold, decoding.greedy_decode(model, many[:20], max_length=5))


def test_sampling_returns_texts_and_pads_after_end(seq2seq):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    ids = decoding.sample_decode(seq2seq, x, max_length=6, seed=0)
    for row in ids:
        ends = np.flatnonzero(row == END_ID)
        if ends.size:
            assert (row[ends[0] + 1:] == PAD_ID).all()
    texts = decoding.sample_decode(seq2seq, x, max_length=6, seed=0, target_vocab=TARGET_VOCAB)
    assert texts == [decoding.ids_to_text(row, TARGET_VOCAB) for row in ids]
    rng = np.random.default_rng(5)
    assert decoding.sample_decode(seq2seq, x, max_length=3, seed=rng).shape == (4, 3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"temperature": 0}, ValueError, "temperature must be a finite number > 0"),
    ({"temperature": float("inf")}, ValueError, "temperature must be a finite number > 0"),
    ({"temperature": "hot"}, TypeError, "temperature must be a number"),
    ({"seed": -1}, ValueError, "seed must be an int >= 0"),
    ({"seed": 1.5}, ValueError, "seed must be an int >= 0"),
    ({"max_length": 0}, ValueError, "max_length must be >= 1"),
])
def test_sampling_rejects_bad_input(seq2seq, kwargs, error, match):
    x = decoding.encode_inputs(SOURCES, SOURCE_VOCAB)
    with pytest.raises(error, match=match):
        decoding.sample_decode(seq2seq, x, **{"max_length": 5, **kwargs})


def test_top_equals_a_stable_full_sort_with_ties_and_infinities():
    from helpers.decoding import _top

    rng = np.random.default_rng(0)
    for _ in range(200):
        rows, n = rng.integers(1, 5), rng.integers(1, 30)
        scores = rng.integers(-3, 3, (rows, n)).astype("float64")  # many ties
        scores[rng.random((rows, n)) < 0.2] = -np.inf
        for k in range(1, n + 2):
            expected = np.argsort(-scores, axis=-1, kind="stable")[:, :k]
            np.testing.assert_array_equal(_top(scores, k), expected)
