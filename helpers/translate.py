"""Use the English→Chinese translator (英译中) that notebook 10 trains: a line, a box, a terminal.

Taught in notebook 10 (机器翻译, "10 · Machine translation"), which trains a seq2seq with
attention (:func:`helpers.attention.build_seq2seq`) on the Tatoeba pairs, with a
SentencePiece model for English (ids trained as ``pad_id=0, bos_id=1, eos_id=2, unk_id=3``,
the course's ``<pad> <start> <end> <unk>``) and a character vocabulary for Chinese, and
saves it under ``notebooks/artifacts/10_translator/``. From a terminal, in the course's
folder::

    python -m helpers.translate "I am hungry."
    python -m helpers.translate --method greedy "Where is the station?"
    python -m helpers.translate --file sentences.txt > chinese.txt   # one sentence a line
    echo "Good night." | python -m helpers.translate -

- :class:`Translator`: the model, the two tokenizers and the lengths it was trained with;
  :meth:`Translator.translate` translates many texts at once, sentence by sentence;
- :func:`translate`: one line in, one line out; empty input gives ``""``, unknown
  characters become ``<unk>`` pieces, so no input makes it crash;
- :func:`save_translator` / :func:`load_translator`: to and from a folder
  (:data:`DEFAULT_DIR` by default);
- :class:`TranslateBox`: an ipywidgets box (``TranslateBox(translator).widget`` in a cell).

Importing this module does not import TensorFlow (the terminal quiets its logs first).
"""

from __future__ import annotations

import argparse
import html
import inspect
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import sentencepiece as spm

from helpers import paths
from helpers._validate import check_int
from helpers.text import END_ID, PAD_ID, SPECIALS, START_ID, UNK_ID, Vocabulary, pad

if TYPE_CHECKING:
    from helpers.attention import AttentionSeq2Seq

METHODS = ("greedy", "beam")
CHUNK = 256  # the most rows one decoding call gets: bounds the memory of a long file
UNREADABLE = "(cannot read: no known English word)"
NOTEBOOK = "notebooks/10_machine_translation.ipynb"
DEFAULT_DIR: Path = paths.ARTIFACTS / "10_translator"
FILES = ("model.weights.h5", "source.model", "config.json")
# A sentence ends at . ! ? followed by whitespace, or at a full-width 。！？ (spaces optional).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")


def _check_texts(texts: object, name: str = "texts") -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a list of strings, not a single string")
    if not isinstance(texts, Sequence):
        raise TypeError(f"{name} must be a list of strings, got {type(texts).__name__}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{name}[{i}] must be a str, got {type(text).__name__}")
    return list(texts)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: cut after ``.`` ``!`` ``?`` and a space, or after ``。！？``.

    Stripped, empty ones dropped (notebook 10: the model was trained on single sentences).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class Translator:
    """A trained English→Chinese seq2seq with attention and what it needs to read and write.

    ``source`` is the SentencePiece model of the English side; ``target_vocab`` the
    character vocabulary of the Chinese side. ``source_length`` is the most source pieces
    the encoder reads (a longer sentence is cut to its first ``source_length`` pieces);
    ``max_length`` the most characters an output may have, ``<end>`` included;
    ``model_config`` the keyword arguments of :func:`helpers.attention.build_seq2seq` that
    rebuild the same model (what :func:`load_translator` does); ``lowercase`` whether the
    English was lower-cased for training (notebook 10).
    """

    seq2seq: AttentionSeq2Seq
    source: spm.SentencePieceProcessor
    target_vocab: Vocabulary
    source_length: int
    max_length: int
    model_config: dict[str, Any]
    lowercase: bool = False

    def __post_init__(self) -> None:
        from helpers.attention import AttentionSeq2Seq, build_seq2seq

        if not isinstance(self.seq2seq, AttentionSeq2Seq):
            raise TypeError(f"seq2seq must be an AttentionSeq2Seq (helpers.attention.build_seq2seq), "
                            f"got {type(self.seq2seq).__name__}")
        if not isinstance(self.source, spm.SentencePieceProcessor):
            raise TypeError(f"source must be a sentencepiece.SentencePieceProcessor, "
                            f"got {type(self.source).__name__}")
        if not isinstance(self.target_vocab, Vocabulary):
            raise TypeError(f"target_vocab must be a Vocabulary, got {type(self.target_vocab).__name__}")
        for name in ("source_length", "max_length"):
            check_int(getattr(self, name), name, 1)
        if not isinstance(self.lowercase, bool):
            raise TypeError(f"lowercase must be True or False, got {self.lowercase!r}")
        ids = (self.source.pad_id(), self.source.bos_id(), self.source.eos_id(), self.source.unk_id())
        if ids != (PAD_ID, START_ID, END_ID, UNK_ID):
            raise ValueError("source must be trained with pad_id=0, bos_id=1, eos_id=2, unk_id=3 "
                             f"(the course's {', '.join(SPECIALS)}), got ids {ids}")

        if not isinstance(self.model_config, dict):
            raise TypeError(f"model_config must be a dict, got {type(self.model_config).__name__}")
        config = dict(self.model_config)  # a copy: the caller's dict may change later
        try:
            bound = inspect.signature(build_seq2seq).bind(**config)
            json.dumps(config)
        except TypeError as error:
            raise ValueError(f"model_config must be JSON-able keyword arguments of build_seq2seq: "
                             f"{error}") from None
        bound.apply_defaults()
        object.__setattr__(self, "model_config", config)
        embedding = next((layer for layer in self.seq2seq.encoder_model.layers
                          if hasattr(layer, "input_dim")), None)  # the encoder's Embedding
        source_size = self.source.get_piece_size()
        sizes = {
            "source": (source_size, "source.get_piece_size()"),
            "model source": (getattr(embedding, "input_dim", source_size),
                             "the model's source vocabulary"),
            "config source": (bound.arguments["source_vocab_size"], "model_config['source_vocab_size']"),
            "target": (len(self.target_vocab), "len(target_vocab)"),
            "model target": (self.seq2seq.vocab_size, "seq2seq.vocab_size"),
            "config target": (bound.arguments["target_vocab_size"], "model_config['target_vocab_size']"),
        }
        for side in ("source", "target"):
            found = [sizes[key] for key in (side, f"model {side}", f"config {side}")]
            if len({size for size, _ in found}) != 1:
                raise ValueError(f"the {side} sizes disagree: "
                                 + ", ".join(f"{name} = {size}" for size, name in found))
        if bound.arguments["attention"] != self.seq2seq.attention:
            raise ValueError(f"model_config['attention'] is {bound.arguments['attention']!r} but "
                             f"the model's attention is {self.seq2seq.attention!r}")

    def _pieces(self, texts: list[str]) -> list[list[int]]:
        """Each text's source ids: stripped, lower-cased if trained so, cut to source_length."""
        texts = [t.strip().lower() if self.lowercase else t.strip() for t in texts]
        return [ids[: self.source_length] for ids in self.source.encode(texts, out_type=int)]

    def _readable(self, ids: Sequence[int]) -> bool:
        """Whether ``ids`` holds a known piece with a letter or a digit (not only ``<unk>``)."""
        return any(i > UNK_ID and any(c.isalnum() for c in self.source.id_to_piece(i)) for i in ids)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Source ids of ``texts``: int32 (batch, time), post-padded with ``<pad>`` (0).

        Text is stripped (and lower-cased if the model was trained so) and cut to its first
        ``source_length`` pieces; characters SentencePiece never saw become ``<unk>`` (3).
        ``time`` is the longest row (at least 1): an empty text is a row of ``<pad>``, which
        the model cannot read, so :meth:`translate` never sends one (notebook 10).
        """
        texts = _check_texts(texts)
        if not texts:
            raise ValueError("texts is empty: nothing to encode")
        return _pad(self._pieces(texts))

    def translate(self, texts: list[str], method: str = "beam", *, width: int = 4,
                  alpha: float = 1.0) -> list[str]:
        """The Chinese of each English text, decoded with ``method``: ``greedy`` or ``beam``.

        Each text is split into sentences (:func:`split_sentences`), every sentence of
        every text is translated in one batch (decoding calls of at most :data:`CHUNK`
        rows, similar lengths together), and each text's sentences are joined without
        spaces. Empty or blank text gives ``""`` without calling the model; a sentence with
        no known English piece gives :data:`UNREADABLE`. ``width`` and ``alpha`` are beam
        search's (notebook 07). Special tokens other than ``<unk>`` are left out.
        """
        from helpers import decoding

        texts = _check_texts(texts)
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        width = check_int(width, "width", 1)
        if isinstance(alpha, bool) or not isinstance(alpha, int | float | np.integer | np.floating):
            raise TypeError(f"alpha must be a number, got {type(alpha).__name__}")
        if not 0 <= alpha < math.inf:
            raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")

        sentences = [split_sentences(text) for text in texts]
        flat = [s for group in sentences for s in group]
        keys = [tuple(ids) for ids in self._pieces(flat)]  # what the model reads of each
        done = dict.fromkeys(keys, UNREADABLE)
        # Each distinct reading once, shortest first: rows of a chunk have similar lengths.
        todo = sorted((key for key in done if self._readable(key)), key=len)
        for begin in range(0, len(todo), CHUNK):
            chunk = todo[begin: begin + CHUNK]
            x = _pad(chunk)
            if method == "greedy":
                out = decoding.greedy_decode(self.seq2seq, x, max_length=self.max_length)
            else:
                out = decoding.beam_search(self.seq2seq, x, max_length=self.max_length,
                                           width=width, alpha=alpha)
            for key, row in zip(chunk, np.asarray(out), strict=True):
                done[key] = self.target_vocab.decode(row).strip()
        outputs, position = [], 0
        for group in sentences:
            outputs.append("".join(done[key] for key in keys[position: position + len(group)]))
            position += len(group)
        return outputs


def _pad(rows: Sequence[Sequence[int]]) -> np.ndarray:
    """``helpers.text.pad`` to the longest row, at least one step wide."""
    return pad(rows, max(1, *map(len, rows)))


def translate(translator: Translator, text: str, method: str = "beam", **options: Any) -> str:
    """The Chinese of one line of English ``text`` (notebook 10).

    Empty or blank text gives ``""``. ``options`` go to :meth:`Translator.translate`
    (``width``, ``alpha``).
    """
    if not isinstance(translator, Translator):
        raise TypeError(f"translator must be a Translator, got {type(translator).__name__}")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return translator.translate([text], method, **options)[0]


def _check_directory(directory: object) -> Path:
    if not isinstance(directory, str | os.PathLike):
        raise TypeError(f"directory must be a path, got {type(directory).__name__}")
    return Path(directory)


def save_translator(translator: Translator, directory: str | os.PathLike = DEFAULT_DIR) -> list[Path]:
    """Save ``translator`` in ``directory`` (made if needed) as :data:`FILES` (notebook 10).

    ``model.weights.h5`` (the weights), ``source.model`` (the SentencePiece model) and
    ``config.json`` (the Chinese characters, the lengths, ``lowercase`` and
    ``model_config``, in UTF-8). Returns the three paths.
    """
    if not isinstance(translator, Translator):
        raise TypeError(f"translator must be a Translator, got {type(translator).__name__}")
    directory = _check_directory(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights, source, config = (directory / name for name in FILES)
    translator.seq2seq.model.save_weights(weights)
    source.write_bytes(translator.source.serialized_model_proto())
    settings = {"target": translator.target_vocab.tokens, "level": translator.target_vocab.level,
                "source_length": translator.source_length, "max_length": translator.max_length,
                "lowercase": translator.lowercase, "model_config": translator.model_config}
    config.write_text(json.dumps(settings, ensure_ascii=False, indent=1), encoding="utf-8")
    return [weights, source, config]


def load_translator(directory: str | os.PathLike = DEFAULT_DIR) -> Translator:
    """The translator :func:`save_translator` saved (notebook 10).

    ``FileNotFoundError`` naming the missing files; ``ValueError`` for a broken
    ``config.json`` or ``source.model``. The model is rebuilt with
    ``build_seq2seq(**model_config)`` and its weights loaded.
    """
    directory = _check_directory(directory)
    files = [directory / name for name in FILES]
    missing = [path.name for path in files if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"no saved translator in {directory}: missing {', '.join(missing)}")
    try:
        settings = json.loads(files[2].read_text(encoding="utf-8"))
        target = Vocabulary(tuple(settings["target"]), settings.get("level", "char"))
        lengths = int(settings["source_length"]), int(settings["max_length"])
        model_config = dict(settings["model_config"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{files[2]} is not a translator's config: {type(error).__name__}: "
                         f"{error}") from None
    try:
        source = spm.SentencePieceProcessor(model_proto=files[1].read_bytes())
    except (RuntimeError, OSError, TypeError) as error:
        raise ValueError(f"{files[1]} is not a SentencePiece model: {error}") from None
    from helpers.attention import build_seq2seq

    try:
        seq2seq = build_seq2seq(**model_config)
    except TypeError as error:
        raise ValueError(f"{files[2]}: model_config does not fit build_seq2seq: {error}") from None
    with warnings.catch_warnings():
        # The file also holds the trained optimizer's state, which a translator never uses.
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        seq2seq.model.load_weights(files[0])
    return Translator(seq2seq, source, target, *lengths, model_config,
                      bool(settings.get("lowercase", False)))


class TranslateBox:
    """A translation box for JupyterLab (ipywidgets): a text field, a button, a log.

    Show it with ``TranslateBox(translator).widget`` as the last line of a cell. Enter in
    the field (or setting ``entry.value`` from code), the Translate button or
    :meth:`submit` translate the field's text; the log shows the last 20 pairs and
    ``history`` keeps every ``(English, Chinese)`` pair (notebook 10).
    """

    def __init__(self, translator: Translator, method: str = "beam", **options: Any) -> None:
        import ipywidgets as widgets

        if not isinstance(translator, Translator):
            raise TypeError(f"translator must be a Translator, got {type(translator).__name__}")
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.translator, self.method, self.options = translator, method, options
        self.history: list[tuple[str, str]] = []
        self.entry = widgets.Text(placeholder="English here, then Enter", continuous_update=False)
        self.button = widgets.Button(description="Translate")
        self.log = widgets.HTML("<i>Type an English sentence.</i>")
        self.entry.observe(lambda change: change["new"] and self.submit(), names="value")
        self.button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([widgets.HBox([self.entry, self.button]), self.log])

    def submit(self) -> str:
        """Translate the field's text, log the pair, clear the field; returns the Chinese.

        A blank field translates to ``""`` and is not logged.
        """
        english = self.entry.value
        chinese = translate(self.translator, english, self.method, **self.options)
        if english.strip():
            self.history.append((english, chinese))
            self.log.value = "<br>".join(f"{html.escape(en)} → <b>{html.escape(zh)}</b>"
                                         for en, zh in self.history[-20:])
        self.entry.value = ""
        return chinese


def _read_lines(data: bytes, name: str) -> list[str]:
    """The lines of UTF-8 ``data`` (a BOM is dropped); ``ValueError`` naming the bad line."""
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"{name} is not UTF-8 text (line {line}); save it as UTF-8") from None


def main(argv: list[str] | None = None) -> int:
    """The terminal translator: ``python -m helpers.translate --help``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.translate",
        description="Translate English into Chinese with the model notebook 10 trained and saved.")
    parser.add_argument("text", nargs="*",
                        help="the English to translate; '-' reads lines from standard input")
    parser.add_argument("--file", metavar="IN.txt",
                        help="translate a UTF-8 file, one sentence per line, to standard output")
    parser.add_argument("--model-dir", default=str(DEFAULT_DIR),
                        help="folder the notebook saved the translator in "
                             "(default: notebooks/artifacts/10_translator)")
    parser.add_argument("--method", choices=METHODS, default="beam")
    parser.add_argument("--width", type=int, default=4, help="beam width (default 4)")
    args = parser.parse_args(argv)
    if args.width < 1:
        parser.error("--width must be >= 1")
    if bool(args.text) == bool(args.file):
        parser.error("give either some English text ('-' for standard input) or --file IN.txt")

    if not all((Path(args.model_dir) / name).is_file() for name in FILES):
        print(f"No saved translator in {args.model_dir}.\n"
              f"Run notebook 10 first, which trains and saves it: open {NOTEBOOK} in JupyterLab "
              f"and run all cells, or run\n    make execute NB={NOTEBOOK}\n"
              "or point --model-dir at the folder that holds it.", file=sys.stderr)
        return 2
    try:
        if args.file:
            lines = _read_lines(Path(args.file).read_bytes(), args.file)
        elif args.text == ["-"]:
            lines = _read_lines(sys.stdin.buffer.read(), "standard input")
        else:
            lines = [" ".join(args.text)]
    except (OSError, ValueError) as error:
        print(f"Cannot read the input: {error}", file=sys.stderr)
        return 2

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported
    try:
        import helpers

        helpers.setup(seed=0, style=False, verbose=False)
        translator = load_translator(args.model_dir)
    except Exception as error:  # noqa: BLE001 - any broken file: say so, no traceback
        print(f"Could not load the translator from {args.model_dir}: {type(error).__name__}: "
              f"{error}\nRun notebook 10 again to save it afresh.", file=sys.stderr)
        return 2
    options = {"width": args.width} if args.method == "beam" else {}
    outputs = translator.translate(lines, args.method, **options)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a terminal without Chinese: '?' not a traceback
    for line in outputs:
        print(line.replace("\n", " "))  # one output line per input line
    return 0


if __name__ == "__main__":
    sys.exit(main())
