"""Talk to a trained seq2seq chatbot: one line, a chat box in JupyterLab, or a terminal.

Taught in notebook 07 (序列到序列对话), which trains the bots and saves them under
``notebooks/artifacts/``. From a terminal, in the course's folder::

    python -m helpers.chat                 # the English bot, beam search
    python -m helpers.chat --bot zh        # the Chinese bot
    python -m helpers.chat --method sample --temperature 0.5
    python -m helpers.chat --once "how are you?"

- :class:`Chatbot`: the inference models, the two vocabularies and the lengths they were
  trained with; :meth:`Chatbot.replies` answers many statements at once;
- :func:`chat`: one statement in, one reply out; empty input gets a friendly answer and
  characters the bot never saw become ``<unk>``, so no input makes it crash;
- :func:`save_chatbot` / :func:`load_chatbot`: to and from a folder;
- :class:`ChatBox`: an ipywidgets chat box (``ChatBox(bot).widget`` in a notebook cell).

Importing this module does not import TensorFlow (the terminal chat quiets its logs first).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.text import Vocabulary, tokenize

if TYPE_CHECKING:
    import keras

METHODS = ("greedy", "beam", "sample")
EMPTY_INPUT_REPLY = "(say something: type a line, then press Enter)"
EMPTY_REPLY = "..."
BOTS = {"en": "07_chatbot_en", "zh": "07_chatbot_zh"}


@dataclass(frozen=True)
class Chatbot:
    """A trained character-level seq2seq chatbot and what it needs to read and write text.

    ``source_length`` is the longest statement the encoder was trained on (longer input
    keeps its last ``source_length`` tokens, the ones nearest the thought vector);
    ``max_length`` the most tokens a reply may have, ``<end>`` included; ``lowercase``
    whether statements were lower-cased for training (notebook 07).
    """

    encoder_model: keras.Model
    decoder_model: keras.Model
    source_vocab: Vocabulary
    target_vocab: Vocabulary
    source_length: int
    max_length: int
    lowercase: bool = False

    def __post_init__(self) -> None:
        for name in ("source_vocab", "target_vocab"):
            if not isinstance(getattr(self, name), Vocabulary):
                raise TypeError(f"{name} must be a Vocabulary, got "
                                f"{type(getattr(self, name)).__name__}")
        for name in ("source_length", "max_length"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")

    def prepare(self, text: str) -> str:
        """``text`` as the encoder will read it: stripped, lower-cased if trained so, cut."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        text = text.strip()
        if self.lowercase:
            text = text.lower()
        tokens = tokenize(text, self.source_vocab.level)[-self.source_length:]
        return ("" if self.source_vocab.level == "char" else " ").join(tokens)

    def replies(self, texts: list[str], method: str = "beam", *, width: int = 3,
                alpha: float = 1.0, temperature: float = 1.0, seed: Any = None) -> list[str]:
        """One reply per statement, decoded with ``method``: ``greedy``, ``beam`` or ``sample``.

        Special tokens other than ``<unk>`` are left out of the replies.
        """
        from helpers import decoding

        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        if isinstance(texts, str):
            raise TypeError("texts must be a list of strings, not a single string")
        prepared = [self.prepare(t) for t in texts]
        x = decoding.encode_inputs(prepared, self.source_vocab, self.source_length)
        seq2seq = decoding.OneHotSeq2Seq(self.encoder_model, self.decoder_model)
        if method == "greedy":
            ids = decoding.greedy_decode(seq2seq, x, max_length=self.max_length)
        elif method == "beam":
            ids = decoding.beam_search(seq2seq, x, max_length=self.max_length, width=width,
                                       alpha=alpha)
        else:
            ids = decoding.sample_decode(seq2seq, x, max_length=self.max_length,
                                         temperature=temperature, seed=seed)
        return [self.target_vocab.decode(row).strip() for row in ids]


def chat(bot: Chatbot, text: str, method: str = "beam", **options: Any) -> str:
    """The bot's reply to one line of ``text`` (notebook 07).

    Empty or blank input gets :data:`EMPTY_INPUT_REPLY`; an empty reply from the model
    becomes ``"..."``. ``options`` go to :meth:`Chatbot.replies` (``width``, ``alpha``,
    ``temperature``, ``seed``).
    """
    if not isinstance(bot, Chatbot):
        raise TypeError(f"bot must be a Chatbot, got {type(bot).__name__}")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not bot.prepare(text):
        return EMPTY_INPUT_REPLY
    return bot.replies([text], method, **options)[0] or EMPTY_REPLY


def _files(directory: Path, name: str) -> tuple[Path, Path, Path]:
    return (directory / f"{name}_encoder.keras", directory / f"{name}_decoder.keras",
            directory / f"{name}.json")


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name or any(c in name for c in "/\\"):
        raise ValueError(f"name must be a non-empty file name without slashes, got {name!r}")
    return name


def save_chatbot(bot: Chatbot, directory: str | os.PathLike, name: str) -> list[Path]:
    """Save ``bot`` as ``{name}_encoder.keras``, ``{name}_decoder.keras``, ``{name}.json``.

    The folder is made if needed; returns the three paths (notebook 07).
    """
    if not isinstance(bot, Chatbot):
        raise TypeError(f"bot must be a Chatbot, got {type(bot).__name__}")
    if not isinstance(directory, str | os.PathLike):
        raise TypeError(f"directory must be a path, got {type(directory).__name__}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    encoder_path, decoder_path, config_path = _files(directory, _check_name(name))
    bot.encoder_model.save(encoder_path)
    bot.decoder_model.save(decoder_path)
    config = {"source": bot.source_vocab.tokens, "target": bot.target_vocab.tokens,
              "level": bot.source_vocab.level, "source_length": bot.source_length,
              "max_length": bot.max_length, "lowercase": bot.lowercase}
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return [encoder_path, decoder_path, config_path]


def load_chatbot(directory: str | os.PathLike, name: str) -> Chatbot:
    """The bot :func:`save_chatbot` saved; ``FileNotFoundError`` naming what is missing."""
    if not isinstance(directory, str | os.PathLike):
        raise TypeError(f"directory must be a path, got {type(directory).__name__}")
    files = _files(Path(directory), _check_name(name))
    missing = [p.name for p in files if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no chatbot {name!r} in {directory}: missing {', '.join(missing)}")
    import keras

    config = json.loads(files[2].read_text(encoding="utf-8"))
    level = config.get("level", "char")
    return Chatbot(keras.models.load_model(files[0]), keras.models.load_model(files[1]),
                   Vocabulary(tuple(config["source"]), level),
                   Vocabulary(tuple(config["target"]), level),
                   int(config["source_length"]), int(config["max_length"]),
                   bool(config.get("lowercase", False)))


class ChatBox:
    """A chat box for JupyterLab (ipywidgets): a log of the exchange, a text field, a button.

    Show it with ``ChatBox(bot).widget`` as the last line of a cell. Pressing Enter in the
    field (or setting ``entry.value`` from code) sends the line; the Send button
    (``button.click()`` from code) sends whatever is in the field, even nothing.
    ``history`` keeps the ``(you, bot)`` pairs (notebook 07).
    """

    def __init__(self, bot: Chatbot, method: str = "beam", **options: Any) -> None:
        import ipywidgets as widgets

        if not isinstance(bot, Chatbot):
            raise TypeError(f"bot must be a Chatbot, got {type(bot).__name__}")
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.bot, self.method, self.options = bot, method, options
        self.history: list[tuple[str, str]] = []
        self.log = widgets.HTML(value="<i>Say something to the bot.</i>")
        self.entry = widgets.Text(placeholder="type here, then press Enter",
                                  continuous_update=False)
        self.button = widgets.Button(description="Send")
        self.entry.observe(self._on_enter, names="value")
        self.button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([self.log, widgets.HBox([self.entry, self.button])])

    def _on_enter(self, change: dict) -> None:
        if change["new"]:  # clearing the field after a reply is not a new line
            self.submit()

    def submit(self) -> str:
        """Send the field's text, show the reply in the log, clear the field; returns the reply."""
        text = self.entry.value
        reply = chat(self.bot, text, self.method, **self.options)
        self.history.append((text, reply))
        self.log.value = "<br>".join(
            f"<b>you:</b> {html.escape(you)}<br><b>bot:</b> {html.escape(bot)}"
            for you, bot in self.history[-20:])
        self.entry.value = ""
        return reply


def main(argv: list[str] | None = None) -> int:
    """The terminal chat: ``python -m helpers.chat --help``."""
    from helpers import paths

    parser = argparse.ArgumentParser(
        prog="python -m helpers.chat",
        description="Talk to the chatbot that notebook 07 trained and saved. "
                    "Type a line and press Enter; 'quit' or Ctrl-D ends.")
    parser.add_argument("--bot", choices=sorted(BOTS), default="en",
                        help="en: chitchat (English), zh: chatterbot-corpus (Chinese)")
    parser.add_argument("--model-dir", default=str(paths.ARTIFACTS),
                        help="folder the notebook saved the bot in (default: notebooks/artifacts)")
    parser.add_argument("--method", choices=METHODS, default="beam")
    parser.add_argument("--width", type=int, default=3, help="beam width")
    parser.add_argument("--temperature", type=float, default=0.5, help="sampling temperature")
    parser.add_argument("--once", metavar="TEXT", help="answer TEXT and exit")
    args = parser.parse_args(argv)
    if args.width < 1 or not args.temperature > 0:
        parser.error("--width must be >= 1 and --temperature > 0")

    name = BOTS[args.bot]
    if not all(p.is_file() for p in _files(Path(args.model_dir), name)):
        print(f"No saved chatbot {name!r} in {args.model_dir}.\n"
              "Run notebook 07 first, which trains and saves it: open "
              "notebooks/07_seq2seq_dialogue.ipynb in JupyterLab and run all cells, or run\n"
              "    make execute NB=notebooks/07_seq2seq_dialogue.ipynb\n"
              "or point --model-dir at the folder that holds it.", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported
    try:
        import helpers

        helpers.setup(seed=0, style=False, verbose=False)
        bot = load_chatbot(args.model_dir, name)
    except Exception as error:  # noqa: BLE001 - any broken file: say so, no traceback
        print(f"Could not load the chatbot {name!r} from {args.model_dir}: "
              f"{type(error).__name__}: {error}\nRun notebook 07 again to save it afresh.",
              file=sys.stderr)
        return 2
    options: dict[str, Any] = {"width": args.width} if args.method == "beam" else {}
    if args.method == "sample":
        options = {"temperature": args.temperature}
    if args.once is not None:
        print(chat(bot, args.once, args.method, **options))
        return 0
    print(f"Chatting with {name} ({args.method}). Type 'quit' or press Ctrl-D to end.")
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in {"quit", "exit"}:
            return 0
        print(f"bot> {chat(bot, line, args.method, **options)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
