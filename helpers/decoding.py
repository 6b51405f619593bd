"""Greedy decoding with the inference models: one sequence at a time, and many at once.

Taught in notebook 05 (Keras中的序列到序列模型), where the seed text's token-by-token
loop (:func:`decode_sequence`) is first written out by hand and then compared with
:func:`greedy_decode`, which decodes a whole batch in the same number of steps.

The models are the pair that :func:`helpers.models.inference_models` returns:
``encoder_model`` (one-hot input -> ``[state_h, state_c]``) and ``decoder_model``
(``[one-hot tokens, state_h, state_c]`` -> ``[probabilities, state_h, state_c]``).
Unknown characters never crash decoding: :meth:`helpers.text.Vocabulary.encode` turns them
into ``<unk>``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np

from helpers.text import END_ID, PAD_ID, START_ID, Vocabulary, one_hot

PADDING = ("pre", "post")
_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def as_function(model: keras.Model) -> Callable[[Any], Any]:
    """``model(inputs, training=False)`` as a ``tf.function``, made once per model and reused.

    A decoding loop calls its models once per token. ``model.predict`` costs tens of
    milliseconds per call and an eager ``model(...)`` call a few; a traced function costs
    well under one (notebook 05). It is traced again only for a new input shape.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    function = _FUNCTIONS.get(model)
    if function is None:
        import tensorflow as tf

        reference = weakref.ref(model)  # the cache must not keep the model alive

        @tf.function(reduce_retracing=True)
        def function(inputs):
            return reference()(inputs, training=False)

        _FUNCTIONS[model] = function
    return function


def encode_inputs(
    texts: Sequence[str], vocab: Vocabulary, length: int | None = None, *, padding: str = "pre"
) -> np.ndarray:
    """The encoder's one-hot input for ``texts``: float32, shape (batch, length, len(vocab)).

    Taught in notebook 05. ``padding="pre"`` puts the ``<pad>`` steps *before* the text, so
    that the encoder's last steps, the ones its final state (the thought vector) remembers
    best, are real characters. ``length`` defaults to the longest text; a longer text is a
    ``ValueError``. Characters ``vocab`` has not seen become ``<unk>``.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not a single string")
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    texts = list(texts)
    if not texts:
        raise ValueError("texts is empty: nothing to encode")
    for i, item in enumerate(texts):
        if not isinstance(item, str):
            raise TypeError(f"texts[{i}] must be a str, got {type(item).__name__}")
    if padding not in PADDING:
        raise ValueError(f"padding must be one of {PADDING}, got {padding!r}")
    ids = [vocab.encode(item) for item in texts]
    longest = max(len(row) for row in ids)
    if length is None:
        length = max(longest, 1)
    elif isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ValueError(f"length must be a positive int or None, got {length!r}")
    elif longest > length:
        index = next(i for i, row in enumerate(ids) if len(row) == longest)
        raise ValueError(f"texts[{index}] has {longest} tokens, more than length={length}")
    padded = keras.utils.pad_sequences(ids, maxlen=length, dtype="int32", padding=padding,
                                       value=PAD_ID)
    return one_hot(padded, len(vocab))


def _input_depth(model: keras.Model, index: int) -> int | None:
    return model.inputs[index].shape[-1]


def _check_models(encoder_model: keras.Model, decoder_model: keras.Model) -> int:
    """The target vocabulary size, after checking that the two models fit together."""
    for name, model in [("encoder_model", encoder_model), ("decoder_model", decoder_model)]:
        if not isinstance(model, keras.Model):
            raise TypeError(f"{name} must be a keras.Model, got {type(model).__name__}")
    if len(decoder_model.inputs) != 3 or len(decoder_model.outputs) != 3:
        raise ValueError("decoder_model must map [tokens, state_h, state_c] to "
                         "[probabilities, state_h, state_c] (see helpers.models.inference_models)")
    if len(encoder_model.outputs) != 2:
        raise ValueError("encoder_model must return [state_h, state_c]")
    return int(_input_depth(decoder_model, 0))


def _check_max_length(max_length: object) -> int:
    if isinstance(max_length, bool) or not isinstance(max_length, int | np.integer):
        raise TypeError(f"max_length must be an int, got {type(max_length).__name__}")
    if max_length < 1:
        raise ValueError(f"max_length must be >= 1, got {max_length}")
    return int(max_length)


def _check_encoder_input(encoder_input: Any, encoder_model: keras.Model) -> np.ndarray:
    x = np.asarray(encoder_input, dtype="float32")
    if x.ndim != 3:
        raise ValueError(
            f"encoder_input must have rank 3 (batch, time, vocabulary), got rank {x.ndim}; "
            "one sequence is a batch of one: x[None] or x[i:i + 1]"
        )
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"encoder_input is empty: shape {x.shape}")
    depth = _input_depth(encoder_model, 0)
    if depth is not None and x.shape[-1] != depth:
        raise ValueError(f"encoder_input has {x.shape[-1]} one-hot columns but encoder_model "
                         f"expects {depth}: was it encoded with another vocabulary?")
    return x


def _check_target_vocab(target_vocab: Vocabulary | None, depth: int) -> None:
    if target_vocab is None:
        return
    if not isinstance(target_vocab, Vocabulary):
        raise TypeError(f"target_vocab must be a Vocabulary, got {type(target_vocab).__name__}")
    if len(target_vocab) != depth:
        raise ValueError(f"target_vocab has {len(target_vocab)} ids but decoder_model "
                         f"predicts {depth}: a vocabulary from another model?")


def ids_to_text(ids: Sequence[int] | np.ndarray, vocab: Vocabulary) -> str:
    """The text of one decoded id sequence: its tokens before the first ``<end>``.

    As the seed's loop builds its string: every token up to ``<end>`` is kept, so a stray
    ``<unk>`` or ``<pad>`` shows in the text instead of vanishing (notebook 05).
    """
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be one sequence (rank 1), got rank {ids.ndim}")
    ends = np.flatnonzero(ids == END_ID)
    if ends.size:
        ids = ids[: ends[0]]
    return vocab.decode(ids.astype("int64"), strip_special=False)


def greedy_decode(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    *,
    max_length: int,
    target_vocab: Vocabulary | None = None,
) -> np.ndarray | list[str]:
    """Greedy decoding (贪心解码) of a whole batch at once: one decoder call per step.

    This is :func:`decode_sequence` run on every sequence together. Each step feeds the
    token chosen for each sequence at the previous step and keeps its own state; a
    sequence that has produced ``<end>`` is finished, and the loop stops when all are
    (or after ``max_length`` steps). Taught in notebook 05.

    Args:
        encoder_model, decoder_model: from :func:`helpers.models.inference_models`.
        encoder_input: one-hot, shape (batch, time, source vocabulary), as
            :func:`encode_inputs` makes it.
        max_length: the most tokens to produce per sequence, ``<end>`` included.
        target_vocab: if given, return strings (see :func:`ids_to_text`) instead of ids.

    Returns:
        int32 ids of shape (batch, max_length): the chosen tokens, ``<end>`` included,
        ``<pad>`` after it; or one string per sequence when ``target_vocab`` is given.
    """
    depth = _check_models(encoder_model, decoder_model)
    max_length = _check_max_length(max_length)
    _check_target_vocab(target_vocab, depth)
    x = _check_encoder_input(encoder_input, encoder_model)
    encode, step = as_function(encoder_model), as_function(decoder_model)
    eye = np.eye(depth, dtype="float32")

    state_h, state_c = encode(x)
    batch = x.shape[0]
    tokens = np.full(batch, START_ID, dtype="int32")
    out = np.full((batch, max_length), PAD_ID, dtype="int32")
    done = np.zeros(batch, dtype=bool)
    for t in range(max_length):
        probabilities, state_h, state_c = step([eye[tokens][:, None, :], state_h, state_c])
        tokens = np.argmax(np.asarray(probabilities)[:, -1, :], axis=-1).astype("int32")
        tokens[done] = PAD_ID
        out[:, t] = tokens
        done |= tokens == END_ID
        if done.all():
            break
    if target_vocab is None:
        return out
    return [ids_to_text(row, target_vocab) for row in out]


def decode_sequence(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    *,
    max_length: int,
    target_vocab: Vocabulary,
) -> str:
    """The seed text's loop: decode ONE sequence, token by token, with the inference models.

    ``encoder_input`` is one sequence as a batch of one, shape (1, time, source
    vocabulary). Written out by hand in notebook 05; kept here to check
    :func:`greedy_decode` against (they give the same text).
    """
    depth = _check_models(encoder_model, decoder_model)
    max_length = _check_max_length(max_length)
    if target_vocab is None:
        raise TypeError("target_vocab must be a Vocabulary, got None")
    _check_target_vocab(target_vocab, depth)
    x = _check_encoder_input(encoder_input, encoder_model)
    if x.shape[0] != 1:
        raise ValueError(f"encoder_input must hold one sequence (batch of 1), got {x.shape[0]}; "
                         "use greedy_decode for many")
    encode, step = as_function(encoder_model), as_function(decoder_model)
    states_value = list(encode(x))
    target_seq = np.zeros((1, 1, depth), dtype="float32")
    target_seq[0, 0, START_ID] = 1.0
    ids: list[int] = []
    while len(ids) < max_length:
        output_tokens, h, c = step([target_seq] + states_value)
        sampled = int(np.argmax(np.asarray(output_tokens)[0, -1, :]))
        ids.append(sampled)
        if sampled == END_ID:
            break
        target_seq = np.zeros((1, 1, depth), dtype="float32")
        target_seq[0, 0, sampled] = 1.0
        states_value = [h, c]
    return ids_to_text(ids, target_vocab)


def decode_texts(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    texts: Sequence[str],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    *,
    max_length: int,
    source_length: int | None = None,
    padding: str = "pre",
) -> list[str]:
    """Texts in, decoded texts out: :func:`encode_inputs` then :func:`greedy_decode`.

    Use the ``source_length`` and ``padding`` the model was trained with (notebook 05).
    Characters ``source_vocab`` has not seen become ``<unk>``, never an error.
    """
    if not isinstance(source_vocab, Vocabulary):
        raise TypeError(f"source_vocab must be a Vocabulary, got {type(source_vocab).__name__}")
    depth = _input_depth(encoder_model, 0) if isinstance(encoder_model, keras.Model) else None
    if depth is not None and len(source_vocab) != depth:
        raise ValueError(f"source_vocab has {len(source_vocab)} ids but encoder_model expects "
                         f"{depth}: a vocabulary from another model?")
    x = encode_inputs(texts, source_vocab, source_length, padding=padding)
    return greedy_decode(encoder_model, decoder_model, x, max_length=max_length,
                         target_vocab=target_vocab)
