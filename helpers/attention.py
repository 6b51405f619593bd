"""Attention layers, a seq2seq model with attention that the decoding functions take, and the heatmap.

Taught in notebook 09 (注意力机制), where the scores are first written out in NumPy:

- additive (Bahdanau) attention: ``score(q, k) = v . tanh(W1 q + W2 k)``;
- dot (Luong) attention: ``score(q, k) = q . k``; general (Luong): ``score(q, k) = q . W k``.

Every layer here takes ``query`` (batch, Tq, d), ``values`` (batch, Tv, d) and an optional
``mask`` (batch, Tv) that is true at real input steps; it returns ``(context, weights)``:
the weighted sums of the values, shape (batch, Tq, d), and the weights, shape
(batch, Tq, Tv), each row a softmax over the input steps (padded steps get weight 0).

:func:`build_seq2seq` returns an :class:`AttentionSeq2Seq`, which is a step model
(:class:`helpers.decoding.StepModel`, notebook 06): ``start(source_ids)`` encodes a batch of
padded ids and ``step(tokens, state)`` returns the next token's log-probabilities. Its state
carries the attention row of each step, so it goes straight into the decoding functions of
:mod:`helpers.decoding`, and ``decoding.greedy_decode(seq2seq, source_ids, max_length=...,
return_attention=True)`` returns the ids and the weights for the heatmaps (notebooks 09, 10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
from keras import ops

from helpers._validate import check_id_batch, check_int
from helpers.decoding import State, as_function, log_probs
from helpers.text import PAD_ID

SCORES = ("dot", "general", "additive")
_NEG = -1e9


def _check_ranks(query: Any, values: Any, mask: Any) -> None:
    for name, tensor in [("query", query), ("values", values)]:
        rank = len(tensor.shape)
        if rank != 3:
            raise ValueError(f"{name} must have rank 3 (batch, time, features), got rank {rank}")
    if mask is not None and len(mask.shape) != 2:
        raise ValueError(f"mask must have rank 2 (batch, input steps), got rank {len(mask.shape)}")


def masked_softmax(scores: Any, mask: Any = None) -> Any:
    """Softmax over the last axis of ``scores`` (batch, Tq, Tv); steps where ``mask`` is false get 0.

    Notebook 09. ``mask`` has shape (batch, Tv), true (or 1) at real input steps.
    """
    if mask is not None:
        keep = ops.cast(mask, "bool")[:, None, :]
        scores = ops.where(keep, scores, ops.full_like(scores, _NEG))
    weights = ops.softmax(scores, axis=-1)
    if mask is not None:
        weights = weights * ops.cast(keep, weights.dtype)
    return weights


class _Attention(keras.layers.Layer):
    """Shared call: scores -> masked softmax -> context (notebook 09)."""

    def scores(self, query: Any, values: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def call(self, query: Any, values: Any, mask: Any = None) -> tuple[Any, Any]:
        _check_ranks(query, values, mask)
        weights = masked_softmax(self.scores(query, values), mask)
        context = ops.matmul(weights, values)
        return context, weights

    def compute_mask(self, *args: Any, **kwargs: Any) -> None:
        return None


class BahdanauAttention(_Attention):
    """Additive attention (Bahdanau et al. 2015), written out in notebook 09.

    ``score(q, k) = v . tanh(W1 q + W2 k)`` with learned ``W1``, ``W2`` (``units`` wide)
    and ``v``. Keras's ``AdditiveAttention`` has no ``W1``/``W2``: it is the special case
    ``W1 = W2 = identity`` with a learned scale vector in place of ``v``.
    """

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.units = check_int(units, "units", 1)
        self.w1 = keras.layers.Dense(units, use_bias=False, name="w1")
        self.w2 = keras.layers.Dense(units, use_bias=False, name="w2")
        self.v = keras.layers.Dense(1, use_bias=False, name="v")

    def build(self, query_shape: Any, values_shape: Any = None, mask_shape: Any = None) -> None:
        self.w1.build(query_shape)
        self.w2.build(values_shape if values_shape is not None else query_shape)
        self.v.build((None, None, None, self.units))
        self.built = True

    def scores(self, query: Any, values: Any) -> Any:
        # (batch, Tq, 1, units) + (batch, 1, Tv, units) -> (batch, Tq, Tv, units) -> (batch, Tq, Tv)
        hidden = ops.tanh(ops.expand_dims(self.w1(query), 2) + ops.expand_dims(self.w2(values), 1))
        return ops.squeeze(self.v(hidden), -1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "units": self.units}


class LuongAttention(_Attention):
    """Multiplicative attention (Luong et al. 2015), written out in notebook 09.

    ``score="dot"``: ``score(q, k) = q . k`` (no weights; Keras's ``Attention`` with
    ``use_scale=False`` is the same); ``score="general"``: ``score(q, k) = q . W k`` with a
    learned square ``W``.
    """

    def __init__(self, score: str = "general", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if score not in ("dot", "general"):
            raise ValueError(f"score must be 'dot' or 'general', got {score!r}")
        self.score = score
        self.w = None

    def build(self, query_shape: Any, values_shape: Any = None, mask_shape: Any = None) -> None:
        if self.score == "general":
            dim = (values_shape or query_shape)[-1]
            self.w = keras.layers.Dense(query_shape[-1], use_bias=False, name="w")
            self.w.build((None, None, dim))
        self.built = True

    def scores(self, query: Any, values: Any) -> Any:
        keys = self.w(values) if self.w is not None else values
        if query.shape[-1] is not None and keys.shape[-1] is not None and \
                query.shape[-1] != keys.shape[-1]:
            raise ValueError(f"query has {query.shape[-1]} features but values has "
                             f"{keys.shape[-1]}: dot scores need equal sizes (use score='general')")
        return ops.matmul(query, ops.transpose(keys, (0, 2, 1)))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "score": self.score}


def make_attention(kind: str, units: int) -> _Attention:
    """The attention layer named by ``kind``: "additive", "dot" or "general" (notebook 09)."""
    if kind not in SCORES:
        raise ValueError(f"kind must be one of {SCORES}, got {kind!r}")
    return BahdanauAttention(units, name="attention") if kind == "additive" else \
        LuongAttention(kind, name="attention")


@dataclass(frozen=True)
class AttentionSeq2Seq:
    """What :func:`build_seq2seq` returns (notebook 09); a step model for :mod:`helpers.decoding`.

    ``model``: ``[encoder ids, decoder ids]`` -> next-token probabilities (teacher forcing).
    ``encoder_model``: encoder ids -> ``[encoder outputs, mask, state_h, state_c]``.
    ``step_model``: ``[token ids (batch, 1), encoder outputs, mask, state_h, state_c]`` ->
    ``[probabilities, state_h, state_c, attention weights]``; without attention the
    weights are all zero. ``attention`` is ``None`` for the model without attention.

    :meth:`start` and :meth:`step` drive the two inference models for the decoding
    functions; the state holds ``"memory"`` (the encoder outputs), ``"mask"``, ``"h"``,
    ``"c"`` and ``"attention"``, the weights the last step used (batch, source length).
    """

    model: keras.Model
    encoder_model: keras.Model
    step_model: keras.Model
    attention: str | None

    @property
    def vocab_size(self) -> int:
        """The target vocabulary size: the width of the step model's softmax."""
        return int(self.step_model.outputs[0].shape[-1])

    def start(self, source_ids: Any) -> State:
        """Encode a batch of padded source ids, int of shape (batch, time)."""
        x = check_id_batch(source_ids)
        memory, mask, h, c = as_function(self.encoder_model)(x.astype("int32"))
        # Tensors stay tensors: converting the memory at every step would copy it each time.
        return {"memory": memory, "mask": mask, "h": h, "c": c,
                "attention": np.zeros(x.shape, dtype="float32")}

    def step(self, tokens: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """One decoder step for every row: log-probabilities (batch, vocab_size), new state."""
        probs, h, c, weights = as_function(self.step_model)(
            [np.asarray(tokens, dtype="int32")[:, None], state["memory"], state["mask"],
             state["h"], state["c"]])
        return log_probs(np.asarray(probs)[:, -1]), {
            **state, "h": h, "c": c, "attention": np.asarray(weights)[:, -1]}


def build_seq2seq(
    source_vocab_size: int,
    target_vocab_size: int,
    units: int = 64,
    *,
    embedding_dim: int = 16,
    attention: str | None = "general",
    output_units: int | None = None,
) -> AttentionSeq2Seq:
    """Notebook 06's seq2seq on integer ids, with attention over the encoder outputs (notebook 09).

    The encoder is ``Embedding(mask_zero=True) -> LSTM(return_sequences, return_state)``;
    the decoder LSTM starts from the encoder's final state (the thought vector) and is fed
    the true previous token (teacher forcing). With ``attention`` ("additive", "dot" or
    "general") each decoder output attends over the encoder outputs, and the softmax
    ``Dense`` reads ``[decoder output; context]``; with ``attention=None`` it reads the
    decoder output alone (notebook 06's model). With ``output_units`` a ``Dense`` layer of
    that width with ``tanh`` sits before the softmax (Luong et al.'s attentional hidden
    state, ``tanh(W [h; c])``): the softmax, the costliest layer when the vocabulary is
    large, then reads ``output_units`` numbers instead of ``2 * units`` (notebook 10).
    Compiled with Adam and sparse categorical cross-entropy; ``<pad>`` (id 0) targets
    must be given sample weight 0.
    """
    check_int(source_vocab_size, "source_vocab_size", 2)
    check_int(target_vocab_size, "target_vocab_size", 2)
    check_int(units, "units", 1)
    check_int(embedding_dim, "embedding_dim", 1)
    if output_units is not None:
        check_int(output_units, "output_units", 1)
    if attention is not None and attention not in SCORES:
        raise ValueError(f"attention must be one of {SCORES} or None, got {attention!r}")
    L = keras.layers
    enc_in = keras.Input((None,), dtype="int32", name="encoder_ids")
    dec_in = keras.Input((None,), dtype="int32", name="decoder_ids")
    enc_embed = L.Embedding(source_vocab_size, embedding_dim, mask_zero=True, name="encoder_embedding")
    dec_embed = L.Embedding(target_vocab_size, embedding_dim, name="decoder_embedding")
    enc_lstm = L.LSTM(units, return_sequences=True, return_state=True, name="encoder_lstm")
    dec_lstm = L.LSTM(units, return_sequences=True, return_state=True, name="decoder_lstm")
    layer = make_attention(attention, units) if attention else None
    dense = L.Dense(target_vocab_size, activation="softmax", name="decoder_dense")
    hidden = L.Dense(output_units, activation="tanh", name="decoder_hidden") if output_units else None

    def predict(features: Any) -> Any:
        return dense(hidden(features) if hidden is not None else features)

    def decode(tokens: Any, enc_out: Any, mask: Any, states: list) -> tuple:
        out, h, c = dec_lstm(dec_embed(tokens), initial_state=states)
        if layer is None:
            # No attention: weights of zero, shape (batch, output steps, input steps).
            weights = ops.matmul(out * 0.0, ops.transpose(enc_out * 0.0, (0, 2, 1)))
            return predict(out), h, c, weights
        context, weights = layer(out, enc_out, mask)
        return predict(L.Concatenate()([out, context])), h, c, weights

    enc_out, enc_h, enc_c = enc_lstm(enc_embed(enc_in))
    mask = L.Lambda(lambda ids: ops.cast(ops.not_equal(ids, PAD_ID), "float32"),
                    name="source_mask")(enc_in)
    probs, _, _, _ = decode(dec_in, enc_out, mask, [enc_h, enc_c])
    model = keras.Model([enc_in, dec_in], probs, name="seq2seq_" + (attention or "plain"))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  weighted_metrics=[])

    encoder_model = keras.Model(enc_in, [enc_out, mask, enc_h, enc_c], name="encoder_model")
    token = keras.Input((1,), dtype="int32", name="token")
    memory = keras.Input((None, units), name="encoder_outputs")
    memory_mask = keras.Input((None,), name="mask")
    h_in, c_in = keras.Input((units,), name="state_h"), keras.Input((units,), name="state_c")
    step_probs, h, c, weights = decode(token, memory, memory_mask, [h_in, c_in])
    step_model = keras.Model([token, memory, memory_mask, h_in, c_in],
                             [step_probs, h, c, weights], name="step_model")
    return AttentionSeq2Seq(model, encoder_model, step_model, attention)


def plot_attention(
    weights: Any, source_tokens: Sequence[str], target_tokens: Sequence[str], *,
    ax: Any = None, title: str | None = None, colorbar: bool = False,
) -> Any:
    """Heatmap of one sequence's attention weights: output steps down, input steps across.

    Notebook 09. ``weights`` has shape (len(target_tokens), len(source_tokens)) (extra
    rows or columns, such as padding, are cut off). The colours run from 0 to 1; with
    ``colorbar=True`` a colour bar labelled "attention weight" sits beside the heatmap
    (notebooks 10 and 12 draw one bar for a whole row of heatmaps instead). Returns the
    matplotlib ``Figure``.
    """
    import matplotlib.pyplot as plt

    if not isinstance(colorbar, bool):
        raise TypeError(f"colorbar must be True or False, got {colorbar!r}")
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"weights must have rank 2 (output steps, input steps), got rank {w.ndim}")
    for name, tokens in [("source_tokens", source_tokens), ("target_tokens", target_tokens)]:
        if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
            raise TypeError(f"{name} must be a list of strings")
        if not tokens:
            raise ValueError(f"{name} is empty")
    if w.shape[0] < len(target_tokens) or w.shape[1] < len(source_tokens):
        raise ValueError(f"weights has shape {w.shape}, smaller than "
                         f"({len(target_tokens)}, {len(source_tokens)}) tokens")
    w = w[: len(target_tokens), : len(source_tokens)]
    if ax is None:
        size = (max(3.0, 0.22 * len(source_tokens) + 1.5), max(2.5, 0.22 * len(target_tokens) + 1))
        fig, ax = plt.subplots(figsize=size)
    else:
        fig = ax.figure
    image = ax.imshow(w, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source_tokens)), list(source_tokens), fontsize=7)
    ax.set_yticks(range(len(target_tokens)), list(target_tokens), fontsize=7)
    ax.grid(False)
    ax.set_xlabel("input step")
    ax.set_ylabel("output step")
    if title:
        ax.set_title(title)
    if colorbar:
        fig.colorbar(image, ax=ax, label="attention weight")
    return fig
