"""helpers.transformer: positions, multi-head attention and its cache, the blocks, the step model."""

import math

import keras
import numpy as np
import pytest

from helpers import decoding, transformer
from helpers.text import END_ID, PAD_ID, START_ID

B, TQ, TV, D, HEADS, KEY_DIM = 4, 7, 9, 16, 2, 8  # a different size on every axis
SOURCE_VOCAB, TARGET_VOCAB = 9, 7


@pytest.fixture(scope="module")
def tensors():
    rng = np.random.default_rng(0)
    query = rng.normal(size=(B, TQ, D)).astype("float32")
    value = rng.normal(size=(B, TV, D)).astype("float32")
    keys = np.ones((B, TV), dtype=bool)
    keys[1, 6:] = keys[3, 2:] = False  # padded keys in two rows
    mask = np.repeat(keys[:, None], TQ, axis=1)  # (batch, Tq, Tv)
    return query, value, mask


# positional_encoding

def test_positional_encoding_shape_dtype_and_values():
    table = transformer.positional_encoding(5, 6)
    assert table.shape == (5, 6) and table.dtype == np.float32
    np.testing.assert_array_equal(table[0], [0, 1, 0, 1, 0, 1])  # sin 0, cos 0
    np.testing.assert_allclose(table[:, 0], np.sin(np.arange(5)), atol=1e-6)
    np.testing.assert_allclose(table[:, 1], np.cos(np.arange(5)), atol=1e-6)
    angle = 3 / 10000 ** (2 / 6)  # position 3, pair i = 1
    np.testing.assert_allclose(table[3, 2:4], [np.sin(angle), np.cos(angle)], atol=1e-6)
    np.testing.assert_allclose(table[:, 0::2] ** 2 + table[:, 1::2] ** 2, 1.0, atol=1e-6)
    assert transformer.positional_encoding(1, 2).shape == (1, 2)


@pytest.mark.parametrize("length, depth, error, match", [
    (5, 7, ValueError, "depth must be even"),
    (5, 0, ValueError, "depth must be >= 2"),
    (0, 4, ValueError, "length must be >= 1"),
    (True, 4, TypeError, "length must be an int"),
    (5, 4.0, TypeError, "depth must be an int"),
    (5.0, 4, TypeError, "length must be an int"),
])
def test_positional_encoding_rejects_bad_input(length, depth, error, match):
    with pytest.raises(error, match=match):
        transformer.positional_encoding(length, depth)


# MultiHeadAttention

def test_multi_head_attention_shapes_sums_and_masks(tensors):
    query, value, mask = tensors
    keras.utils.set_random_seed(0)
    mha = transformer.MultiHeadAttention(HEADS, KEY_DIM)
    output, weights = mha(query, value, attention_mask=mask)
    output, weights = np.asarray(output), np.asarray(weights)
    assert output.shape == (B, TQ, D) and weights.shape == (B, HEADS, TQ, TV)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
    assert np.all(weights[1, :, :, 6:] < 1e-12) and np.all(weights[3, :, :, 2:] < 1e-12)
    assert np.all(weights[0] > 0)
    narrow, _ = transformer.MultiHeadAttention(HEADS, KEY_DIM, output_dim=5)(query, value)
    assert narrow.shape == (B, TQ, 5)
    self_out, self_weights = mha(query)  # value defaults to the query
    assert self_out.shape == (B, TQ, D) and self_weights.shape == (B, HEADS, TQ, TQ)


def test_copy_keras_mha_gives_keras_results(tensors):
    query, value, mask = tensors
    keras.utils.set_random_seed(1)
    theirs = keras.layers.MultiHeadAttention(HEADS, KEY_DIM)
    expected, expected_weights = theirs(query, value, attention_mask=mask, return_attention_scores=True)
    ours = transformer.MultiHeadAttention(HEADS, KEY_DIM)
    ours(query, value)
    transformer.copy_keras_mha(theirs, ours)
    output, weights = ours(query, value, attention_mask=mask)
    np.testing.assert_allclose(np.asarray(output), np.asarray(expected), atol=1e-5)
    np.testing.assert_allclose(np.asarray(weights), np.asarray(expected_weights), atol=1e-5)


def test_copy_keras_mha_rejects_bad_input(tensors):
    query, value, _ = tensors
    theirs = keras.layers.MultiHeadAttention(HEADS, KEY_DIM)
    ours = transformer.MultiHeadAttention(HEADS, KEY_DIM)
    with pytest.raises(TypeError, match="keras_mha must be a built"):
        transformer.copy_keras_mha(theirs, ours)
    theirs(query, value)
    with pytest.raises(TypeError, match="mha must be a built"):
        transformer.copy_keras_mha(theirs, ours)
    ours(query, value)
    with pytest.raises(TypeError, match="keras_mha must be a built"):
        transformer.copy_keras_mha(ours, ours)
    with pytest.raises(TypeError, match="mha must be a built"):
        transformer.copy_keras_mha(theirs, theirs)
    other = keras.layers.MultiHeadAttention(4, 4)
    other(query, value)
    with pytest.raises(ValueError, match="mha has 2 heads of 8, keras_mha 4 of 4"):
        transformer.copy_keras_mha(other, ours)


def test_the_cache_appends_and_gives_the_uncached_result(tensors):
    query, _, _ = tensors
    keras.utils.set_random_seed(2)
    mha = transformer.MultiHeadAttention(HEADS, KEY_DIM)
    full, _ = mha(query, attention_mask=np.asarray(transformer.causal_mask(TQ))[None])
    keys, values = mha.project_memory(query[:, :-1])
    assert keys.shape == values.shape == (B, TQ - 1, HEADS * KEY_DIM)
    output, weights, (new_keys, new_values) = mha(query[:, -1:], cache=(keys, values))
    assert output.shape == (B, 1, D) and weights.shape == (B, HEADS, 1, TQ)
    assert new_keys.shape == new_values.shape == (B, TQ, HEADS * KEY_DIM)
    all_keys, all_values = mha.project_memory(query)
    np.testing.assert_allclose(np.asarray(new_keys), np.asarray(all_keys), atol=1e-6)
    np.testing.assert_allclose(np.asarray(new_values), np.asarray(all_values), atol=1e-6)
    np.testing.assert_allclose(np.asarray(output)[:, 0], np.asarray(full)[:, -1], atol=1e-5)
    uncached, _ = mha(query[:, -1:], query)  # the last query over every key, no cache
    np.testing.assert_allclose(np.asarray(output), np.asarray(uncached), atol=1e-5)
    # An empty cache (the first decoding step): one key, weight 1.
    empty = np.zeros((B, 0, HEADS * KEY_DIM), "float32")
    _, first, cache = mha(query[:, :1], cache=(empty, empty))
    np.testing.assert_allclose(np.asarray(first), 1.0)
    assert cache[0].shape == (B, 1, HEADS * KEY_DIM)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"num_heads": 0, "key_dim": 8}, ValueError, "num_heads must be >= 1"),
    ({"num_heads": "2", "key_dim": 8}, TypeError, "num_heads must be an int"),
    ({"num_heads": 2, "key_dim": 0}, ValueError, "key_dim must be >= 1"),
    ({"num_heads": 2, "key_dim": 8.0}, TypeError, "key_dim must be an int"),
    ({"num_heads": 2, "key_dim": 8, "output_dim": 0}, ValueError, "output_dim must be >= 1"),
    ({"num_heads": 2, "key_dim": 8, "output_dim": True}, TypeError, "output_dim must be an int"),
])
def test_multi_head_attention_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        transformer.MultiHeadAttention(**kwargs)


def test_causal_mask_is_lower_triangular():
    mask = np.asarray(transformer.causal_mask(4))
    assert mask.dtype == bool
    np.testing.assert_array_equal(mask, np.tril(np.ones((4, 4), bool)))


# PositionEmbedding

@pytest.mark.parametrize("position", transformer.POSITIONS)
def test_position_embedding_shapes_and_offset(position):
    keras.utils.set_random_seed(3)
    layer = transformer.PositionEmbedding(SOURCE_VOCAB, 6, 12, position)
    ids = np.array([[4, 5, 6, 7, 8, 0, 0], [8, 7, 0, 0, 0, 0, 0]], "int32")
    full = np.asarray(layer(ids))
    assert full.shape == (2, 7, 6)
    np.testing.assert_allclose(np.asarray(layer(ids[:, 3:], offset=3)), full[:, 3:], atol=1e-6)
    assert not np.allclose(np.asarray(layer(ids[:, 3:])), full[:, 3:])  # offset 0 differs
    tokens = np.asarray(layer.tokens(ids)) * (math.sqrt(6) if position == "sinusoidal" else 1.0)
    if position == "sinusoidal":
        np.testing.assert_allclose(full - tokens, np.broadcast_to(transformer.positional_encoding(7, 6),
                                                                  full.shape), atol=1e-5)
        assert not layer.trainable_weights[1:]  # only the token embedding is trained
    else:
        np.testing.assert_allclose(full - tokens, np.broadcast_to(np.asarray(layer.positions(np.arange(7))),
                                                                  full.shape), atol=1e-6)
        assert len(layer.trainable_weights) == 2
    assert layer.compute_mask(ids) is None
    # Positions past max_length reuse the last one instead of failing.
    assert np.isfinite(np.asarray(layer(ids[:, :2], offset=20))).all()


@pytest.mark.parametrize("args, error, match", [
    ((9, 6, 12, "rotary"), ValueError, "position must be one of"),
    ((1, 6, 12), ValueError, "vocab_size must be >= 2"),
    ((9, 6.0, 12), TypeError, "d_model must be an int"),
    ((9, 6, 0), ValueError, "max_length must be >= 1"),
    ((9, 5, 12), ValueError, "d_model must be even"),
])
def test_position_embedding_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        transformer.PositionEmbedding(*args)


# EncoderBlock and DecoderBlock

@pytest.fixture(scope="module")
def blocks():
    keras.utils.set_random_seed(4)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 5, 8)).astype("float32")
    memory = rng.normal(size=(2, 6, 8)).astype("float32")
    source_mask = np.ones((2, 6), bool)
    source_mask[0, 4:] = False
    encoder = transformer.EncoderBlock(8, 2, 16, dropout=0.1)
    decoder = transformer.DecoderBlock(8, 2, 16, dropout=0.1)
    encoder(memory, source_mask)
    decoder(x, memory, source_mask)
    return encoder, decoder, x, memory, source_mask


def test_encoder_block_ignores_padded_positions(blocks):
    encoder, _, _, memory, source_mask = blocks
    out, weights = encoder(memory, source_mask)
    out, weights = np.asarray(out), np.asarray(weights)
    assert out.shape == (2, 6, 8) and weights.shape == (2, 2, 6, 6)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
    assert np.all(weights[0, :, :, 4:] < 1e-12)
    changed = memory.copy()
    changed[0, 4:] += 5.0  # the padded keys of row 0
    again = np.asarray(encoder(changed, source_mask)[0])
    np.testing.assert_allclose(again[0, :4], out[0, :4], atol=1e-5)
    np.testing.assert_allclose(again[1], out[1], atol=1e-6)
    assert not np.allclose(again[0, 4:], out[0, 4:])  # the padded positions themselves change


def test_decoder_block_is_causal_and_ignores_padded_memory(blocks):
    _, decoder, x, memory, source_mask = blocks
    out, weights = decoder(x, memory, source_mask)
    out, weights = np.asarray(out), np.asarray(weights)
    assert out.shape == (2, 5, 8) and weights.shape == (2, 2, 5, 6)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
    assert np.all(weights[0, :, :, 4:] < 1e-12)
    prefix = np.asarray(decoder(x[:, :3], memory, source_mask)[0])
    np.testing.assert_allclose(prefix, out[:, :3], atol=1e-5)
    later = x.copy()
    later[:, 3:] += 5.0  # later target positions do not change earlier outputs
    np.testing.assert_allclose(np.asarray(decoder(later, memory, source_mask)[0])[:, :3], out[:, :3],
                               atol=1e-5)
    changed = memory.copy()
    changed[0, 4:] += 5.0
    np.testing.assert_allclose(np.asarray(decoder(x, changed, source_mask)[0]), out, atol=1e-5)


def test_dropout_acts_only_in_training(blocks):
    encoder, _, _, memory, source_mask = blocks
    eval_out = np.asarray(encoder(memory, source_mask)[0])
    np.testing.assert_array_equal(np.asarray(encoder(memory, source_mask, training=False)[0]), eval_out)
    assert not np.allclose(np.asarray(encoder(memory, source_mask, training=True)[0]), eval_out)


@pytest.mark.parametrize("block", [transformer.EncoderBlock, transformer.DecoderBlock])
@pytest.mark.parametrize("args, kwargs, error, match", [
    ((8, 3, 16), {}, ValueError, r"d_model \(8\) must be a multiple of num_heads \(3\)"),
    ((8, 0, 16), {}, ValueError, "num_heads must be >= 1"),
    ((0, 2, 16), {}, ValueError, "d_model must be >= 1"),
    ((8, 2, 16.0), {}, TypeError, "ff_dim must be an int"),
    ((8, 2, 16), {"dropout": 1.0}, ValueError, "dropout must be a number in"),
    ((8, 2, 16), {"dropout": -0.1}, ValueError, "dropout must be a number in"),
    ((8, 2, 16), {"dropout": True}, ValueError, "dropout must be a number in"),
    ((8, 2, 16), {"dropout": "0.1"}, ValueError, "dropout must be a number in"),
])
def test_blocks_reject_bad_arguments(block, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        block(*args, **kwargs)


def test_block_configs_round_trip(blocks):
    encoder, decoder, *_ = blocks
    for layer in (encoder, decoder, encoder.attention):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    assert decoder.get_config()["dropout"] == 0.1


# build_transformer and TransformerSeq2Seq

SOURCE = np.array([[4, 5, 6, 7, 8], [5, 4, 0, 0, 0], [8, 8, 6, 0, 0]], "int32")


@pytest.fixture(scope="module")
def seq2seq():
    keras.utils.set_random_seed(5)
    return transformer.build_transformer(SOURCE_VOCAB, TARGET_VOCAB, d_model=8, num_heads=2, ff_dim=16,
                                         num_layers=2, max_length=16)


@pytest.fixture(scope="module")
def uncached(seq2seq):
    return seq2seq.with_cache(False)


def test_the_model_shapes_and_state(seq2seq, uncached):
    assert seq2seq.vocab_size == TARGET_VOCAB and seq2seq.cache and not uncached.cache
    dec = np.array([[START_ID, 4, 5], [START_ID, 6, 0], [START_ID, 3, 4]], "int32")
    probs = np.asarray(seq2seq.model([SOURCE, dec]))
    assert probs.shape == (3, 3, TARGET_VOCAB)
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)
    state = seq2seq.start(SOURCE)
    assert sorted(state) == ["attention", "cross_k0", "cross_k1", "cross_v0", "cross_v1", "heads", "mask",
                             "self_k0", "self_k1", "self_v0", "self_v1"]
    assert np.shape(state["cross_k1"]) == (3, 5, 8) and np.shape(state["self_v0"]) == (3, 0, 8)
    assert np.shape(state["attention"]) == (3, 5) and np.shape(state["heads"]) == (3, 2, 5)
    np.testing.assert_array_equal(np.asarray(state["mask"]), SOURCE != PAD_ID)
    plain = uncached.start(SOURCE)
    assert "prefix" in plain and "self_k0" not in plain and np.shape(plain["prefix"]) == (3, 0)


def test_the_attention_rows_cover_only_real_source_positions(seq2seq):
    log_p, state = seq2seq.step(np.full(3, START_ID, "int32"), seq2seq.start(SOURCE))
    assert log_p.shape == (3, TARGET_VOCAB) and log_p.dtype == np.float64
    np.testing.assert_allclose(np.exp(log_p).sum(-1), 1.0, atol=1e-5)
    real = SOURCE != PAD_ID
    for key in ("attention", "heads"):
        weights = np.asarray(state[key])
        sums = weights.sum(-1)
        np.testing.assert_allclose(sums, 1.0, atol=1e-5)
        padded = np.broadcast_to(~real[:, None] if key == "heads" else ~real, weights.shape)
        assert np.all(weights[padded] == 0)
    np.testing.assert_allclose(state["attention"], np.asarray(state["heads"]).mean(1), atol=1e-7)
    assert np.shape(state["self_k0"]) == (3, 1, 8)


def test_teacher_forcing_equals_step_by_step(seq2seq, uncached):
    dec = np.array([[START_ID, 4, 5, 6, 3], [START_ID, 6, 6, 2, 0], [START_ID, 3, 4, 5, 6]], "int32")
    probs = np.asarray(seq2seq.model([SOURCE, dec], training=False))
    for model in (seq2seq, uncached):
        state = model.start(SOURCE)
        for t in range(dec.shape[1]):
            log_p, state = model.step(dec[:, t], state)
            np.testing.assert_allclose(np.exp(log_p), probs[:, t], atol=1e-5)


def test_cache_and_no_cache_give_the_same_greedy_replies(seq2seq, uncached):
    ids = decoding.greedy_decode(seq2seq, SOURCE, max_length=6)
    assert ids.shape == (3, 6) and ids.dtype == np.int32
    np.testing.assert_array_equal(decoding.greedy_decode(uncached, SOURCE, max_length=6), ids)
    tokens = np.concatenate([np.full((3, 1), START_ID, "int32"), ids[:, :-1]], axis=1)
    states = [seq2seq.start(SOURCE), uncached.start(SOURCE)]
    for t in range(tokens.shape[1]):
        cached, states[0] = seq2seq.step(tokens[:, t], states[0])
        plain, states[1] = uncached.step(tokens[:, t], states[1])
        np.testing.assert_allclose(cached, plain, atol=1e-5)
        np.testing.assert_allclose(states[0]["attention"], states[1]["attention"], atol=1e-5)


def test_greedy_sampling_and_beam_search_run(seq2seq):
    ids, weights = decoding.greedy_decode(seq2seq, SOURCE, max_length=6, return_attention=True)
    assert weights.shape == (3, 6, 5)
    assert np.all(weights[1, :, 2:] == 0)
    sampled = decoding.sample_decode(seq2seq, SOURCE, max_length=6, seed=0)
    assert sampled.shape == (3, 6) and sampled.dtype == np.int32
    np.testing.assert_array_equal(decoding.sample_decode(seq2seq, SOURCE, max_length=6, seed=0), sampled)
    beams = decoding.beam_search(seq2seq, SOURCE, max_length=6, width=3)
    assert beams.shape == (3, 6) and beams.dtype == np.int32
    candidates, scores = decoding.beam_candidates(seq2seq, SOURCE, max_length=4, width=3)
    assert candidates.shape == (3, 3, 4) and scores.shape == (3, 3)
    for reply in (ids, sampled, beams):
        assert ((reply >= 0) & (reply < TARGET_VOCAB)).all()
        for row in reply:
            ends = np.flatnonzero(row == END_ID)
            if ends.size:
                assert (row[ends[0] + 1:] == PAD_ID).all()


@pytest.mark.parametrize("cache", [True, False])
def test_reorder_follows_the_rows(seq2seq, uncached, cache):
    model = seq2seq if cache else uncached
    first = np.array([START_ID] * 3, "int32")
    _, state = model.step(first, model.start(SOURCE))
    index = np.array([2, 0, 0, 1])
    second = np.array([4, 5, 6, 3], "int32")
    log_p, new = model.step(second, decoding.reorder(state, index))
    for row, (i, token) in enumerate(zip(index, second, strict=True)):
        _, one = model.step(first[:1], model.start(SOURCE[i:i + 1]))
        expected, expected_state = model.step(np.array([token], "int32"), one)
        np.testing.assert_allclose(log_p[row], expected[0], atol=1e-5)
        np.testing.assert_allclose(new["attention"][row], expected_state["attention"][0], atol=1e-5)


@pytest.mark.parametrize("source, error, match", [
    (SOURCE[0], ValueError, "source must have rank 2"),
    (SOURCE[:0], ValueError, "source is empty"),
    (SOURCE.astype("float32"), TypeError, "source must hold integer ids"),
])
def test_start_rejects_bad_source(seq2seq, source, error, match):
    with pytest.raises(error, match=match):
        seq2seq.start(source)


def test_the_first_loss_is_near_log_vocab(seq2seq):
    dec_in = np.array([[START_ID, 4, 5, 6], [START_ID, 6, 0, 0], [START_ID, 3, 4, 0]], "int32")
    dec_out = np.array([[4, 5, 6, END_ID], [6, END_ID, 0, 0], [3, 4, END_ID, 0]], "int32")
    weights = (dec_out != PAD_ID).astype("float32")
    loss = seq2seq.model.evaluate([SOURCE, dec_in], dec_out, sample_weight=weights, verbose=0)
    assert abs(loss - math.log(TARGET_VOCAB)) < 0.5


def test_learned_positions_build_and_decode():
    keras.utils.set_random_seed(6)
    learned = transformer.build_transformer(SOURCE_VOCAB, TARGET_VOCAB, d_model=4, num_heads=1, ff_dim=4,
                                            num_layers=1, max_length=8, position="learned")
    assert learned.model.name == "transformer_learned"
    assert learned.model([SOURCE, SOURCE[:, :3] % TARGET_VOCAB]).shape == (3, 3, TARGET_VOCAB)
    assert learned.decoder_embedding.position == "learned"



def test_steps_per_execution_trains_the_same_weights():
    # Several batches per call into TensorFlow: the same updates in the same order.
    rng = np.random.default_rng(0)
    source = rng.integers(4, SOURCE_VOCAB, (40, 5))
    dec_in = rng.integers(4, TARGET_VOCAB, (40, 4))
    dec_in[:, 0] = START_ID
    dec_out = rng.integers(4, TARGET_VOCAB, (40, 4))
    weights = []
    for steps in (1, 4):
        keras.utils.set_random_seed(3)
        model = transformer.build_transformer(SOURCE_VOCAB, TARGET_VOCAB, d_model=8, num_heads=2, ff_dim=8,
                                              num_layers=1, dropout=0.0, max_length=8,
                                              steps_per_execution=steps).model
        assert model.steps_per_execution == steps
        initial = model.get_weights()
        model.fit([source, dec_in], dec_out, batch_size=4, epochs=1, shuffle=False, verbose=0)
        weights.append(model.get_weights())
        assert not all(np.array_equal(a, b) for a, b in zip(initial, weights[-1], strict=True))
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(*weights, strict=True))

@pytest.mark.parametrize("kwargs, error, match", [
    ({"source_vocab_size": 1}, ValueError, "source_vocab_size must be >= 2"),
    ({"target_vocab_size": 1}, ValueError, "target_vocab_size must be >= 2"),
    ({"target_vocab_size": 7.0}, TypeError, "target_vocab_size must be an int"),
    ({"num_layers": 0}, ValueError, "num_layers must be >= 1"),
    ({"learning_rate": 0}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": -1e-3}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": float("nan")}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": float("inf")}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": "1e-3"}, ValueError, "learning_rate must be a finite number > 0"),
    ({"position": "rotary"}, ValueError, "position must be one of"),
    ({"num_heads": 3}, ValueError, "must be a multiple of num_heads"),
    ({"d_model": 7, "num_heads": 7}, ValueError, "d_model must be even"),
    ({"dropout": 1.5}, ValueError, "dropout must be a number in"),
    ({"max_length": 0}, ValueError, "max_length must be >= 1"),
    ({"steps_per_execution": 0}, ValueError, "steps_per_execution must be >= 1"),
    ({"steps_per_execution": 2.0}, TypeError, "steps_per_execution must be an int"),
])
def test_build_transformer_rejects_bad_arguments(kwargs, error, match):
    arguments = {"source_vocab_size": SOURCE_VOCAB, "target_vocab_size": TARGET_VOCAB, "d_model": 8,
                 "num_heads": 2, "ff_dim": 8, "num_layers": 1, **kwargs}
    with pytest.raises(error, match=match):
        transformer.build_transformer(**arguments)


def test_with_cache_shares_the_layers_and_checks_its_argument(seq2seq):
    assert seq2seq.with_cache(False).decoder_blocks is seq2seq.decoder_blocks
    assert seq2seq.with_cache(True).cache and not seq2seq.with_cache(False).cache
    with pytest.raises(TypeError, match="cache"):
        seq2seq.with_cache(1)
