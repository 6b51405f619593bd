"""Decoding for every seq2seq model of the course: greedy, temperature sampling, beam search.

All decoding functions here are batched (one model call per output step for the whole
batch) and talk to a model through one small interface, the *step model*
(:class:`StepModel`):

- ``model.vocab_size``: the size of the target vocabulary;
- ``model.start(source) -> state``: encode a batch of sources. The state is a dict of
  arrays, each with the batch axis first: one row per sequence. An array may be a NumPy
  array or a tensor as a Keras model returns it (kept as it is, it is not copied again at
  the next call: for a large encoder memory that copy would cost more than the step);
- ``model.step(tokens, state) -> (log_probs, state)``: ``tokens`` (int32, shape (batch,))
  holds each row's previous token, ``<start>`` first; ``log_probs`` (batch, vocab_size) are
  the log-probabilities of the next token.

:func:`reorder` picks rows of a state, the same rows of every array. That is all beam search
needs to copy each sequence ``width`` times and to follow the beams that survive a step, so
it works for every step model. A state that holds ``"attention"`` (batch, source length), the
attention row the step just used, lets :func:`greedy_decode` return the attention weights.

Which notebook teaches what:

- notebook 06 (Keras中的序列到序列模型): the seed text's one-sequence loop
  (:func:`decode_sequence`, on the two Keras models), then :func:`greedy_decode`, the same
  loop for a whole batch, and the step interface. :class:`OneHotSeq2Seq` is the step model of
  the seed's ``(encoder_model, decoder_model)`` from :func:`helpers.models.inference_models`;
  :func:`decode_texts` goes from texts to decoded texts;
- notebook 07 (序列到序列对话): :func:`sample_decode` (temperature sampling, 温度采样) and
  :func:`beam_search` (束搜索, with length normalisation; :func:`beam_candidates` keeps all
  the beams);
- notebook 09 (注意力机制): :class:`helpers.attention.AttentionSeq2Seq` is a step model whose
  state carries the attention weights; notebook 10 decodes its translator with it and
  notebook 13 its SCAN models;
- notebooks 11 and 12 (Transformer): :class:`helpers.transformer.TransformerSeq2Seq` is a step
  model whose state holds a key–value cache (or the prefix, without the cache).

Keras models are called through :func:`as_function`, a ``tf.function`` made once per model.
Unknown characters never crash decoding: :meth:`helpers.text.Vocabulary.encode` turns them
into ``<unk>``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import keras
import numpy as np

from helpers._validate import check_int
from helpers.text import END_ID, PAD_ID, START_ID, Vocabulary, one_hot

PADDING = ("pre", "post")
MIN_PROBABILITY = 1e-30  # log(0) would be -inf: probabilities are clipped here first
_FUNCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

State = dict[str, Any]  # every value an array (NumPy or a tensor) with the batch axis first


class StepModel(Protocol):
    """What a seq2seq model gives the decoding functions (notebooks 06, 07, 09, 10)."""

    vocab_size: int  # size of the target vocabulary

    def start(self, source: Any) -> State:
        """Encode a batch of sources: the first state, a dict of arrays, batch axis first."""

    def step(self, tokens: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """Log-probabilities (batch, vocab_size) of the next token after ``tokens``, and the new state.

        ``tokens``: int32 (batch,), the previous token of each row (``<start>`` first).
        """


def as_function(model: keras.Model) -> Callable[[Any], Any]:
    """``model(inputs, training=False)`` as a ``tf.function``, made once per model and reused.

    A decoding loop calls its models once per token. ``model.predict`` costs tens of
    milliseconds per call and an eager ``model(...)`` call a few; a traced function costs
    well under one (notebook 06). It is traced again only for a new input shape.
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


def log_probs(probabilities: Any) -> np.ndarray:
    """``log(probabilities)`` in float64, probabilities clipped at 1e-30 first.

    What a step model built on a softmax returns (:class:`OneHotSeq2Seq`, notebook 06;
    :class:`helpers.attention.AttentionSeq2Seq`, notebook 09): a probability of 0 gives
    about -69, not ``-inf``, so that sampling and beam scores stay finite.
    """
    return np.log(np.maximum(np.asarray(probabilities, dtype="float64"), MIN_PROBABILITY))


def reorder(state: State, index: Any) -> State:
    """``state`` with the rows ``index`` of every array, gathered along axis 0 (notebook 07).

    Beam search uses it twice: ``np.repeat(np.arange(batch), width)`` makes ``width`` copies
    of each sequence's row, and the row each surviving beam came from follows the beams.
    NumPy arrays stay NumPy arrays; tensors are gathered by the Keras backend and stay
    tensors.
    """
    if not isinstance(state, dict):
        raise TypeError(f"state must be a dict of arrays, got {type(state).__name__}")
    index = np.asarray(index)
    if index.ndim != 1 or (index.size and index.dtype.kind not in "iu"):
        raise ValueError(f"index must be a rank-1 array of row numbers, got shape {index.shape} "
                         f"and dtype {index.dtype}")
    return {key: value[index] if isinstance(value, np.ndarray) else keras.ops.take(value, index, axis=0)
            for key, value in state.items()}


def _check_model(model: object) -> int:
    """``model.vocab_size``, after checking that ``model`` is a :class:`StepModel`."""
    missing = [name for name in ("vocab_size", "start", "step") if not hasattr(model, name)]
    if missing:
        hint = ("; wrap the seed's inference models: OneHotSeq2Seq(encoder_model, decoder_model)"
                if isinstance(model, keras.Model) else "")
        raise TypeError(f"model must be a StepModel (vocab_size, start, step), but a "
                        f"{type(model).__name__} has no {', '.join(missing)}{hint}")
    for name in ("start", "step"):
        if not callable(getattr(model, name)):
            raise TypeError(f"model.{name} must be a method, got {type(getattr(model, name)).__name__}")
    return check_int(model.vocab_size, "model.vocab_size", END_ID + 1)


def _check_state(model: object, state: object, method: str, rows: int | None = None) -> int:
    """The batch size of a state that ``model.method`` returned, after checking its form."""
    name = f"{type(model).__name__}.{method}"
    if not isinstance(state, dict) or not state:
        raise TypeError(f"{name} broke the StepModel contract: the state must be a non-empty dict "
                        f"of arrays, got {state!r:.60}")
    sizes = {key: np.shape(value)[0] if np.ndim(value) else None for key, value in state.items()}
    if len(set(sizes.values())) != 1 or None in sizes.values() or \
            (rows is not None and rows not in sizes.values()):
        expected = "" if rows is None else f" of {rows}"
        raise ValueError(f"{name} broke the StepModel contract: every array of the state must have "
                         f"the batch axis{expected} first, got leading sizes {sizes}")
    return next(iter(sizes.values()))


def _start(model: StepModel, source: Any, return_attention: bool = False) -> tuple[State, int]:
    """``model.start(source)`` and the batch size, checked."""
    state = model.start(source)
    batch = _check_state(model, state, "start")
    if return_attention and "attention" not in state:
        raise ValueError(f"return_attention=True, but {type(model).__name__} has no attention: its "
                         f"state holds {sorted(state)}, no 'attention'")
    return state, batch


def _step(model: StepModel, tokens: np.ndarray, state: State, *, check: bool) -> tuple[np.ndarray, State]:
    """``model.step(tokens, state)``; with ``check`` (the first step), its output is checked."""
    scores, new_state = model.step(tokens, state)
    if check:
        name = f"{type(model).__name__}.step"
        scores = np.asarray(scores)
        expected = (len(tokens), model.vocab_size)
        if scores.shape != expected:
            raise ValueError(f"{name} broke the StepModel contract: it returned log-probabilities "
                             f"of shape {scores.shape}, expected (batch, vocab_size) = {expected}")
        if np.isnan(scores).any() or (scores > 1e-4).any():
            raise ValueError(f"{name} broke the StepModel contract: it must return "
                             "log-probabilities (finite or -inf, never above 0), not probabilities "
                             "or logits; see decoding.log_probs")
        _check_state(model, new_state, "step", len(tokens))
        if sorted(new_state) != sorted(state):
            raise ValueError(f"{name} broke the StepModel contract: it returned a state with keys "
                             f"{sorted(new_state)}, start gave {sorted(state)}")
    return scores, new_state


def encode_inputs(
    texts: Sequence[str], vocab: Vocabulary, length: int | None = None, *, padding: str = "pre"
) -> np.ndarray:
    """The encoder's one-hot input for ``texts``: float32, shape (batch, length, len(vocab)).

    Taught in notebook 06. ``padding="pre"`` puts the ``<pad>`` steps *before* the text, so
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


def _check_encoder_input(encoder_input: Any, encoder_model: keras.Model, name: str) -> np.ndarray:
    x = np.asarray(encoder_input, dtype="float32")
    if x.ndim != 3:
        raise ValueError(
            f"{name} must have rank 3 (batch, time, vocabulary), got rank {x.ndim}; "
            "one sequence is a batch of one: x[None] or x[i:i + 1]"
        )
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {x.shape}")
    depth = _input_depth(encoder_model, 0)
    if depth is not None and x.shape[-1] != depth:
        raise ValueError(f"{name} has {x.shape[-1]} one-hot columns but encoder_model "
                         f"expects {depth}: was it encoded with another vocabulary?")
    return x


def _check_target_vocab(target_vocab: Vocabulary | None, depth: int, model: str) -> None:
    if target_vocab is None:
        return
    if not isinstance(target_vocab, Vocabulary):
        raise TypeError(f"target_vocab must be a Vocabulary, got {type(target_vocab).__name__}")
    if len(target_vocab) != depth:
        raise ValueError(f"target_vocab has {len(target_vocab)} ids but {model} predicts {depth}: "
                         "a vocabulary from another model?")


def ids_to_text(ids: Sequence[int] | np.ndarray, vocab: Vocabulary) -> str:
    """The text of one decoded id sequence: its tokens before the first ``<end>``.

    As the seed's loop builds its string: every token up to ``<end>`` is kept, so a stray
    ``<unk>`` or ``<pad>`` shows in the text instead of vanishing (notebook 06).
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


def _texts(ids: np.ndarray, target_vocab: Vocabulary | None) -> np.ndarray | list[str]:
    return ids if target_vocab is None else [ids_to_text(row, target_vocab) for row in ids]


@dataclass(frozen=True)
class OneHotSeq2Seq:
    """The seed's two inference models as a :class:`StepModel` (notebook 06).

    ``encoder_model`` maps a one-hot source (batch, time, source vocabulary) to
    ``[state_h, state_c]``; ``decoder_model`` maps ``[one-hot tokens (batch, 1, vocab_size),
    state_h, state_c]`` to ``[probabilities, state_h, state_c]``, as
    :func:`helpers.models.inference_models` makes them. The state is ``{"h", "c"}``.
    """

    encoder_model: keras.Model
    decoder_model: keras.Model

    def __post_init__(self) -> None:
        _check_models(self.encoder_model, self.decoder_model)

    @property
    def vocab_size(self) -> int:
        """The target vocabulary size: the decoder's one-hot depth."""
        return int(_input_depth(self.decoder_model, 0))

    @property
    def source_vocab_size(self) -> int | None:
        """The source vocabulary size: the encoder's one-hot depth."""
        return _input_depth(self.encoder_model, 0)

    def start(self, source: Any) -> State:
        """Encode a one-hot ``source`` of shape (batch, time, source vocabulary)."""
        h, c = as_function(self.encoder_model)(_check_encoder_input(source, self.encoder_model,
                                                                    "source"))
        return {"h": h, "c": c}

    def step(self, tokens: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """One decoder step for every row; the tokens are one-hot as in the seed's loop."""
        # A 1 at every token's id, <pad> included (helpers.text.one_hot would give <pad> the
        # all-zero vector), exactly what decode_sequence feeds.
        inputs = np.zeros((len(tokens), 1, self.vocab_size), dtype="float32")
        inputs[np.arange(len(tokens)), 0, tokens] = 1.0
        probabilities, h, c = as_function(self.decoder_model)([inputs, state["h"], state["c"]])
        return log_probs(np.asarray(probabilities)[:, -1]), {"h": h, "c": c}


def greedy_decode(
    model: StepModel,
    source: Any,
    *,
    max_length: int,
    target_vocab: Vocabulary | None = None,
    return_attention: bool = False,
) -> np.ndarray | list[str] | tuple[np.ndarray | list[str], np.ndarray]:
    """Greedy decoding (贪心解码) of a whole batch at once: one ``model.step`` per output step.

    This is :func:`decode_sequence` run on every sequence together. Each step feeds the
    token chosen for each sequence at the previous step and keeps its own state; a
    sequence that has produced ``<end>`` is finished, and the loop stops when all are
    (or after ``max_length`` steps). Taught in notebook 06.

    Args:
        model: a :class:`StepModel`: :class:`OneHotSeq2Seq` (notebook 06),
            :class:`helpers.attention.AttentionSeq2Seq` (notebook 09), ...
        source: a batch of sources as ``model.start`` takes them (one-hot for
            :class:`OneHotSeq2Seq`, as :func:`encode_inputs` makes it; padded ids for
            ``AttentionSeq2Seq``).
        max_length: the most tokens to produce per sequence, ``<end>`` included.
        target_vocab: if given, return strings (see :func:`ids_to_text`) instead of ids.
        return_attention: also return the attention weights, float32 of shape
            (batch, max_length, source length): the ``"attention"`` row of the state after
            each step. A ``ValueError`` for a model whose state has no ``"attention"``.

    Returns:
        int32 ids of shape (batch, max_length): the chosen tokens, ``<end>`` included,
        ``<pad>`` after it; or one string per sequence when ``target_vocab`` is given. With
        ``return_attention``, the pair ``(ids or strings, weights)``.
    """
    ids, weights = _token_by_token(model, source, max_length, target_vocab,
                                   lambda scores: np.argmax(scores, axis=-1), return_attention)
    return (_texts(ids, target_vocab), weights) if return_attention else _texts(ids, target_vocab)


def _token_by_token(
    model: StepModel,
    source: Any,
    max_length: int,
    target_vocab: Vocabulary | None,
    choose: Callable[[np.ndarray], np.ndarray],
    return_attention: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The batched decoding loop; ``choose`` picks each next token from (batch, vocab_size)."""
    depth = _check_model(model)
    max_length = _check_max_length(max_length)
    _check_target_vocab(target_vocab, depth, "the model")
    state, batch = _start(model, source, return_attention)

    tokens = np.full(batch, START_ID, dtype="int32")
    out = np.full((batch, max_length), PAD_ID, dtype="int32")
    weights = None
    if return_attention:
        weights = np.zeros((batch, max_length, *np.shape(state["attention"])[1:]), dtype="float32")
    done = np.zeros(batch, dtype=bool)
    for t in range(max_length):
        scores, state = _step(model, tokens, state, check=t == 0)
        tokens = np.asarray(choose(scores)).astype("int32")
        tokens[done] = PAD_ID
        out[:, t] = tokens
        if weights is not None:
            weights[:, t] = state["attention"]
        done |= tokens == END_ID
        if done.all():
            break
    return out, weights


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
    vocabulary). Written out by hand in notebook 06, on the two Keras models themselves;
    kept here to check :func:`greedy_decode` against (they give the same text).
    """
    depth = _check_models(encoder_model, decoder_model)
    max_length = _check_max_length(max_length)
    if target_vocab is None:
        raise TypeError("target_vocab must be a Vocabulary, got None")
    _check_target_vocab(target_vocab, depth, "decoder_model")
    x = _check_encoder_input(encoder_input, encoder_model, "encoder_input")
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
    model: OneHotSeq2Seq,
    texts: Sequence[str],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    *,
    max_length: int,
    source_length: int | None = None,
    padding: str = "pre",
) -> list[str]:
    """Texts in, decoded texts out: :func:`encode_inputs` then :func:`greedy_decode`.

    For the seed's one-hot model (:class:`OneHotSeq2Seq`). Use the ``source_length`` and
    ``padding`` the model was trained with (notebook 06). Characters ``source_vocab`` has
    not seen become ``<unk>``, never an error.
    """
    if not isinstance(model, OneHotSeq2Seq):
        raise TypeError(f"model must be a OneHotSeq2Seq (decode_texts makes one-hot input), "
                        f"got {type(model).__name__}")
    if not isinstance(source_vocab, Vocabulary):
        raise TypeError(f"source_vocab must be a Vocabulary, got {type(source_vocab).__name__}")
    depth = model.source_vocab_size
    if depth is not None and len(source_vocab) != depth:
        raise ValueError(f"source_vocab has {len(source_vocab)} ids but encoder_model expects "
                         f"{depth}: a vocabulary from another model?")
    x = encode_inputs(texts, source_vocab, source_length, padding=padding)
    return greedy_decode(model, x, max_length=max_length, target_vocab=target_vocab)


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
    model: StepModel,
    source: Any,
    *,
    max_length: int,
    temperature: float = 1.0,
    seed: int | np.random.Generator | None = None,
    target_vocab: Vocabulary | None = None,
) -> np.ndarray | list[str]:
    """Temperature sampling (温度采样), a whole batch at once (notebook 07).

    Like :func:`greedy_decode`, but each next token is *drawn* from the model's
    probabilities raised to the power ``1 / temperature`` (and renormalised):
    ``temperature=1`` samples from the model's own distribution, lower values sharpen it
    towards the greedy choice, higher values flatten it (more variety, more mistakes).
    ``seed`` (an int, a ``np.random.Generator`` or None) makes the draws repeatable.
    Returns ids of shape (batch, max_length), or strings when ``target_vocab`` is given.
    """
    temperature = _check_number(temperature, "temperature", 0, inclusive=False)
    rng = _rng(seed)

    def draw(scores: np.ndarray) -> np.ndarray:
        logits = np.asarray(scores, dtype="float64") / temperature
        weights = np.exp(logits - logits.max(axis=-1, keepdims=True))
        cumulative = np.cumsum(weights / weights.sum(axis=-1, keepdims=True), axis=-1)
        draws = rng.random((len(scores), 1))
        return np.minimum((cumulative < draws).sum(axis=-1), scores.shape[-1] - 1)

    ids, _ = _token_by_token(model, source, max_length, target_vocab, draw)
    return _texts(ids, target_vocab)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best scores along the last axis, best first, ties by position.

    Sorting a whole row of scores at every step would cost more than the model's step for
    a real vocabulary; ``top_k`` (which puts the lower index first among equal values)
    finds the ``k`` best without sorting the rest.
    """
    if k >= scores.shape[-1]:
        return np.argsort(-scores, axis=-1, kind="stable")[..., :k]
    return np.asarray(keras.ops.top_k(scores, k, sorted=True)[1])


def beam_candidates(
    model: StepModel,
    source: Any,
    *,
    max_length: int,
    width: int = 3,
    alpha: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Beam search (束搜索) for a whole batch: the ``width`` best finished replies of each.

    Taught in notebook 07. Each sequence keeps ``width`` unfinished prefixes (the beam);
    at every step each prefix is extended by every token, and the ``width`` extensions
    with the highest total log-probability stay. A prefix extended by ``<end>`` is a
    finished reply, scored with length normalisation (长度归一化)::

        score = log P(reply) / len(reply) ** alpha     (len counts the <end> token)

    Without it (``alpha=0``) short replies win, because every token multiplies in a
    probability below one; ``alpha=1`` scores the mean log-probability per token. A
    prefix still unfinished after ``max_length`` tokens is scored as it is. The search
    stops early once no unfinished prefix can beat the finished ones (exactly: a prefix's
    normalised score can rise at most to ``log P(prefix) / max_length ** alpha``).

    The beams of all sequences are the rows of one batch of ``batch * width`` rows; the
    state follows them with :func:`reorder`, so any :class:`StepModel` works.

    Returns:
        ``(ids, scores)``: int32 ids of shape (batch, width, max_length), ``<end>``
        included and ``<pad>`` after it, best first; and their float64 scores of shape
        (batch, width) (``-inf`` where fewer than ``width`` replies exist).
    """
    depth = _check_model(model)
    max_length = _check_max_length(max_length)
    width = check_int(width, "width", 1)
    alpha = _check_number(alpha, "alpha", 0, inclusive=True)
    state, batch = _start(model, source)
    state = reorder(state, np.repeat(np.arange(batch), width))  # width copies of every row

    rows = np.arange(batch)[:, None]
    alive_ids = np.full((batch, width, max_length), PAD_ID, dtype="int32")
    alive_scores = np.full((batch, width), -np.inf)
    alive_scores[:, 0] = 0.0  # one empty prefix to start from; the others are unused
    done_ids = np.full((batch, width, max_length), PAD_ID, dtype="int32")
    done_scores = np.full((batch, width), -np.inf)
    tokens = np.full(batch * width, START_ID, dtype="int32")
    for t in range(max_length):
        scores, state = _step(model, tokens, state, check=t == 0)
        scores = np.array(scores, dtype="float64").reshape(batch * width, depth)

        # Every prefix + <end> is a finished candidate; so is every prefix + token at the end.
        ended_ids = alive_ids.copy()
        ended_ids[:, :, t] = END_ID
        ended = alive_scores + scores[:, END_ID].reshape(batch, width)
        new_ids, new_scores = [ended_ids], [ended / (t + 1) ** alpha]
        scores[:, END_ID] = -np.inf
        # The best `width` extensions of a sequence are among the best `width` tokens of each
        # of its prefixes: choose those first, then among width * width candidates.
        tokens_of = _top(scores, width)                           # (batch * width, min(width, depth))
        per_beam = tokens_of.shape[-1]
        candidates = np.take_along_axis(scores, tokens_of, axis=-1).reshape(batch, width, per_beam)
        flat = (alive_scores[:, :, None] + candidates).reshape(batch, width * per_beam)
        best = _top(flat, width)
        beam = best // per_beam
        token = tokens_of.reshape(batch, width * per_beam)[rows, best].astype("int32")
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
        state = reorder(state, (rows * width + beam).reshape(-1))  # each beam's parent row
        tokens = token.reshape(-1)
    return done_ids, done_scores


def beam_search(
    model: StepModel,
    source: Any,
    *,
    max_length: int,
    width: int = 3,
    alpha: float = 1.0,
    target_vocab: Vocabulary | None = None,
) -> np.ndarray | list[str]:
    """The best reply of :func:`beam_candidates` for each sequence (notebook 07).

    ids of shape (batch, max_length) like :func:`greedy_decode`'s, or strings when
    ``target_vocab`` is given. With ``width=1, alpha=0`` the beam follows the greedy path,
    and every prefix of it + ``<end>`` is a candidate: the result is greedy decoding's reply
    when that ends with ``<end>`` and scores best, otherwise a shorter, more probable one.
    """
    _check_target_vocab(target_vocab, _check_model(model), "the model")
    ids, _ = beam_candidates(model, source, max_length=max_length, width=width, alpha=alpha)
    return _texts(ids[:, 0], target_vocab)
