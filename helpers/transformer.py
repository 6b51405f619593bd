"""The Transformer (Vaswani et al. 2017) as a step model for :mod:`helpers.decoding` (notebook 11).

Notebook 11 (Transformer) writes each piece out in NumPy first and checks it against Keras;
this module holds the same pieces as Keras layers, for the translator race and later use:

- :func:`positional_encoding`: the sinusoidal position table, shape (length, depth);
- :class:`MultiHeadAttention`: multi-head attention from its four projections, equal to
  ``keras.layers.MultiHeadAttention`` given the same weights (:func:`copy_keras_mha`); it
  can append to a key/value cache (键值缓存) so that decoding one token costs one position;
- :class:`PositionEmbedding`: token embedding plus a sinusoidal or a learned position
  embedding;
- :class:`EncoderBlock`, :class:`DecoderBlock`: self-attention (causal in the decoder),
  cross-attention, feed-forward; each sub-layer is ``x + Dropout(f(LayerNorm(x)))``;
- :func:`build_transformer` returns a :class:`TransformerSeq2Seq`: the teacher-forced Keras
  ``model`` and ``start``/``step`` for greedy, sampling and beam search. With ``cache=True``
  (the default) a step feeds one token and reuses the keys and values of earlier steps; with
  ``cache=False`` it re-runs the decoder on the whole prefix, as a first implementation
  would: the same outputs, a cost that grows with the square of the output length.

Ids follow the course: ``<pad>`` is 0 and masked everywhere; ``<start>`` opens the decoder input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import keras
import numpy as np
from keras import ops

from helpers._validate import check_id_batch, check_int
from helpers.decoding import State, log_probs
from helpers.text import PAD_ID

POSITIONS = ("sinusoidal", "learned")
NEG_INF = -1e9  # added to the scores of masked keys before the softmax


def positional_encoding(length: int, depth: int) -> np.ndarray:
    """Sinusoidal positions (正弦位置编码), float32 of shape (length, depth) (notebook 11).

    Column ``2i`` is ``sin(pos / 10000 ** (2i / depth))`` and column ``2i + 1`` the cosine of
    the same angle: every position gets its own pattern, and nearby positions similar ones.
    """
    length = check_int(length, "length", 1)
    depth = check_int(depth, "depth", 2)
    if depth % 2:
        raise ValueError(f"depth must be even (sine and cosine pairs), got {depth}")
    position = np.arange(length)[:, None]
    rates = 1.0 / 10000 ** (np.arange(0, depth, 2) / depth)
    table = np.zeros((length, depth))
    table[:, 0::2] = np.sin(position * rates)
    table[:, 1::2] = np.cos(position * rates)
    return table.astype("float32")


class MultiHeadAttention(keras.layers.Layer):
    """Multi-head attention (多头注意力) written from its projections (notebook 11).

    ``call(query, value, attention_mask=None, cache=None)``: the query (batch, Tq, d) and the
    value (batch, Tv, d) are projected to ``num_heads`` heads of ``key_dim`` numbers; each
    head computes ``softmax(q k^T / sqrt(key_dim)) v`` over the keys the boolean mask
    (batch, Tq, Tv) allows; the heads are joined and projected back to d. It returns
    ``(output, weights)`` with weights (batch, num_heads, Tq, Tv). With ``cache=(k, v)``,
    the projected keys and values of earlier positions (batch, T, num_heads * key_dim), the
    new ones are appended, and the result is ``(output, weights, (k, v))``.
    """

    def __init__(self, num_heads: int, key_dim: int, output_dim: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.num_heads = check_int(num_heads, "num_heads", 1)
        self.key_dim = check_int(key_dim, "key_dim", 1)
        self.output_dim = None if output_dim is None else check_int(output_dim, "output_dim", 1)
        width = num_heads * key_dim
        self.query_dense = keras.layers.Dense(width, name="query")
        self.key_dense = keras.layers.Dense(width, name="key")
        self.value_dense = keras.layers.Dense(width, name="value")
        # The output projection goes back to the query's width, known at build time.
        self.output_dense = None if output_dim is None else keras.layers.Dense(output_dim, name="output")

    def build(self, query_shape: Any, value_shape: Any = None, attention_mask_shape: Any = None,
              cache_shape: Any = None) -> None:
        value_shape = value_shape or query_shape
        if self.output_dense is None:
            self.output_dim = int(query_shape[-1])
            self.output_dense = keras.layers.Dense(self.output_dim, name="output")
        self.query_dense.build(query_shape)
        self.key_dense.build(value_shape)
        self.value_dense.build(value_shape)
        self.output_dense.build((*query_shape[:-1], self.num_heads * self.key_dim))
        self.built = True

    def project_memory(self, value: Any) -> tuple[Any, Any]:
        """The keys and values of ``value`` (batch, Tv, d): cached once for cross-attention."""
        return self.key_dense(value), self.value_dense(value)

    def _heads(self, x: Any) -> Any:
        batch, time = ops.shape(x)[0], ops.shape(x)[1]
        return ops.transpose(ops.reshape(x, (batch, time, self.num_heads, self.key_dim)), (0, 2, 1, 3))

    def attend(self, query: Any, keys: Any, values: Any, attention_mask: Any = None) -> tuple[Any, Any]:
        """Attention of ``query`` (batch, Tq, d) over projected ``keys`` and ``values``."""
        q = self._heads(self.query_dense(query))
        k, v = self._heads(keys), self._heads(values)
        scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / math.sqrt(self.key_dim)
        if attention_mask is not None:
            allowed = ops.expand_dims(ops.cast(attention_mask, "bool"), 1)
            scores = ops.where(allowed, scores, ops.cast(NEG_INF, scores.dtype))
        # softmax written out: Keras's ops.softmax warns on a single key (the first cached step)
        weights = ops.exp(scores - ops.max(scores, axis=-1, keepdims=True))
        weights = weights / ops.sum(weights, axis=-1, keepdims=True)
        context = ops.transpose(ops.matmul(weights, v), (0, 2, 1, 3))
        batch, time = ops.shape(context)[0], ops.shape(context)[1]
        joined = ops.reshape(context, (batch, time, self.num_heads * self.key_dim))
        return self.output_dense(joined), weights

    def call(self, query: Any, value: Any = None, attention_mask: Any = None,
             cache: tuple[Any, Any] | None = None) -> tuple:
        value = query if value is None else value
        keys, values = self.project_memory(value)
        if cache is None:
            return self.attend(query, keys, values, attention_mask)
        keys = ops.concatenate([cache[0], keys], axis=1)
        values = ops.concatenate([cache[1], values], axis=1)
        output, weights = self.attend(query, keys, values, attention_mask)
        return output, weights, (keys, values)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "output_dim": self.output_dim}


def copy_keras_mha(keras_mha: keras.layers.MultiHeadAttention, mha: MultiHeadAttention) -> None:
    """Give ``mha`` the weights of a built ``keras.layers.MultiHeadAttention`` (notebook 11).

    Keras keeps each projection as an ``EinsumDense`` kernel (d, heads, key_dim) and bias
    (heads, key_dim), the output one as (heads, key_dim, d): reshaped, they are the
    kernels of :class:`MultiHeadAttention`'s ``Dense`` layers.
    """
    if not isinstance(keras_mha, keras.layers.MultiHeadAttention) or not keras_mha.built:
        raise TypeError("keras_mha must be a built keras.layers.MultiHeadAttention")
    if not isinstance(mha, MultiHeadAttention) or not mha.built:
        raise TypeError("mha must be a built helpers.transformer.MultiHeadAttention")
    if (keras_mha.num_heads, keras_mha.key_dim) != (mha.num_heads, mha.key_dim):
        raise ValueError(f"mha has {mha.num_heads} heads of {mha.key_dim}, keras_mha "
                         f"{keras_mha.num_heads} of {keras_mha.key_dim}")
    width = mha.num_heads * mha.key_dim
    pairs = [(keras_mha.query_dense, mha.query_dense), (keras_mha.key_dense, mha.key_dense),
             (keras_mha.value_dense, mha.value_dense)]
    for source, target in pairs:
        kernel, bias = source.get_weights()
        target.set_weights([kernel.reshape(kernel.shape[0], width), bias.reshape(width)])
    kernel, bias = keras_mha.output_dense.get_weights()
    mha.output_dense.set_weights([kernel.reshape(width, kernel.shape[-1]), bias])


class PositionEmbedding(keras.layers.Layer):
    """Token embedding plus a position embedding (位置编码, notebook 11).

    ``position="sinusoidal"`` adds :func:`positional_encoding` (fixed, defined at every
    position) to the token embedding times sqrt(d_model), as Vaswani et al. do, so that the
    two have a similar scale; ``"learned"`` adds a trained ``Embedding(max_length, d_model)``
    to the token embedding as it is (as BERT and GPT do), which knows
    nothing about positions it never saw in training. ``call(ids, offset=0)`` embeds ids
    that start at position ``offset`` (a decoding step feeds one token at a time).
    """

    def __init__(self, vocab_size: int, d_model: int, max_length: int,
                 position: str = "sinusoidal", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if position not in POSITIONS:
            raise ValueError(f"position must be one of {POSITIONS}, got {position!r}")
        self.vocab_size = check_int(vocab_size, "vocab_size", 2)
        self.d_model = check_int(d_model, "d_model", 2)
        self.max_length = check_int(max_length, "max_length", 1)
        if position == "sinusoidal" and self.d_model % 2:
            raise ValueError(f"d_model must be even for sinusoidal positions, got {d_model}")
        self.position = position
        self.tokens = keras.layers.Embedding(vocab_size, d_model, name="tokens")
        if position == "learned":
            self.positions = keras.layers.Embedding(max_length, d_model, name="positions")
        else:
            self.table = ops.convert_to_tensor(positional_encoding(max_length, d_model))

    def build(self, ids_shape: Any, offset_shape: Any = None) -> None:
        self.tokens.build(ids_shape)
        if self.position == "learned":
            self.positions.build((None,))
        self.built = True

    def call(self, ids: Any, offset: Any = 0) -> Any:
        steps = ops.arange(ops.shape(ids)[1]) + ops.cast(offset, "int32")
        steps = ops.minimum(steps, self.max_length - 1)
        where = self.positions(steps) if self.position == "learned" else ops.take(self.table, steps, axis=0)
        scale = math.sqrt(self.d_model) if self.position == "sinusoidal" else 1.0
        return self.tokens(ids) * scale + where[None]

    def compute_mask(self, *args: Any, **kwargs: Any) -> None:
        return None

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "vocab_size": self.vocab_size, "d_model": self.d_model,
                "max_length": self.max_length, "position": self.position}


class _Block(keras.layers.Layer):
    """What both blocks share: the feed-forward network and the residual sub-layer."""

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.1,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.d_model = check_int(d_model, "d_model", 1)
        self.num_heads = check_int(num_heads, "num_heads", 1)
        self.ff_dim = check_int(ff_dim, "ff_dim", 1)
        if d_model % num_heads:
            raise ValueError(f"d_model ({d_model}) must be a multiple of num_heads ({num_heads})")
        if isinstance(dropout, bool) or not isinstance(dropout, int | float) or not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
        self.rate = float(dropout)
        self.ff_in = keras.layers.Dense(ff_dim, activation="relu", name="ff_in")
        self.ff_out = keras.layers.Dense(d_model, name="ff_out")
        self.dropout = keras.layers.Dropout(dropout)

    def _build_feed_forward(self, x_shape: Any) -> None:
        self.ff_in.build(x_shape)
        self.ff_out.build((*x_shape[:-1], self.ff_dim))

    def residual(self, x: Any, change: Any, training: Any = None) -> Any:
        return x + self.dropout(change, training=training)

    def feed_forward(self, x: Any, norm: keras.layers.Layer, training: Any = None) -> Any:
        return self.residual(x, self.ff_out(self.ff_in(norm(x))), training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "d_model": self.d_model, "num_heads": self.num_heads,
                "ff_dim": self.ff_dim, "dropout": self.rate}


class EncoderBlock(_Block):
    """Self-attention over the source, then a feed-forward network (编码器块, notebook 11).

    ``call(x, source_mask)``: x (batch, S, d_model), ``source_mask`` (batch, S), true at
    real tokens. Returns ``(x, weights)``.
    """

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.1,
                 **kwargs: Any) -> None:
        super().__init__(d_model, num_heads, ff_dim, dropout, **kwargs)
        self.attention = MultiHeadAttention(num_heads, d_model // num_heads, d_model, name="self_attention")
        self.norm1 = keras.layers.LayerNormalization(epsilon=1e-6, name="norm1")
        self.norm2 = keras.layers.LayerNormalization(epsilon=1e-6, name="norm2")

    def build(self, x_shape: Any, source_mask_shape: Any = None) -> None:
        self.attention.build(x_shape, x_shape)
        for norm in (self.norm1, self.norm2):
            norm.build(x_shape)
        self._build_feed_forward(x_shape)
        self.built = True

    def call(self, x: Any, source_mask: Any, training: Any = None) -> tuple[Any, Any]:
        h = self.norm1(x)
        change, weights = self.attention(h, h, attention_mask=ops.expand_dims(source_mask, 1))
        x = self.residual(x, change, training)
        return self.feed_forward(x, self.norm2, training), weights


def causal_mask(length: Any) -> Any:
    """Boolean (length, length), true on and below the diagonal: step t sees steps 0..t."""
    steps = ops.arange(length)
    return ops.greater_equal(steps[:, None], steps[None, :])


class DecoderBlock(_Block):
    """Causal self-attention, cross-attention over the encoder, feed-forward (解码器块, notebook 11).

    ``call(x, memory, source_mask)`` for teacher forcing: every target position at once, each
    seeing only itself and earlier ones (the causal mask). :meth:`forward` is the same with
    the encoder's keys and values already projected (``cross``, from
    :meth:`MultiHeadAttention.project_memory`: decoding projects them once, not at every
    step) and, with ``cache``, for new positions only: the self-attention keys and values of
    the earlier positions are in ``cache``, so nothing is masked, and the new cache comes back.
    """

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.1,
                 **kwargs: Any) -> None:
        super().__init__(d_model, num_heads, ff_dim, dropout, **kwargs)
        key_dim = d_model // num_heads
        self.self_attention = MultiHeadAttention(num_heads, key_dim, d_model, name="self_attention")
        self.cross_attention = MultiHeadAttention(num_heads, key_dim, d_model, name="cross_attention")
        self.norm1 = keras.layers.LayerNormalization(epsilon=1e-6, name="norm1")
        self.norm2 = keras.layers.LayerNormalization(epsilon=1e-6, name="norm2")
        self.norm3 = keras.layers.LayerNormalization(epsilon=1e-6, name="norm3")

    def build(self, x_shape: Any, memory_shape: Any = None, source_mask_shape: Any = None) -> None:
        self.self_attention.build(x_shape, x_shape)
        self.cross_attention.build(x_shape, memory_shape or x_shape)
        for norm in (self.norm1, self.norm2, self.norm3):
            norm.build(x_shape)
        self._build_feed_forward(x_shape)
        self.built = True

    def call(self, x: Any, memory: Any, source_mask: Any, training: Any = None) -> tuple[Any, Any]:
        x, weights, _ = self.forward(x, self.cross_attention.project_memory(memory), source_mask,
                                     training=training)
        return x, weights

    def forward(self, x: Any, cross: tuple[Any, Any], source_mask: Any, cache: Any = None,
                training: Any = None) -> tuple[Any, Any, Any]:
        """``(x, cross-attention weights, cache)``; the cache is ``None`` without one."""
        h = self.norm1(x)
        if cache is None:
            change, _ = self.self_attention(h, h, attention_mask=causal_mask(ops.shape(x)[1])[None])
        else:
            change, _, cache = self.self_attention(h, h, cache=cache)   # all earlier steps visible
        x = self.residual(x, change, training)
        change, weights = self.cross_attention.attend(self.norm2(x), *cross,
                                                      attention_mask=ops.expand_dims(source_mask, 1))
        x = self.residual(x, change, training)
        return self.feed_forward(x, self.norm3, training), weights, cache


@dataclass
class TransformerSeq2Seq:
    """What :func:`build_transformer` returns (notebook 11); a step model for :mod:`helpers.decoding`.

    ``model``: ``[encoder ids, decoder ids]`` -> next-token probabilities (teacher forcing),
    compiled like :func:`helpers.attention.build_seq2seq`'s. ``cache``: whether :meth:`step`
    keeps the keys and values of earlier steps (True) or re-runs the decoder on the whole
    prefix (False). The state holds the encoder output's projected keys and values per
    layer, the source mask, the cache or the prefix, and ``"attention"``: the last layer's
    cross-attention weights of the last step, averaged over heads (batch, source length);
    ``"heads"`` keeps them per head (batch, heads, source length).
    """

    model: keras.Model
    encoder_embedding: PositionEmbedding
    decoder_embedding: PositionEmbedding
    encoder_blocks: list[EncoderBlock]
    decoder_blocks: list[DecoderBlock]
    encoder_norm: keras.layers.Layer
    decoder_norm: keras.layers.Layer
    output_layer: keras.layers.Dense
    cache: bool = True
    _functions: dict = field(default_factory=dict, repr=False)

    def with_cache(self, cache: bool) -> TransformerSeq2Seq:
        """The same model (the same layers and weights) decoding with or without the cache."""
        if not isinstance(cache, bool):
            raise TypeError(f"cache must be True or False, got {cache!r}")
        return replace(self, cache=cache, _functions={})

    @property
    def vocab_size(self) -> int:
        """The target vocabulary size: the width of the softmax."""
        return int(self.output_layer.units)

    def _function(self, name: str) -> Any:
        if name not in self._functions:
            import tensorflow as tf

            self._functions[name] = tf.function(getattr(self, "_" + name), reduce_retracing=True)
        return self._functions[name]

    def _encode(self, ids: Any) -> tuple:
        mask = ops.not_equal(ids, PAD_ID)
        x = self.encoder_embedding(ids)
        for block in self.encoder_blocks:
            x, _ = block(x, mask)
        memory = self.encoder_norm(x)
        cross = [block.cross_attention.project_memory(memory) for block in self.decoder_blocks]
        return mask, cross

    def _step_cached(self, tokens: Any, mask: Any, cross: list, caches: list) -> tuple:
        offset = ops.shape(caches[0][0])[1]
        x = self.decoder_embedding(tokens[:, None], offset=offset)
        new = []
        for block, kv, cache in zip(self.decoder_blocks, cross, caches, strict=True):
            x, weights, cache = block.forward(x, kv, mask, cache=cache)
            new.append(cache)
        probs = self.output_layer(self.decoder_norm(x))[:, -1]
        return probs, weights[:, :, -1], new

    def _step_prefix(self, prefix: Any, mask: Any, cross: list) -> tuple:
        x = self.decoder_embedding(prefix)
        for block, kv in zip(self.decoder_blocks, cross, strict=True):
            x, weights, _ = block.forward(x, kv, mask)
        probs = self.output_layer(self.decoder_norm(x))[:, -1]
        return probs, weights[:, :, -1]

    def start(self, source_ids: Any) -> State:
        """Encode a batch of padded source ids, int of shape (batch, time)."""
        x = check_id_batch(source_ids)
        mask, cross = self._function("encode")(x.astype("int32"))
        state: State = {"mask": mask, "attention": np.zeros(x.shape, dtype="float32"),
                        "heads": np.zeros((len(x), self.decoder_blocks[0].num_heads, x.shape[1]),
                                          dtype="float32")}
        width = self.decoder_blocks[0].d_model
        for i, (keys, values) in enumerate(cross):
            state[f"cross_k{i}"], state[f"cross_v{i}"] = keys, values
            if self.cache:
                empty = np.zeros((len(x), 0, width), dtype="float32")
                state[f"self_k{i}"], state[f"self_v{i}"] = empty, empty
        if not self.cache:
            state["prefix"] = np.zeros((len(x), 0), dtype="int32")
        return state

    def step(self, tokens: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """One decoder step for every row: log-probabilities (batch, vocab_size), new state."""
        tokens = np.asarray(tokens, dtype="int32")
        layers = range(len(self.decoder_blocks))
        cross = [(state[f"cross_k{i}"], state[f"cross_v{i}"]) for i in layers]
        new = dict(state)
        if self.cache:
            caches = [(state[f"self_k{i}"], state[f"self_v{i}"]) for i in layers]
            probs, heads, caches = self._function("step_cached")(tokens, state["mask"], cross, caches)
            for i, (keys, values) in enumerate(caches):
                new[f"self_k{i}"], new[f"self_v{i}"] = keys, values
        else:
            new["prefix"] = np.concatenate([np.asarray(state["prefix"]), tokens[:, None]], axis=1)
            probs, heads = self._function("step_prefix")(new["prefix"], state["mask"], cross)
        heads = np.asarray(heads)
        new["heads"], new["attention"] = heads, heads.mean(axis=1)
        return log_probs(np.asarray(probs)), new


def build_transformer(
    source_vocab_size: int,
    target_vocab_size: int,
    *,
    d_model: int = 128,
    num_heads: int = 4,
    ff_dim: int = 256,
    num_layers: int = 2,
    dropout: float = 0.1,
    max_length: int = 64,
    position: str = "sinusoidal",
    learning_rate: float = 1e-3,
    steps_per_execution: int = 1,
) -> TransformerSeq2Seq:
    """An encoder–decoder Transformer on integer ids (notebook 11), compiled with Adam.

    ``num_layers`` encoder and decoder blocks of width ``d_model`` with ``num_heads`` heads
    and a feed-forward layer of ``ff_dim``; layer normalisation before each sub-layer and
    after the last block (the "pre-LN" arrangement: it trains without a warm-up). Positions
    ``position`` ("sinusoidal" or "learned") up to ``max_length``. The loss is sparse
    categorical cross-entropy; ``<pad>`` (id 0) targets must get sample weight 0.
    ``steps_per_execution`` batches are trained per call into TensorFlow (notebook 10).
    """
    for value, name in [(source_vocab_size, "source_vocab_size"), (target_vocab_size, "target_vocab_size")]:
        check_int(value, name, 2)
    check_int(num_layers, "num_layers", 1)
    check_int(steps_per_execution, "steps_per_execution", 1)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, int | float) \
            or not 0 < learning_rate < math.inf:
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
    L = keras.layers
    enc_embed = PositionEmbedding(source_vocab_size, d_model, max_length, position, name="encoder_embedding")
    dec_embed = PositionEmbedding(target_vocab_size, d_model, max_length, position, name="decoder_embedding")
    encoders = [EncoderBlock(d_model, num_heads, ff_dim, dropout, name=f"encoder_{i}")
                for i in range(num_layers)]
    decoders = [DecoderBlock(d_model, num_heads, ff_dim, dropout, name=f"decoder_{i}")
                for i in range(num_layers)]
    enc_norm = L.LayerNormalization(epsilon=1e-6, name="encoder_norm")
    dec_norm = L.LayerNormalization(epsilon=1e-6, name="decoder_norm")
    dense = L.Dense(target_vocab_size, activation="softmax", name="decoder_dense")

    enc_in = keras.Input((None,), dtype="int32", name="encoder_ids")
    dec_in = keras.Input((None,), dtype="int32", name="decoder_ids")
    mask = L.Lambda(lambda ids: ops.not_equal(ids, PAD_ID), name="source_mask")(enc_in)
    x = enc_embed(enc_in)
    for block in encoders:
        x, _ = block(x, mask)
    memory = enc_norm(x)
    y = dec_embed(dec_in)
    for block in decoders:
        y, _ = block(y, memory, mask)
    probs = dense(dec_norm(y))
    model = keras.Model([enc_in, dec_in], probs, name=f"transformer_{position}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  weighted_metrics=[], steps_per_execution=steps_per_execution)
    return TransformerSeq2Seq(model, enc_embed, dec_embed, encoders, decoders, enc_norm, dec_norm, dense)
