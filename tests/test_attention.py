"""helpers.attention: the attention layers, the seq2seq with attention as a step model, the heatmap."""

import keras
import matplotlib
import numpy as np
import pytest

from helpers import attention, decoding
from helpers.text import END_ID, PAD_ID, START_ID

matplotlib.use("Agg")

B, TQ, TV, D = 2, 3, 5, 4


@pytest.fixture(scope="module")
def tensors():
    rng = np.random.default_rng(0)
    query = rng.normal(size=(B, TQ, D)).astype("float32")
    values = rng.normal(size=(B, TV, D)).astype("float32")
    mask = np.ones((B, TV), dtype="float32")
    mask[1, 3:] = 0  # the second sequence has two padded steps
    return query, values, mask


@pytest.mark.parametrize("layer", [attention.BahdanauAttention(6), attention.LuongAttention("dot"),
                                   attention.LuongAttention("general")])
def test_shapes_masks_and_sums(layer, tensors):
    query, values, mask = tensors
    context, weights = layer(query, values, mask)
    context, weights = np.asarray(context), np.asarray(weights)
    assert context.shape == (B, TQ, D)
    assert weights.shape == (B, TQ, TV)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
    assert np.all(weights[1, :, 3:] == 0)  # padded input steps get zero weight
    np.testing.assert_allclose(context, weights @ values, atol=1e-5)


def test_dot_matches_keras_attention(tensors):
    query, values, mask = tensors
    _, ours = attention.LuongAttention("dot")(query, values, mask)
    _, theirs = keras.layers.Attention()([query, values], mask=[None, mask.astype(bool)],
                                          return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-5)


def test_additive_with_identity_projections_matches_keras(tensors):
    query, values, _ = tensors
    layer = attention.BahdanauAttention(D)
    layer(query, values)
    scale = np.linspace(0.5, 1.5, D).astype("float32")
    layer.w1.set_weights([np.eye(D, dtype="float32")])
    layer.w2.set_weights([np.eye(D, dtype="float32")])
    layer.v.set_weights([scale[:, None]])
    keras_layer = keras.layers.AdditiveAttention()
    keras_layer([query, values])
    keras_layer.set_weights([scale])
    _, ours = layer(query, values)
    _, theirs = keras_layer([query, values], return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-5)


def test_masked_softmax_all_masked_gives_zero():
    weights = np.asarray(attention.masked_softmax(np.zeros((1, 1, 3), "float32"),
                                                  np.array([[1, 0, 0]], "float32")))
    np.testing.assert_allclose(weights, [[[1, 0, 0]]])


def test_bad_layer_input(tensors):
    query, values, mask = tensors
    with pytest.raises(ValueError, match="query"):
        attention.LuongAttention("dot")(query[0], values, mask)
    with pytest.raises(ValueError, match="mask"):
        attention.LuongAttention("dot")(query, values, mask[None])
    with pytest.raises(ValueError, match="score"):
        attention.LuongAttention("cosine")
    with pytest.raises(TypeError, match="units"):
        attention.BahdanauAttention(2.5)
    with pytest.raises(ValueError, match="kind"):
        attention.make_attention("cosine", 4)


@pytest.fixture(scope="module")
def seq2seq():
    keras.utils.set_random_seed(0)
    return attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention="additive")


def test_build_seq2seq_shapes(seq2seq):
    src = np.array([[4, 5, 6, 0], [5, 4, 0, 0]], "int32")
    dec = np.array([[1, 4, 5], [1, 5, 0]], "int32")
    assert seq2seq.model([src, dec]).shape == (2, 3, 6)
    memory, mask, h, c = seq2seq.encoder_model(src)
    assert memory.shape == (2, 4, 8) and h.shape == (2, 8)
    np.testing.assert_array_equal(np.asarray(mask), src != PAD_ID)
    probs, h2, _, weights = seq2seq.step_model([dec[:, :1], *(np.asarray(t) for t in (memory, mask, h, c))])
    assert probs.shape == (2, 1, 6) and h2.shape == (2, 8) and weights.shape == (2, 1, 4)
    assert np.all(np.asarray(weights)[1, 0, 2:] == 0)


def test_plain_model_has_fewer_parameters():
    plain = attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention=None)
    general = attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention="general")
    assert general.model.count_params() == plain.model.count_params() + 8 * 8 + 8 * 6
    with pytest.raises(ValueError, match="attention"):
        attention.build_seq2seq(7, 6, 8, attention="cosine")
    with pytest.raises(TypeError, match="units"):
        attention.build_seq2seq(7, 6, "8")


def test_the_model_is_a_step_model(seq2seq):
    src = np.array([[4, 5, 6, 0], [5, 4, 0, 0]], "int32")
    assert seq2seq.vocab_size == 6
    state = seq2seq.start(src)
    assert sorted(state) == ["attention", "c", "h", "mask", "memory"]
    assert np.shape(state["memory"]) == (2, 4, 8) and np.shape(state["attention"]) == (2, 4)
    tokens = np.array([START_ID, 5], "int32")
    log_p, new_state = seq2seq.step(tokens, state)
    # The same numbers as the raw step model.
    raw = [np.asarray(t) for t in seq2seq.encoder_model(src)]
    probs, h, _, weights = seq2seq.step_model([tokens[:, None], *raw])
    np.testing.assert_allclose(np.exp(log_p), np.asarray(probs)[:, -1], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(np.asarray(new_state["h"]), np.asarray(h), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(new_state["attention"], np.asarray(weights)[:, -1], atol=1e-7)


def test_greedy_decode_returns_the_weights(seq2seq):
    src = np.array([[4, 5, 6, 0], [5, 4, 0, 0], [6, 6, 6, 6]], "int32")
    ids, weights = decoding.greedy_decode(seq2seq, src, max_length=5, return_attention=True)
    assert ids.shape == (3, 5) and ids.dtype == np.int32
    assert weights.shape == (3, 5, 4)
    for row, w in zip(ids, weights, strict=True):
        ends = np.flatnonzero(row == END_ID)
        steps = ends[0] + 1 if ends.size else 5
        np.testing.assert_allclose(w[:steps].sum(-1), 1.0, atol=1e-5)
        assert np.all(row[steps:] == PAD_ID)
    assert np.all(weights[1, :, 2:] == 0)
    np.testing.assert_array_equal(decoding.greedy_decode(seq2seq, src, max_length=5), ids)
    assert not hasattr(attention, "greedy_decode")  # one decoding loop: helpers.decoding's


def test_the_model_without_attention_gives_zero_weights():
    keras.utils.set_random_seed(0)
    plain = attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention=None)
    _, weights = decoding.greedy_decode(plain, np.array([[4, 5, 0]], "int32"), max_length=3,
                                        return_attention=True)
    assert weights.shape == (1, 3, 3) and not weights.any()


def test_bad_source(seq2seq):
    src = np.array([[4, 5, 6, 0], [5, 4, 0, 0]], "int32")
    with pytest.raises(ValueError, match="source must have rank 2"):
        decoding.greedy_decode(seq2seq, src[0], max_length=5)
    with pytest.raises(TypeError, match="source must hold integer ids"):
        decoding.beam_search(seq2seq, src.astype(float), max_length=5)
    with pytest.raises(ValueError, match="source is empty"):
        decoding.sample_decode(seq2seq, src[:0], max_length=5)
    with pytest.raises(ValueError, match="max_length"):
        decoding.greedy_decode(seq2seq, src, max_length=0)
    with pytest.raises(TypeError, match="model must be a StepModel"):
        decoding.greedy_decode(seq2seq.model, src, max_length=5)


def test_plot_attention():
    fig = attention.plot_attention(np.eye(3), ["a", "b", "c"], ["a", "b"], title="t")
    ax = fig.axes[0]
    assert ax.get_title() == "t" and len(ax.get_yticks()) == 2
    with pytest.raises(ValueError, match="weights"):
        attention.plot_attention(np.ones(3), ["a"], ["a"])
    with pytest.raises(ValueError, match="weights"):
        attention.plot_attention(np.eye(2), ["a", "b", "c"], ["a"])
    with pytest.raises(TypeError, match="source_tokens"):
        attention.plot_attention(np.eye(2), "ab", ["a"])


def test_plot_attention_colorbar():
    plain = attention.plot_attention(np.eye(3), ["a", "b", "c"], ["a", "b"])
    assert len(plain.axes) == 1                                     # the default: no colour bar
    fig = attention.plot_attention(np.eye(3), ["a", "b", "c"], ["a", "b"], colorbar=True)
    heatmap, bar = fig.axes
    assert bar.get_ylabel() == "attention weight"
    assert heatmap.images[0].get_clim() == (0, 1)                   # the bar runs from 0 to 1
    with pytest.raises(TypeError, match="colorbar"):
        attention.plot_attention(np.eye(2), ["a", "b"], ["a"], colorbar="yes")


def test_plot_attention_draws_chinese_tokens_with_the_course_font():
    # A zh_CN date input of notebook 09: every glyph comes from DejaVu Sans or the course font.
    import warnings

    import matplotlib.pyplot as plt

    from helpers import plots

    tokens = list("1990年12月7日星期五")
    with matplotlib.rc_context():
        plots.use_course_style()
        fig = attention.plot_attention(np.full((4, len(tokens)), 1 / len(tokens)), tokens,
                                       list("1990"), title="zh_CN: 1990年12月7日星期五",
                                       colorbar=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
    plt.close(fig)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m], messages


def test_output_units_puts_a_tanh_layer_before_the_softmax():
    keras.utils.set_random_seed(0)
    wide = attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention="general")
    narrow = attention.build_seq2seq(7, 6, 8, embedding_dim=4, attention="general", output_units=3)
    hidden = narrow.model.get_layer("decoder_hidden")
    assert hidden.activation.__name__ == "tanh" and hidden.units == 3
    # [h; c] (16 numbers) -> 3 -> 6 instead of 16 -> 6
    assert narrow.model.count_params() == wide.model.count_params() - (16 * 6 + 6) \
        + (16 * 3 + 3) + (3 * 6 + 6)
    src = np.array([[4, 5, 6, 0]], "int32")
    assert narrow.model([src, np.array([[1, 4]], "int32")]).shape == (1, 2, 6)
    state = narrow.start(src)
    log_probs, _ = narrow.step(np.array([1]), state)
    assert log_probs.shape == (1, 6)
    for bad, error in [(0, ValueError), ("3", TypeError)]:
        with pytest.raises(error, match="output_units"):
            attention.build_seq2seq(7, 6, 8, output_units=bad)
