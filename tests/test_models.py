"""helpers.models: the seed's seq2seq training model and the inference models split from it."""

import keras
import numpy as np
import pytest

from helpers import models


@pytest.fixture(scope="module")
def seq2seq():
    keras.utils.set_random_seed(0)
    return models.build_seq2seq(source_vocab_size=9, target_vocab_size=6, units=8)


def test_build_seq2seq_is_the_seed_model(seq2seq):
    model = seq2seq.model
    assert [t.shape for t in model.inputs] == [(None, None, 9), (None, None, 6)]
    assert model.output.shape == (None, None, 6)
    assert seq2seq.encoder_lstm.return_state and not seq2seq.encoder_lstm.return_sequences
    assert seq2seq.decoder_lstm.return_sequences and seq2seq.decoder_lstm.return_state
    assert seq2seq.decoder_dense.activation.__name__ == "softmax"
    assert [s.shape for s in seq2seq.encoder_states] == [(None, 8), (None, 8)]
    assert model.loss == "categorical_crossentropy"
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    # Two LSTMs (4 gates, each with input, recurrent and bias weights) and the softmax layer.
    lstm = lambda n_in: 4 * (8 * (n_in + 8) + 8)  # noqa: E731
    assert model.count_params() == lstm(9) + lstm(6) + (8 * 6 + 6)


def test_build_seq2seq_takes_an_optimizer():
    built = models.build_seq2seq(5, 5, 4, optimizer=keras.optimizers.Adam(0.01))
    assert isinstance(built.model.optimizer, keras.optimizers.Adam)


def test_the_model_predicts_a_distribution_per_decoder_step(seq2seq):
    x = np.eye(9, dtype="float32")[np.random.default_rng(0).integers(0, 9, (3, 5))]
    y = np.eye(6, dtype="float32")[np.random.default_rng(1).integers(0, 6, (3, 4))]
    probabilities = np.asarray(seq2seq.model([x, y], training=False))
    assert probabilities.shape == (3, 4, 6)
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("args, error, match", [
    ((1, 6, 8), ValueError, "source_vocab_size must be >= 2"),
    ((9, 6.0, 8), TypeError, "target_vocab_size must be an int"),
    ((9, 6, 0), ValueError, "units must be >= 1"),
    ((9, 6, True), TypeError, "units must be an int"),
])
def test_build_seq2seq_rejects_bad_sizes(args, error, match):
    with pytest.raises(error, match=match):
        models.build_seq2seq(*args)


def test_inference_models_reproduce_the_training_model(seq2seq):
    encoder_model, decoder_model = models.inference_models(seq2seq.model)
    assert [t.shape for t in encoder_model.outputs] == [(None, 8), (None, 8)]
    assert [t.shape for t in decoder_model.inputs] == [(None, None, 6), (None, 8), (None, 8)]
    assert [t.shape for t in decoder_model.outputs] == [(None, None, 6), (None, 8), (None, 8)]
    # Feeding the decoder its whole input in one call, from the encoder's states, is
    # exactly what the training model computes: the weights are shared, not copied.
    rng = np.random.default_rng(2)
    x = np.eye(9, dtype="float32")[rng.integers(0, 9, (4, 7))]
    y = np.eye(6, dtype="float32")[rng.integers(0, 6, (4, 5))]
    states = [np.asarray(s) for s in encoder_model(x, training=False)]
    split, _, _ = decoder_model([y, *states], training=False)
    np.testing.assert_allclose(split, seq2seq.model([x, y], training=False), rtol=1e-5, atol=1e-6)
    # Step by step, carrying the state, gives the same probabilities too.
    h, c = states
    for t in range(5):
        step, h, c = (np.asarray(v) for v in decoder_model([y[:, t:t + 1], h, c], training=False))
        np.testing.assert_allclose(step[:, 0], split[:, t], rtol=1e-5, atol=1e-6)


def test_inference_models_can_be_made_twice(seq2seq):
    first = models.inference_models(seq2seq.model)
    second = models.inference_models(seq2seq.model)
    x = np.eye(9, dtype="float32")[[[1, 2, 3]]]
    np.testing.assert_array_equal(first[0](x), second[0](x))


def test_inference_models_rejects_other_models():
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        models.inference_models("model")
    single = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="two inputs"):
        models.inference_models(single)
    a, b = keras.Input((None, 3)), keras.Input((None, 4))
    _, h, c = keras.layers.LSTM(5, return_state=True)(a)
    out = keras.layers.LSTM(5, return_sequences=True)(b, initial_state=[h, c])
    unnamed = keras.Model([a, b], keras.layers.Dense(4, activation="softmax")(out))
    with pytest.raises(ValueError, match="no layer named 'encoder_lstm'"):
        models.inference_models(unnamed)
    with pytest.raises(TypeError, match="must be a LSTM"):
        models.inference_models(unnamed, encoder_lstm=unnamed.layers[-1].name)


def test_inference_models_needs_states_and_sequences():
    def seq2seq(decoder_units=5, return_state=True):
        a, b = keras.Input((None, 3)), keras.Input((None, 4))
        _, h, c = keras.layers.LSTM(5, return_state=True, name="encoder_lstm")(a)
        decoder = keras.layers.LSTM(decoder_units, return_sequences=True, return_state=return_state,
                                    name="decoder_lstm")
        out = decoder(b, initial_state=[h, c])
        out = out[0] if return_state else out
        dense = keras.layers.Dense(4, activation="softmax", name="decoder_dense")
        return keras.Model([a, b], dense(out))

    with pytest.raises(ValueError, match="return_state=True"):
        models.inference_models(seq2seq(return_state=False))
    encoder_model, decoder_model = models.inference_models(seq2seq())
    assert len(decoder_model.outputs) == 3 and len(encoder_model.outputs) == 2
