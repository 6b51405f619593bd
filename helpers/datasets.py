"""Loaders for the data the course uses; none of them touches the network (notebook 00).

- ``load_digits_split``: scikit-learn's 8x8 handwritten digits (shipped inside the
  scikit-learn wheel), for the autoencoder and VAE notebooks.
- ``load_chatterbot_pairs``: statement -> reply pairs from the ``chatterbot-corpus``
  package (BSD), English and Chinese among its languages.
- ``load_chitchat_conversations``: the ``chitchat-dataset`` package (MIT), real
  open-domain chat conversations, one list of messages each.
- ``adjacent_pairs``: consecutive turns of conversations as statement -> reply pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import yaml


def load_digits_split(
    test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 1,797 digits as float32 pixels in [0, 1], split into train and test sets.

    Returns ``(x_train, x_test, y_train, y_test)``, x of shape (n, 64); the split is
    stratified by label and fixed by ``seed``.
    """
    if not isinstance(test_fraction, float | int) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, got {seed!r}")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    return tuple(train_test_split(x, digits.target, test_size=test_fraction,
                                  random_state=seed, stratify=digits.target))


def _chatterbot_dir() -> Path:
    return Path(str(resources.files("chatterbot_corpus") / "data"))


def chatterbot_languages() -> list[str]:
    """The languages ``chatterbot-corpus`` ships (folder names such as ``"chinese"``)."""
    return sorted(p.name for p in _chatterbot_dir().iterdir() if p.is_dir())


def load_chatterbot_pairs(language: str = "chinese") -> list[tuple[str, str]]:
    """Statement -> reply pairs of one ``chatterbot-corpus`` language, in file order.

    Each conversation ``[a, b, c]`` in the corpus's YAML files gives ``(a, b)`` and
    ``(b, c)``. Whitespace at the ends is stripped; empty turns are skipped.
    """
    if not isinstance(language, str):
        raise TypeError(f"language must be a str, got {type(language).__name__}")
    folder = _chatterbot_dir() / language
    if not folder.is_dir():
        raise ValueError(f"language {language!r} is not in chatterbot-corpus; "
                         f"it has {chatterbot_languages()}")
    conversations: list[list[str]] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for conversation in data.get("conversations", []):
            conversations.append([str(turn) for turn in conversation if turn is not None])
    return adjacent_pairs(conversations)


def load_chitchat_conversations(limit: int | None = None) -> list[list[str]]:
    """Conversations of the ``chitchat-dataset`` package, each a list of messages.

    A message made of several utterances is joined with spaces. ``limit`` keeps the
    first conversations (in the file's order), for quick looks.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive int or None, got {limit!r}")
    path = resources.files("chitchat_dataset") / "dataset.json"
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    conversations = []
    for conversation in data.values():
        messages = [" ".join(u["text"] for u in message) for message in conversation["messages"]]
        conversations.append(messages)
        if limit is not None and len(conversations) == limit:
            break
    return conversations


def adjacent_pairs(conversations: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """``(turn, next turn)`` for each conversation, stripped, skipping empty turns."""
    if isinstance(conversations, str):
        raise TypeError("conversations must be a list of conversations, not a str")
    pairs = []
    for i, conversation in enumerate(conversations):
        if isinstance(conversation, str) or not isinstance(conversation, Sequence):
            raise TypeError(f"conversations[{i}] must be a list of turns, "
                            f"got {type(conversation).__name__}")
        turns = [t.strip() for t in conversation if isinstance(t, str) and t.strip()]
        pairs.extend(zip(turns, turns[1:], strict=False))
    return pairs
