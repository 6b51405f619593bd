"""Loaders for the data the course uses; none of them touches the network (notebook 00).

- ``load_digits_split``: scikit-learn's 8x8 handwritten digits (shipped inside the
  scikit-learn wheel), for the autoencoder and VAE notebooks.
- ``load_chatterbot_pairs``: statement -> reply pairs from the ``chatterbot-corpus``
  package (BSD), English and Chinese among its languages.
- ``load_chitchat_conversations``: the ``chitchat-dataset`` package (MIT), real
  open-domain chat conversations, one list of messages each.
- ``adjacent_pairs``: consecutive turns of conversations as statement -> reply pairs.
- ``split_by_conversation``: a held-out split that keeps each conversation on one side
  (notebook 07), so that no reply is seen in training as the next turn's statement.
- ``load_cornell_conversations`` and ``load_tab_pairs``: corpora a user brings (Cornell
  Movie-Dialogs, Tatoeba/manythings tab-separated pairs); bad lines are reported in the
  result, not fatal (notebook 07).
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    return adjacent_pairs(load_chatterbot_conversations(language))


def load_chatterbot_conversations(language: str = "chinese") -> list[list[str]]:
    """The conversations of one ``chatterbot-corpus`` language, each a list of turns.

    In file order (files sorted by name). Notebook 07 splits them with
    :func:`split_by_conversation` before making pairs.
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
    return conversations


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


def split_by_conversation(
    conversations: Sequence[Sequence[str]], test_fraction: float = 0.1, seed: int = 0
) -> tuple[list, list]:
    """``(train, test)`` conversations: whole conversations go to one side (notebook 07).

    Splitting *pairs* at random would put ``(a, b)`` in training and ``(b, c)`` in the test
    set, so the test statement ``b`` was already seen as a training reply. Splitting by
    conversation keeps the test set's exchanges unseen. The order is a seeded shuffle;
    at least one conversation goes to each side.
    """
    if isinstance(conversations, str) or not isinstance(conversations, Sequence):
        raise TypeError("conversations must be a list of conversations (lists of turns)")
    if len(conversations) < 2:
        raise ValueError(f"conversations must hold at least 2 conversations to split, "
                         f"got {len(conversations)}")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, float | int) or not (
            0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, got {seed!r}")
    order = np.random.default_rng(seed).permutation(len(conversations))
    n_test = min(max(1, round(test_fraction * len(conversations))), len(conversations) - 1)
    test_ids = set(order[:n_test].tolist())
    train = [c for i, c in enumerate(conversations) if i not in test_ids]
    test = [c for i, c in enumerate(conversations) if i in test_ids]
    return train, test


@dataclass(frozen=True)
class BadLine:
    """A line a loader skipped: file name, 1-based line number, why, and the line's start."""

    file: str
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" + (f" ({self.text!r})" if self.text else "")


@dataclass(frozen=True)
class LoadedDialogue:
    """What the bring-your-own loaders return: conversations, and the lines they skipped.

    ``pairs`` gives the statement -> reply pairs (:func:`adjacent_pairs`); ``report()``
    says how much was read and what was skipped, one line per bad line (notebook 07).
    """

    conversations: list[list[str]]
    bad_lines: list[BadLine] = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return adjacent_pairs(self.conversations)

    def report(self, limit: int = 10) -> str:
        lines = [f"{len(self.conversations):,} conversations, {len(self.pairs):,} pairs, "
                 f"{len(self.bad_lines):,} bad lines skipped"]
        lines += [f"  {bad}" for bad in self.bad_lines[:limit]]
        if len(self.bad_lines) > limit:
            lines.append(f"  ... and {len(self.bad_lines) - limit:,} more")
        return "\n".join(lines)


CORNELL_SEPARATOR = " +++$+++ "


def _check_path(path: object, name: str) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{name} must be a path (str or Path), got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no file at {path}")
    return path


def _read_lines(path: Path, encoding: str) -> list[str]:
    """The lines of ``path``, without line ends; undecodable bytes become U+FFFD."""
    return path.read_bytes().decode(encoding, errors="replace").splitlines()


def load_cornell_conversations(
    lines_path: str | os.PathLike, conversations_path: str | os.PathLike, *,
    encoding: str = "iso-8859-1",
) -> LoadedDialogue:
    """Cornell Movie-Dialogs conversations from ``movie_lines.txt`` and ``movie_conversations.txt``.

    The corpus the seed's chatbot is trained on (notebook 07). Fields are separated by
    ``" +++$+++ "``; the files are not UTF-8 (``encoding`` defaults to ISO-8859-1, in which
    every byte is a character). A line of ``movie_lines.txt`` is
    ``L1045 +++$+++ u0 +++$+++ m0 +++$+++ BIANCA +++$+++ They do not!``; one of
    ``movie_conversations.txt`` ends with the list of line ids, ``['L194', 'L195']``.

    Bad lines (wrong number of fields, an unreadable id list, a repeated line id) are
    skipped and reported. A conversation that names a line missing from
    ``movie_lines.txt``, or an empty one, is cut there, so that no pair joins turns that
    were not adjacent.
    """
    lines_path = _check_path(lines_path, "lines_path")
    conversations_path = _check_path(conversations_path, "conversations_path")
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str, got {type(encoding).__name__}")
    bad: list[BadLine] = []
    utterances: dict[str, str] = {}
    for number, line in enumerate(_read_lines(lines_path, encoding), 1):
        if not line.strip():
            continue
        fields = line.split(CORNELL_SEPARATOR)
        if len(fields) != 5:
            bad.append(BadLine(lines_path.name, number, f"{len(fields)} fields, expected 5",
                               line[:40]))
            continue
        line_id = fields[0].strip()
        if line_id in utterances:
            bad.append(BadLine(lines_path.name, number, f"line id {line_id} repeated", line[:40]))
            continue
        utterances[line_id] = fields[4].strip()

    conversations: list[list[str]] = []
    for number, line in enumerate(_read_lines(conversations_path, encoding), 1):
        if not line.strip():
            continue
        fields = line.split(CORNELL_SEPARATOR)
        if len(fields) != 4:
            bad.append(BadLine(conversations_path.name, number,
                               f"{len(fields)} fields, expected 4", line[:40]))
            continue
        try:
            ids = ast.literal_eval(fields[3].strip())
        except (ValueError, SyntaxError):
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            bad.append(BadLine(conversations_path.name, number,
                               "the last field is not a list of line ids", fields[3][:40]))
            continue
        missing = [i for i in ids if i not in utterances]
        if missing:
            bad.append(BadLine(conversations_path.name, number,
                               f"line ids not in {lines_path.name}: {', '.join(missing[:3])}"))
        segment: list[str] = []
        for line_id in ids:
            turn = utterances.get(line_id, "")
            if turn:
                segment.append(turn)
                continue
            if len(segment) >= 2:
                conversations.append(segment)
            segment = []
        if len(segment) >= 2:
            conversations.append(segment)
    return LoadedDialogue(conversations, bad)


def load_tab_pairs(
    path: str | os.PathLike, *, encoding: str = "utf-8", columns: tuple[int, int] = (0, 1)
) -> LoadedDialogue:
    """Tab-separated pairs, one a line, as Tatoeba and manythings.org/anki ship them.

    ``Go.<TAB>Va !<TAB>CC-BY 2.0 (France) Attribution: tatoeba.org ...``: ``columns``
    picks the source and target fields (extra fields such as the attribution are ignored).
    Each pair becomes a two-turn conversation, so ``.pairs`` gives them back. Lines with
    too few fields, an empty side, or bytes that are not ``encoding`` are skipped and
    reported (notebook 07).
    """
    path = _check_path(path, "path")
    if (not isinstance(columns, tuple) or len(columns) != 2
            or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in columns)
            or columns[0] == columns[1]):
        raise ValueError(f"columns must be two different field indices >= 0, got {columns!r}")
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str, got {type(encoding).__name__}")
    bad: list[BadLine] = []
    conversations: list[list[str]] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:
            bad.append(BadLine(path.name, number, f"not {encoding}", raw[:40].decode("latin-1")))
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) <= max(columns):
            bad.append(BadLine(path.name, number,
                               f"{len(fields)} tab-separated fields, need {max(columns) + 1}",
                               line[:40]))
            continue
        source, target = fields[columns[0]].strip(), fields[columns[1]].strip()
        if not source or not target:
            bad.append(BadLine(path.name, number, "an empty side", line[:40]))
            continue
        conversations.append([source, target])
    return LoadedDialogue(conversations, bad)
