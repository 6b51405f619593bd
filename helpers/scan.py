"""SCAN (Lake & Baroni 2018), generated from its grammar: commands -> action sequences.

Taught in notebook 13 (组合泛化, compositional generalisation). SCAN maps a command such as
``jump twice after walk left`` to the actions a robot performs,
``I_TURN_LEFT I_WALK I_JUMP I_JUMP``. Nothing is downloaded: :func:`all_pairs` enumerates
the grammar of the paper's supplementary figure 6 and :func:`interpret` is its
interpretation function (figure 7)::

    C -> S and S | S after S | S      V -> D[1] opposite D[2] | D[1] around D[2] | D | U
    S -> V twice | V thrice | V       D -> U left | U right | turn left | turn right
    U -> walk | look | run | jump

(``D[1]`` and ``D[2]`` are the two words of one ``D``: ``walk opposite left``, ``turn
around right``.) The meanings: ``walk``, ``look``, ``run``, ``jump`` ->
``I_WALK``, ``I_LOOK``, ``I_RUN``, ``I_JUMP``; ``turn`` -> nothing; ``left``/``right`` ->
one ``I_TURN_LEFT``/``I_TURN_RIGHT`` before the action; ``opposite`` -> two turns before
it; ``around`` -> (turn, action) four times; ``twice``/``thrice`` -> repeat;
``x and y`` -> x then y; ``x after y`` -> y then x.

There are 20,910 commands. :func:`split` makes the paper's three splits: ``"simple"``
(a seeded random 80/20), ``"length"`` (train on outputs of at most 22 actions, test on
24 or more) and ``"jump"`` (train on every command without ``jump`` plus the bare
``jump``; test on the compound commands with ``jump``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np

from helpers._validate import check_int

PRIMITIVES = {"walk": "I_WALK", "look": "I_LOOK", "run": "I_RUN", "jump": "I_JUMP"}
TURNS = {"left": "I_TURN_LEFT", "right": "I_TURN_RIGHT"}
ACTIONS: tuple[str, ...] = ("I_JUMP", "I_LOOK", "I_RUN", "I_TURN_LEFT", "I_TURN_RIGHT", "I_WALK")
SPLITS = ("simple", "length", "jump")
SIMPLE_SEED = 0
SIMPLE_TEST_SHARE = 0.2
LENGTH_TRAIN_MAX = 22  # the length split trains on outputs of at most 22 actions
LENGTH_TEST_MIN = 24   # and tests on 24 or more (no command has exactly 23)

# SHA-256 of to_text(all_pairs()): the whole corpus in its canonical text form.
CHECKSUM = "6be4b39bc8bf3a20be810b6991250d0493e608560609db6765dd679e1ed1c98e"
# (train, test) sizes and SHA-256 of to_text(train), to_text(test) for each split
# (split("simple") with the default seed).
SPLIT_SIZES = {"simple": (16_728, 4_182), "length": (16_990, 3_920), "jump": (13_204, 7_706)}
SPLIT_CHECKSUMS = {
    "simple": ("3a1f0d8b866fdc2dbf6f52155b9aa63c2c15b383f3516f292257043fc2c10828",
               "ab73334bfa796204eb6a4a8cf8711294fce1dee08bf4dc95869ca7ab25877dbf"),
    "length": ("7ffb97f45029871c94bede7e723f7a4aa179eb99fe2b977a18283310422c719d",
               "3297fd0b676c391f7bc3a7385aa66a7fdf64f6f8e81ad584810c1d4ebd0eaa2c"),
    "jump": ("ae3363dd3a3805b969124fd6e89311a8842df448c46c8bea383fd09886b0837c",
             "522454c6280eab957dfc4ea9579ef1d780a716ac34df09619970e1d98822d7e2"),
}


@dataclass(frozen=True)
class ScanPair:
    """One SCAN example: a command and its action sequence, both space-separated words."""

    command: str
    actions: str

    @property
    def n_actions(self) -> int:
        """How many actions the command means (the output length, ``<end>`` not counted)."""
        return len(self.actions.split())


def _check_command(command: object) -> list[str]:
    if not isinstance(command, str):
        raise TypeError(f"command must be a str, got {type(command).__name__}")
    words = command.split()
    if not words:
        raise ValueError("command is empty")
    return words


def _direction(words: list[str], command: str) -> list[str]:
    """D: ``U left``, ``U right``, ``turn left``, ``turn right`` (and the bare ``U`` of V)."""
    if len(words) == 1 and words[0] in PRIMITIVES:
        return [PRIMITIVES[words[0]]]
    if len(words) == 2 and words[0] in (*PRIMITIVES, "turn") and words[1] in TURNS:
        action = [PRIMITIVES[words[0]]] if words[0] in PRIMITIVES else []
        return [TURNS[words[1]]] + action
    raise ValueError(f"command {command!r} is not SCAN: cannot read {' '.join(words)!r}")


def _verb_phrase(words: list[str], command: str) -> list[str]:
    """V: ``D[1] opposite D[2]`` (``walk opposite left``), ``D[1] around D[2]``, D or U."""
    if len(words) == 3 and words[1] in ("opposite", "around"):
        head, modifier, side = words
        if head not in (*PRIMITIVES, "turn") or side not in TURNS:
            raise ValueError(f"command {command!r} is not SCAN: cannot read {' '.join(words)!r}")
        turn = TURNS[side]
        action = [PRIMITIVES[head]] if head in PRIMITIVES else []
        if modifier == "opposite":
            return [turn, turn] + action
        return ([turn] + action) * 4
    return _direction(words, command)


def _sentence(words: list[str], command: str) -> list[str]:
    """S: ``V twice``, ``V thrice`` or V."""
    if words and words[-1] in ("twice", "thrice"):
        times = 2 if words[-1] == "twice" else 3
        return _verb_phrase(words[:-1], command) * times
    return _verb_phrase(words, command)


def interpret(command: str) -> str:
    """The action sequence of a SCAN command, space-separated (the interpretation function).

    Notebook 13. ``interpret("jump twice after walk left") == "I_TURN_LEFT I_WALK I_JUMP
    I_JUMP"``. A command the grammar cannot make raises ``ValueError``.
    """
    words = _check_command(command)
    for joiner in ("and", "after"):
        if joiner in words:
            if words.count("and") + words.count("after") != 1:
                raise ValueError(f"command {command!r} is not SCAN: at most one 'and' or 'after'")
            cut = words.index(joiner)
            first = _sentence(words[:cut], command)
            second = _sentence(words[cut + 1:], command)
            return " ".join(first + second if joiner == "and" else second + first)
    return " ".join(_sentence(words, command))


def _commands() -> list[str]:
    """Every command of the grammar (C), in no particular order."""
    heads = [*PRIMITIVES, "turn"]
    directions = [f"{u} {side}" for u, side in product(heads, TURNS)]                # D
    verbs = ([f"{u} {mod} {side}" for u, mod, side in product(heads, ("opposite", "around"), TURNS)]
             + directions + list(PRIMITIVES))                                          # V
    sentences = [f"{v}{times}" for v, times in product(verbs, ("", " twice", " thrice"))]  # S
    return sentences + [f"{a} {joiner} {b}" for joiner in ("and", "after")
                        for a, b in product(sentences, sentences)]                     # C


@lru_cache(maxsize=1)
def _all_pairs() -> tuple[ScanPair, ...]:
    return tuple(ScanPair(c, interpret(c)) for c in sorted(_commands()))


def all_pairs() -> list[ScanPair]:
    """All 20,910 SCAN pairs, sorted by command: the canonical order (notebook 13)."""
    return list(_all_pairs())


def to_text(pairs: list[ScanPair]) -> str:
    """The canonical text form: one ``IN: <command> OUT: <actions>`` line per pair.

    The line format of the files Lake & Baroni released; each line ends with ``\\n``.
    """
    if isinstance(pairs, str) or not isinstance(pairs, list | tuple):
        raise TypeError(f"pairs must be a list of ScanPair, got {type(pairs).__name__}")
    for i, pair in enumerate(pairs):
        if not isinstance(pair, ScanPair):
            raise TypeError(f"pairs[{i}] must be a ScanPair, got {type(pair).__name__}")
    return "".join(f"IN: {p.command} OUT: {p.actions}\n" for p in pairs)


def checksum(pairs: list[ScanPair]) -> str:
    """SHA-256 (hex) of ``to_text(pairs)`` in UTF-8 (notebook 13; the datasheet quotes it)."""
    return hashlib.sha256(to_text(pairs).encode("utf-8")).hexdigest()


def split(name: str, *, seed: int = SIMPLE_SEED) -> tuple[list[ScanPair], list[ScanPair]]:
    """``(train, test)`` pairs of one of Lake & Baroni's splits, each in canonical order.

    Notebook 13. ``name``:

    - ``"simple"``: a random 20% of the commands (4,182) is the test set, drawn with
      ``numpy.random.default_rng(seed).permutation``; the other 16,728 train;
    - ``"length"``: train on the 16,990 commands of at most 22 actions, test on the 3,920
      of 24 or more (``seed`` is not used);
    - ``"jump"``: train on the 13,203 commands without ``jump`` plus the bare ``jump``
      (13,204), test on the 7,706 other commands with ``jump`` (``seed`` is not used).
    """
    if name not in SPLITS:
        raise ValueError(f"name must be one of {SPLITS}, got {name!r}")
    seed = check_int(seed, "seed", 0)
    pairs = all_pairs()
    if name == "simple":
        n_test = round(SIMPLE_TEST_SHARE * len(pairs))
        is_test = np.zeros(len(pairs), dtype=bool)
        is_test[np.random.default_rng(seed).permutation(len(pairs))[:n_test]] = True
    elif name == "length":
        is_test = np.array([p.n_actions for p in pairs]) >= LENGTH_TEST_MIN
    else:
        is_test = np.array(["jump" in p.command.split() and p.command != "jump" for p in pairs])
    train = [p for p, t in zip(pairs, is_test, strict=True) if not t]
    test = [p for p, t in zip(pairs, is_test, strict=True) if t]
    return train, test


def _main() -> None:  # pragma: no cover - a quick look: python -m helpers.scan
    pairs = all_pairs()
    print(f"{len(pairs)} pairs, SHA-256 {checksum(pairs)}")
    for name in SPLITS:
        train, test = split(name)
        print(f"{name:6s} train {len(train):6,d} ({checksum(train)[:12]})  "
              f"test {len(test):5,d} ({checksum(test)[:12]})")


if __name__ == "__main__":  # pragma: no cover
    _main()
