"""Decoding with the inference models: greedy, temperature sampling and beam search, batched.

Greedy decoding is taught in notebook 05 (Keras中的序列到序列模型), where the seed text's
token-by-token loop (:func:`decode_sequence`) is first written out by hand and then
compared with :func:`greedy_decode`, which decodes a whole batch in the same number of
steps. Notebook 06 (序列到序列对话) adds two other ways to choose each next token, also
batched: :func:`sample_decode` (temperature sampling, 温度采样) and :func:`beam_search`
(束搜索, with length normalisation; :func:`beam_candidates` keeps all the beams).

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

from helpers._validate import check_int
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
    return _token_by_token(encoder_model, decoder_model, encoder_input, max_length, target_vocab,
                           lambda probabilities: np.argmax(probabilities, axis=-1))


def _token_by_token(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    max_length: int,
    target_vocab: Vocabulary | None,
    choose: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray | list[str]:
    """The batched decoding loop; ``choose`` picks each next token from (batch, vocabulary)."""
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
        tokens = np.asarray(choose(np.asarray(probabilities)[:, -1, :])).astype("int32")
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


def _check_number(value: object, name: str, minimum: float, *, inclusive: bool) -> float:
    """``value`` as a finite float above ``minimum`` (or equal, when ``inclusive``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value) or value < minimum or (value == minimum and not inclusive):
        raise ValueError(f"{name} must be a finite number {'>=' if inclusive else '>'} {minimum}, "
                         f"got {value}")
    return float(value)


def _rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)
                             or seed < 0):
        raise ValueError(f"seed must be an int >= 0, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


def sample_decode(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    *,
    max_length: int,
    temperature: float = 1.0,
    seed: int | np.random.Generator | None = None,
    target_vocab: Vocabulary | None = None,
) -> np.ndarray | list[str]:
    """Temperature sampling (温度采样), a whole batch at once (notebook 06).

    Like :func:`greedy_decode`, but each next token is *drawn* from the decoder's
    probabilities raised to the power ``1 / temperature`` (and renormalised):
    ``temperature=1`` samples from the model's own distribution, lower values sharpen it
    towards the greedy choice, higher values flatten it (more variety, more mistakes).
    ``seed`` (an int, a ``np.random.Generator`` or None) makes the draws repeatable.
    Returns ids of shape (batch, max_length), or strings when ``target_vocab`` is given.
    """
    temperature = _check_number(temperature, "temperature", 0, inclusive=False)
    rng = _rng(seed)

    def draw(probabilities: np.ndarray) -> np.ndarray:
        logits = np.log(np.maximum(probabilities.astype("float64"), 1e-30)) / temperature
        weights = np.exp(logits - logits.max(axis=-1, keepdims=True))
        cumulative = np.cumsum(weights / weights.sum(axis=-1, keepdims=True), axis=-1)
        draws = rng.random((len(probabilities), 1))
        return np.minimum((cumulative < draws).sum(axis=-1), probabilities.shape[-1] - 1)

    return _token_by_token(encoder_model, decoder_model, encoder_input, max_length, target_vocab,
                           draw)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best scores along the last axis, best first, ties by position."""
    return np.argsort(-scores, axis=-1, kind="stable")[..., :k]


def beam_candidates(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    *,
    max_length: int,
    width: int = 3,
    alpha: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Beam search (束搜索) for a whole batch: the ``width`` best finished replies of each.

    Taught in notebook 06. Each sequence keeps ``width`` unfinished prefixes (the beam);
    at every step each prefix is extended by every token, and the ``width`` extensions
    with the highest total log-probability stay. A prefix extended by ``<end>`` is a
    finished reply, scored with length normalisation (长度归一化)::

        score = log P(reply) / len(reply) ** alpha     (len counts the <end> token)

    Without it (``alpha=0``) short replies win, because every token multiplies in a
    probability below one; ``alpha=1`` scores the mean log-probability per token. A
    prefix still unfinished after ``max_length`` tokens is scored as it is. The search
    stops early once no unfinished prefix can beat the finished ones (exactly: a prefix's
    normalised score can rise at most to ``log P(prefix) / max_length ** alpha``).

    Returns:
        ``(ids, scores)``: int32 ids of shape (batch, width, max_length), ``<end>``
        included and ``<pad>`` after it, best first; and their float64 scores of shape
        (batch, width) (``-inf`` where fewer than ``width`` replies exist).
    """
    depth = _check_models(encoder_model, decoder_model)
    max_length = _check_max_length(max_length)
    width = check_int(width, "width", 1)
    alpha = _check_number(alpha, "alpha", 0, inclusive=True)
    x = _check_encoder_input(encoder_input, encoder_model)
    encode, step = as_function(encoder_model), as_function(decoder_model)
    eye = np.eye(depth, dtype="float32")

    state_h, state_c = (np.repeat(np.asarray(s), width, axis=0) for s in encode(x))
    batch, rows = x.shape[0], np.arange(x.shape[0])[:, None]
    alive_ids = np.full((batch, width, max_length), PAD_ID, dtype="int32")
    alive_scores = np.full((batch, width), -np.inf)
    alive_scores[:, 0] = 0.0  # one empty prefix to start from; the others are unused
    done_ids = np.full((batch, width, max_length), PAD_ID, dtype="int32")
    done_scores = np.full((batch, width), -np.inf)
    tokens = np.full(batch * width, START_ID, dtype="int32")
    for t in range(max_length):
        probabilities, state_h, state_c = step([eye[tokens][:, None, :], state_h, state_c])
        log_p = np.log(np.maximum(np.asarray(probabilities, dtype="float64")[:, -1, :], 1e-300))
        totals = alive_scores[:, :, None] + log_p.reshape(batch, width, depth)

        # Every prefix + <end> is a finished candidate; so is every prefix + token at the end.
        ended_ids = alive_ids.copy()
        ended_ids[:, :, t] = END_ID
        new_ids, new_scores = [ended_ids], [totals[:, :, END_ID] / (t + 1) ** alpha]
        totals[:, :, END_ID] = -np.inf
        flat = totals.reshape(batch, width * depth)
        best = _top(flat, width)
        beam, token = best // depth, (best % depth).astype("int32")
        alive_ids = alive_ids[rows, beam]
        alive_ids[:, :, t] = token
        alive_scores = flat[rows, best]
        if t == max_length - 1:
            new_ids.append(alive_ids)
            new_scores.append(alive_scores / max_length ** alpha)
        pool_ids = np.concatenate([done_ids, *new_ids], axis=1)
        pool_scores = np.concatenate([done_scores, *new_scores], axis=1)
        keep = _top(pool_scores, width)
        done_ids, done_scores = pool_ids[rows, keep], pool_scores[rows, keep]

        ceiling = alive_scores.max(axis=1) / max_length ** alpha
        if t == max_length - 1 or np.all(ceiling < done_scores[:, -1]):
            break
        index = (rows * width + beam).reshape(-1)
        state_h, state_c = np.asarray(state_h)[index], np.asarray(state_c)[index]
        tokens = token.reshape(-1)
    return done_ids, done_scores


def beam_search(
    encoder_model: keras.Model,
    decoder_model: keras.Model,
    encoder_input: np.ndarray,
    *,
    max_length: int,
    width: int = 3,
    alpha: float = 1.0,
    target_vocab: Vocabulary | None = None,
) -> np.ndarray | list[str]:
    """The best reply of :func:`beam_candidates` for each sequence (notebook 06).

    ids of shape (batch, max_length) like :func:`greedy_decode`'s, or strings when
    ``target_vocab`` is given. ``width=1, alpha=0`` is greedy decoding whenever greedy
    decoding ends with ``<end>``.
    """
    depth = _check_models(encoder_model, decoder_model)
    _check_target_vocab(target_vocab, depth)
    ids, _ = beam_candidates(encoder_model, decoder_model, encoder_input, max_length=max_length,
                             width=width, alpha=alpha)
    best = ids[:, 0]
    if target_vocab is None:
        return best
    return [ids_to_text(row, target_vocab) for row in best]
