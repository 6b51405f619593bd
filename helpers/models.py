"""The seed text's seq2seq model in Keras: a training model and the inference models split from it.

Taught in notebook 06 (Keras中的序列到序列模型), where the code is first written out by
hand; later notebooks import it from here. The training model is the seed's::

    encoder input (one-hot) -> LSTM(return_state=True) -> thought vector [state_h, state_c]
    decoder input (one-hot) -> LSTM(return_sequences=True, initial_state=thought vector)
                            -> Dense(softmax) -> next-token probabilities

Trained with teacher forcing (教师强制): the decoder reads the true previous token. At
inference time there is no true previous token, so the same layers are rewired into an
``encoder_model`` (input -> states) and a one-step ``decoder_model``
(token, states -> probabilities, new states) that a loop calls token by token.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from helpers._validate import check_int

ENCODER_LSTM = "encoder_lstm"
DECODER_LSTM = "decoder_lstm"
DECODER_DENSE = "decoder_dense"


@dataclass(frozen=True)
class Seq2Seq:
    """What :func:`build_seq2seq` returns: the training model and its parts (notebook 06).

    ``model`` takes ``[encoder_input, decoder_input]`` (one-hot, shapes
    (batch, time, source vocabulary) and (batch, time, target vocabulary)) and returns the
    next-token probabilities at every decoder step.
    """

    model: keras.Model
    encoder_inputs: keras.KerasTensor
    encoder_states: list[keras.KerasTensor]
    decoder_inputs: keras.KerasTensor
    encoder_lstm: keras.layers.LSTM
    decoder_lstm: keras.layers.LSTM
    decoder_dense: keras.layers.Dense


def build_seq2seq(
    source_vocab_size: int,
    target_vocab_size: int,
    units: int = 64,
    *,
    optimizer: str | keras.optimizers.Optimizer = "rmsprop",
) -> Seq2Seq:
    """The seed's training model on one-hot inputs, compiled with categorical cross-entropy.

    Taught in notebook 06. ``units`` is the size of the LSTM states, that is of the thought
    vector (句向量): ``state_h`` and ``state_c`` each have ``units`` numbers. The layers are
    named ``encoder_lstm``, ``decoder_lstm`` and ``decoder_dense`` so that
    :func:`inference_models` can find them again.

    Args:
        source_vocab_size: ids in the source vocabulary (the encoder's one-hot depth).
        target_vocab_size: ids in the target vocabulary (the decoder's one-hot depth and
            the softmax's width).
        units: LSTM units in the encoder and in the decoder.
        optimizer: passed to ``model.compile``; the seed uses ``"rmsprop"``.
    """
    check_int(source_vocab_size, "source_vocab_size", 2)
    check_int(target_vocab_size, "target_vocab_size", 2)
    check_int(units, "units", 1)
    encoder_inputs = keras.Input(shape=(None, source_vocab_size), name="encoder_input")
    encoder_lstm = keras.layers.LSTM(units, return_state=True, name=ENCODER_LSTM)
    _, state_h, state_c = encoder_lstm(encoder_inputs)
    encoder_states = [state_h, state_c]

    decoder_inputs = keras.Input(shape=(None, target_vocab_size), name="decoder_input")
    decoder_lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True,
                                     name=DECODER_LSTM)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = keras.layers.Dense(target_vocab_size, activation="softmax", name=DECODER_DENSE)
    decoder_outputs = decoder_dense(decoder_outputs)

    model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs, name="seq2seq")
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    return Seq2Seq(model, encoder_inputs, encoder_states, decoder_inputs, encoder_lstm,
                   decoder_lstm, decoder_dense)


def _layer(model: keras.Model, name: str, kind: type) -> keras.layers.Layer:
    try:
        layer = model.get_layer(name)
    except ValueError:
        names = [layer.name for layer in model.layers]
        raise ValueError(
            f"model has no layer named {name!r} (it has {names}); build it with "
            "build_seq2seq or pass the layer names"
        ) from None
    if not isinstance(layer, kind):
        raise TypeError(f"layer {name!r} must be a {kind.__name__}, got {type(layer).__name__}")
    return layer


def inference_models(
    model: keras.Model,
    *,
    encoder_lstm: str = ENCODER_LSTM,
    decoder_lstm: str = DECODER_LSTM,
    decoder_dense: str = DECODER_DENSE,
) -> tuple[keras.Model, keras.Model]:
    """Split a trained seq2seq training model into ``(encoder_model, decoder_model)``.

    Taught in notebook 06; the models share the trained layers (no copy of the weights):

    - ``encoder_model``: encoder input -> ``[state_h, state_c]`` (the thought vector);
    - ``decoder_model``: ``[decoder_inputs] + decoder_states_inputs`` ->
      ``[decoder_outputs] + decoder_states``, that is (one-hot tokens of shape
      (batch, steps, target vocabulary), ``state_h``, ``state_c``) -> (probabilities,
      new ``state_h``, new ``state_c``). Called with one step at a time by a decoding loop.

    Args:
        model: a model made like :func:`build_seq2seq`'s (two inputs, named layers).
        encoder_lstm, decoder_lstm, decoder_dense: the names of those layers in ``model``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if len(model.inputs) != 2:
        raise ValueError(
            f"model must have two inputs [encoder_input, decoder_input], got {len(model.inputs)}"
        )
    encoder_layer = _layer(model, encoder_lstm, keras.layers.LSTM)
    decoder_layer = _layer(model, decoder_lstm, keras.layers.LSTM)
    dense_layer = _layer(model, decoder_dense, keras.layers.Dense)
    if not (encoder_layer.return_state and decoder_layer.return_state
            and decoder_layer.return_sequences):
        raise ValueError("the encoder LSTM needs return_state=True and the decoder LSTM "
                         "return_sequences=True and return_state=True")
    if encoder_layer.units != decoder_layer.units:
        raise ValueError(f"encoder and decoder LSTMs differ in units: {encoder_layer.units} "
                         f"and {decoder_layer.units}")

    encoder_inputs = model.inputs[0]
    # The encoder LSTM was called once, on the encoder input: its output is [seq, h, c].
    _, state_h, state_c = encoder_layer.output
    encoder_model = keras.Model(encoder_inputs, [state_h, state_c], name="encoder_model")

    units = decoder_layer.units
    target_vocab_size = model.inputs[1].shape[-1]
    decoder_inputs = keras.Input(shape=(None, target_vocab_size), name="decoder_token")
    decoder_state_input_h = keras.Input(shape=(units,), name="decoder_state_h")
    decoder_state_input_c = keras.Input(shape=(units,), name="decoder_state_c")
    decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
    decoder_outputs, new_h, new_c = decoder_layer(decoder_inputs, initial_state=decoder_states_inputs)
    decoder_outputs = dense_layer(decoder_outputs)
    decoder_model = keras.Model([decoder_inputs] + decoder_states_inputs,
                                [decoder_outputs, new_h, new_c], name="decoder_model")
    return encoder_model, decoder_model
