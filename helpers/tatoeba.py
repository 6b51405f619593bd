"""The English–Chinese Tatoeba corpus (英汉句对) of notebook 10 (机器翻译): load, clean, split.

``datasets/tatoeba-cmn-eng.tsv`` holds 21,081 tab-separated lines ``English, Chinese,
attribution`` (CC-BY 2.0 FR: the attribution travels with every pair). The Chinese side
mixes Simplified and Traditional script, and one English sentence often has several
translations. Notebook 10 uses, in order:

- :func:`load_tatoeba`: the pairs, as :class:`Pair` (a bad line is a ``ValueError``);
- :func:`clean_pairs`: whitespace tidied, Chinese converted to Simplified with OpenCC
  (:func:`to_simplified`), exact duplicates dropped;
- :func:`split_by_english`: train/valid/test with every English sentence on one side
  only, so that no test sentence was seen in training with another translation;
- :func:`group_references` and :func:`references`: all translations of each sentence,
  for multi-reference BLEU and chrF with sacrebleu; :func:`split_checksum` pins a split.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from helpers._validate import check_int
from helpers.datasets import BadLine, _check_path
from helpers.paths import DATASETS

TATOEBA_PATH: Path = DATASETS / "tatoeba-cmn-eng.tsv"
# SHA-256 of the shipped file (tests/test_tatoeba.py and datasets/README.md check it).
CHECKSUM = "e4286c6298651e553493309704334a1234194326b56c29df023afad5b0678603"
FIELDS = ("english", "chinese", "attribution")


@dataclass(frozen=True)
class Pair:
    """One line of the corpus: an English sentence, a Chinese translation, its attribution."""

    english: str
    chinese: str
    attribution: str


@dataclass(frozen=True)
class TatoebaSplit:
    """The pairs of each side of :func:`split_by_english`, each in corpus order."""

    train: list[Pair]
    valid: list[Pair]
    test: list[Pair]


def load_tatoeba(path: str | os.PathLike = TATOEBA_PATH) -> list[Pair]:
    """The pairs of a Tatoeba/manythings ``English<TAB>Chinese<TAB>attribution`` file.

    In file order, fields as written (:func:`clean_pairs` tidies them). A line that is
    not UTF-8, does not have exactly three fields or has an empty field is a
    ``ValueError`` that names the file and the line number (notebook 10).
    """
    path = _check_path(path, "path")
    pairs = []
    for number, raw in enumerate(path.read_bytes().splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"path: {BadLine(path.name, number, 'not UTF-8')}") from None
        fields = line.split("\t")
        if len(fields) != len(FIELDS):
            reason = f"{len(fields)} tab-separated fields, expected 3 ({', '.join(FIELDS)})"
        else:
            empty = [name for name, value in zip(FIELDS, fields, strict=True) if not value.strip()]
            reason = f"empty {empty[0]} field" if empty else ""
        if reason:
            raise ValueError(f"path: {BadLine(path.name, number, reason, line[:40])}")
        pairs.append(Pair(*fields))
    if not pairs:
        raise ValueError(f"path: {path.name} holds no pairs")
    return pairs


@lru_cache(maxsize=1)
def _t2s():  # one OpenCC converter for the whole session (it loads dictionaries)
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in Simplified Chinese: OpenCC's ``t2s`` conversion, ``我試試`` -> ``我试试``.

    Characters that are already Simplified, punctuation and Latin letters are unchanged
    (notebook 10).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _t2s().convert(text)


def _check_pairs(pairs: Iterable[Pair], name: str = "pairs") -> list[Pair]:
    if isinstance(pairs, str | bytes):
        raise TypeError(f"{name} must be a list of Pair, got {type(pairs).__name__}")
    try:
        pairs = list(pairs)
    except TypeError:
        raise TypeError(f"{name} must be a list of Pair, got {type(pairs).__name__}") from None
    for i, pair in enumerate(pairs):
        if not isinstance(pair, Pair):
            raise TypeError(f"{name}[{i}] must be a Pair, got {type(pair).__name__}")
    return pairs


def clean_pairs(pairs: Iterable[Pair], *, simplify: bool = True) -> list[Pair]:
    """New pairs, tidied, without exact duplicates (the first of each is kept; notebook 10).

    English: runs of whitespace become one space, none at the ends. Chinese: all
    whitespace removed (``他是一个 DJ 。`` -> ``他是一个DJ。``), then, with ``simplify``,
    converted to Simplified script (:func:`to_simplified`). No Unicode normalisation:
    NFKC would turn the full-width ``，？！`` into ASCII. Pairs whose (English, Chinese)
    text is then equal to an earlier pair's are dropped; attributions are kept.
    """
    pairs = _check_pairs(pairs)
    if not isinstance(simplify, bool):
        raise TypeError(f"simplify must be a bool, got {type(simplify).__name__}")
    seen: set[tuple[str, str]] = set()
    cleaned = []
    for pair in pairs:
        english = " ".join(pair.english.split())
        chinese = "".join(pair.chinese.split())
        if simplify:
            chinese = to_simplified(chinese)
        if (english, chinese) not in seen:
            seen.add((english, chinese))
            cleaned.append(Pair(english, chinese, pair.attribution))
    return cleaned


def group_references(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    """English sentence -> its Chinese translations, both in corpus order (notebook 10)."""
    grouped: dict[str, list[str]] = {}
    for pair in _check_pairs(pairs):
        grouped.setdefault(pair.english, []).append(pair.chinese)
    return grouped


def split_by_english(
    pairs: Iterable[Pair], *, valid: int, test: int, seed: int = 0
) -> TatoebaSplit:
    """Train/valid/test pairs, with each English sentence and all its pairs on one side.

    The unique English sentences (in order of first appearance) are shuffled with
    ``numpy.random.default_rng(seed)``: the first ``test`` go to test, the next ``valid``
    to valid, the rest to train, and every pair follows its English sentence. A random
    split of *pairs* would put ``Hi. -> 你好。`` in training and ``Hi. -> 嗨。`` in the test
    set (notebook 10). ``valid`` and ``test`` count English sentences, not pairs.
    """
    pairs = _check_pairs(pairs)
    valid, test = check_int(valid, "valid", 0), check_int(test, "test", 0)
    seed = check_int(seed, "seed", 0)
    english = list(dict.fromkeys(pair.english for pair in pairs))
    if not english:
        raise ValueError("pairs is empty: nothing to split")
    if valid + test >= len(english):
        raise ValueError(f"valid + test = {valid + test} leaves no English sentence for "
                         f"training: pairs has {len(english)} unique English sentences")
    order = np.random.default_rng(seed).permutation(len(english))
    side = {english[i]: 0 for i in order[:test]}
    side |= {english[i]: 1 for i in order[test:test + valid]}
    parts: tuple[list[Pair], ...] = ([], [], [])  # test, valid, train
    for pair in pairs:
        parts[side.get(pair.english, 2)].append(pair)
    return TatoebaSplit(train=parts[2], valid=parts[1], test=parts[0])


def references(pairs: Iterable[Pair]) -> tuple[list[str], list[list[str | None]]]:
    """``(sources, refs)``: the unique English sentences and their reference streams.

    ``sources`` are in order of first appearance; ``refs`` is what
    ``sacrebleu.corpus_bleu(hypotheses, refs)`` and ``corpus_chrf`` take for multiple
    references: K streams, each as long as ``sources``, K the most translations any
    sentence has. ``refs[k][i]`` is the k-th translation of ``sources[i]``, or ``None``
    when it has fewer than k + 1: sacrebleu 2.6 drops ``None`` (and only ``None``; an
    empty string would count as a reference) and scores each sentence against its own
    translations (notebook 10).
    """
    grouped = group_references(pairs)
    if not grouped:
        raise ValueError("pairs is empty: no sentence to take references from")
    k = max(map(len, grouped.values()))
    refs = [[chinese[j] if j < len(chinese) else None for chinese in grouped.values()]
            for j in range(k)]
    return list(grouped), refs


def split_checksum(pairs: Iterable[Pair]) -> str:
    """SHA-256 (hex) of the pairs as ``english<TAB>chinese\\n`` lines in UTF-8 (notebook 10).

    Attributions are left out: the checksum pins the text a model sees.
    """
    text = "".join(f"{p.english}\t{p.chinese}\n" for p in _check_pairs(pairs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
