"""Text tools the seq2seq notebooks share: vocabularies, padding and the training triplet.

Taught by hand in notebook 05 (preparing seq2seq data, 为序列到序列训练准备数据集) and
introduced in notebook 00; notebooks 06-10 import them from here.

The reserved tokens always take the first four ids, in this order::

    0 <pad>   padding, so that a batch is a rectangle
    1 <start> the decoder's first input (the seed text's "\\t")
    2 <end>   the decoder's last target (the seed text's "\\n"); decoding stops here
    3 <unk>   any token the vocabulary has not seen
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

PAD, START, END, UNK = "<pad>", "<start>", "<end>", "<unk>"
SPECIALS: tuple[str, ...] = (PAD, START, END, UNK)
PAD_ID, START_ID, END_ID, UNK_ID = range(4)
LEVELS = ("char", "word")
_WORD = re.compile(r"\w+|[^\w\s]")


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def _check_texts(texts: Iterable[str], name: str) -> list[str]:
    """A list of strings, or a clear error naming the argument."""
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a list of strings, not a single string")
    try:
        texts = list(texts)
    except TypeError:
        raise TypeError(f"{name} must be a list of strings, got {type(texts).__name__}") from None
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{name}[{i}] must be a str, got {type(text).__name__}")
    return texts


def tokenize(text: str, level: str = "char") -> list[str]:
    """Split ``text`` into characters (``level="char"``) or words and punctuation ("word").

    Word level keeps punctuation as its own token and does not change case::

        tokenize("Hi, Ann!", "word") == ["Hi", ",", "Ann", "!"]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    _check_level(level)
    return list(text) if level == "char" else _WORD.findall(text)


@dataclass(frozen=True)
class Vocabulary:
    """A fixed token <-> id mapping with ``<pad>``, ``<start>``, ``<end>``, ``<unk>`` first.

    Build one with :meth:`Vocabulary.build`; ``len(vocab)`` counts the reserved tokens.
    """

    tokens: tuple[str, ...]
    level: str = "char"

    def __post_init__(self) -> None:
        _check_level(self.level)
        if isinstance(self.tokens, str) or not all(isinstance(t, str) for t in self.tokens):
            raise TypeError("tokens must be a sequence of strings")
        object.__setattr__(self, "tokens", tuple(self.tokens))  # hashable, equal by value
        if tuple(self.tokens[: len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"tokens must start with the reserved tokens {SPECIALS}")
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("tokens must not repeat")
        object.__setattr__(self, "_ids", {token: i for i, token in enumerate(self.tokens)})

    @classmethod
    def build(
        cls,
        texts: Iterable[str],
        level: str = "char",
        *,
        min_count: int = 1,
        max_size: int | None = None,
    ) -> Vocabulary:
        """The vocabulary of ``texts``: reserved tokens, then the kept tokens in sorted order.

        Args:
            texts: the corpus, a non-empty list of strings.
            level: ``"char"`` or ``"word"`` (see :func:`tokenize`).
            min_count: keep tokens seen at least this often; rarer ones become ``<unk>``.
            max_size: at most this many ids in all (reserved tokens included); the most
                frequent tokens are kept, ties broken alphabetically.
        """
        texts = _check_texts(texts, "texts")
        if not texts:
            raise ValueError("texts is empty: a vocabulary needs at least one text")
        _check_level(level)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            raise ValueError(f"min_count must be an int >= 1, got {min_count!r}")
        if max_size is not None and (
            isinstance(max_size, bool) or not isinstance(max_size, int) or max_size <= len(SPECIALS)
        ):
            raise ValueError(f"max_size must be an int > {len(SPECIALS)} or None, got {max_size!r}")
        counts = Counter(token for text in texts for token in tokenize(text, level))
        for special in SPECIALS:
            counts.pop(special, None)
        kept = [token for token, n in counts.items() if n >= min_count]
        if max_size is not None:
            kept = sorted(kept, key=lambda t: (-counts[t], t))[: max_size - len(SPECIALS)]
        if not kept:
            raise ValueError(f"texts has no token seen at least min_count={min_count} times")
        return cls(SPECIALS + tuple(sorted(kept)), level)

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def id(self, token: str) -> int:
        """The id of ``token``; ``<unk>``'s id for a token the vocabulary has not seen."""
        return self._ids.get(token, UNK_ID)

    def token(self, index: int) -> str:
        """The token with id ``index``."""
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"index must be an int, got {type(index).__name__}")
        if not 0 <= index < len(self.tokens):
            raise ValueError(f"index must be in [0, {len(self.tokens) - 1}], got {index}")
        return self.tokens[int(index)]

    def encode(self, text: str, *, add_start: bool = False, add_end: bool = False) -> list[int]:
        """Token ids of ``text``; unknown tokens become ``<unk>`` (never an error)."""
        ids = [self.id(token) for token in tokenize(text, self.level)]
        return [START_ID] * add_start + ids + [END_ID] * add_end

    def decode(self, ids: Iterable[int], *, strip_special: bool = True) -> str:
        """Text from ids. With ``strip_special`` (the default) it stops at the first
        ``<end>`` and drops ``<pad>`` and ``<start>``; ``<unk>`` is kept, so that a reader
        sees that something was unknown."""
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
        if ids.ndim != 1:
            raise ValueError(f"ids must be one sequence (rank 1), got rank {ids.ndim}")
        if ids.size and not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.tokens)):
            bad = ids[(ids < 0) | (ids >= len(self.tokens))][0]
            raise ValueError(f"ids holds {bad}, outside this vocabulary's [0, {len(self) - 1}]")
        tokens = []
        for index in ids.tolist():
            if strip_special:
                if index == END_ID:
                    break
                if index in (PAD_ID, START_ID):
                    continue
            tokens.append(self.tokens[index])
        return ("" if self.level == "char" else " ").join(tokens)


def pad(
    sequences: Sequence[Sequence[int]], length: int | None = None, *, value: int = PAD_ID
) -> np.ndarray:
    """Pad id sequences at the end to one length: an int32 array of shape (batch, length).

    This is ``keras.utils.pad_sequences(..., padding="post")``, except that a sequence
    longer than ``length`` is an error instead of being cut silently (a cut-off target
    teaches the model to stop early). Written out by hand in notebook 05.
    """
    if isinstance(sequences, str | bytes) or not isinstance(sequences, Sequence | np.ndarray):
        raise TypeError(f"sequences must be a list of id lists, got {type(sequences).__name__}")
    if len(sequences) == 0:
        raise ValueError("sequences is empty: nothing to pad")
    for i, seq in enumerate(sequences):
        if isinstance(seq, str) or not isinstance(seq, Sequence | np.ndarray):
            raise TypeError(f"sequences[{i}] must be a list of ints, got {type(seq).__name__}")
    longest = max(len(seq) for seq in sequences)
    if length is None:
        length = longest
    elif isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ValueError(f"length must be a positive int or None, got {length!r}")
    elif longest > length:
        raise ValueError(f"length={length} is shorter than the longest sequence ({longest})")
    from keras.utils import pad_sequences

    return pad_sequences(
        sequences, maxlen=length, dtype="int32", padding="post", truncating="post", value=value
    )


def one_hot(ids: np.ndarray, depth: int) -> np.ndarray:
    """One-hot vectors of an id array, the form the seed text feeds its LSTMs.

    float32 with shape ``ids.shape + (depth,)``; ``<pad>`` (id 0) becomes the all-zero
    vector, so that padded steps add nothing to a categorical cross-entropy.
    """
    ids = np.asarray(ids)
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 2:
        raise ValueError(f"depth must be an int >= 2, got {depth!r}")
    if ids.size and (ids.min() < 0 or ids.max() >= depth):
        raise ValueError(f"ids must lie in [0, {depth - 1}] for depth={depth}")
    out = np.zeros(ids.shape + (int(depth),), dtype="float32")
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)  # memory: the output, nothing more
    out[..., PAD_ID] = 0.0
    return out


@dataclass(frozen=True)
class Triplet:
    """The seq2seq training triplet (训练三元组) of the seed text.

    ``decoder_target[:, t]`` is ``decoder_input[:, t + 1]``: the decoder learns to predict
    the next token given the true previous ones (teacher forcing, 教师强制).
    """

    encoder_input: np.ndarray
    decoder_input: np.ndarray
    decoder_target: np.ndarray


def make_triplets(
    sources: Sequence[str],
    targets: Sequence[str],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    *,
    source_length: int | None = None,
    target_length: int | None = None,
    one_hot_encode: bool = False,
) -> Triplet:
    """Encoder input, decoder input and decoder target for ``sources -> targets`` pairs.

    - encoder input: the source's ids, padded to ``source_length`` (default: the longest);
    - decoder input: ``<start>`` then the target's ids;
    - decoder target: the target's ids then ``<end>`` (the decoder input shifted by one);

    both decoder arrays are padded to ``target_length + 1`` (default: longest target + 1).
    With ``one_hot_encode`` the arrays are one-hot float32 (the seed's form, padding as
    zero vectors); otherwise int32 ids for an ``Embedding`` layer. Taught in notebook 05.
    """
    sources = _check_texts(sources, "sources")
    targets = _check_texts(targets, "targets")
    if len(sources) != len(targets):
        raise ValueError(
            f"sources and targets must pair up: {len(sources)} sources, {len(targets)} targets"
        )
    if not sources:
        raise ValueError("sources is empty: nothing to make triplets from")
    for name, vocab in [("source_vocab", source_vocab), ("target_vocab", target_vocab)]:
        if not isinstance(vocab, Vocabulary):
            raise TypeError(f"{name} must be a Vocabulary, got {type(vocab).__name__}")
    encoder = [source_vocab.encode(s) for s in sources]
    target_ids = [target_vocab.encode(t) for t in targets]
    decoder_length = None if target_length is None else _positive(target_length, "target_length") + 1
    if target_length is not None and max(map(len, target_ids)) > target_length:
        raise ValueError(
            f"target_length={target_length} is shorter than the longest target "
            f"({max(map(len, target_ids))} tokens)"
        )
    if source_length is not None:
        _positive(source_length, "source_length")
        if max(map(len, encoder)) > source_length:
            raise ValueError(
                f"source_length={source_length} is shorter than the longest source "
                f"({max(map(len, encoder))} tokens)"
            )
    encoder_input = pad(encoder, source_length)
    decoder_input = pad([[START_ID] + ids for ids in target_ids], decoder_length)
    decoder_target = pad([ids + [END_ID] for ids in target_ids], decoder_length)
    if one_hot_encode:
        return Triplet(
            one_hot(encoder_input, len(source_vocab)),
            one_hot(decoder_input, len(target_vocab)),
            one_hot(decoder_target, len(target_vocab)),
        )
    return Triplet(encoder_input, decoder_input, decoder_target)


def _positive(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int or None, got {value!r}")
    return value
