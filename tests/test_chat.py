"""helpers.chat: the chatbot wrapper, saving and loading, the chat box and the terminal chat."""

import os
import subprocess
import sys
from pathlib import Path

import keras
import pytest

from helpers import chat, models
from helpers.text import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Vocabulary.build(["hello there", "how are you?"])
TARGET = Vocabulary.build(["hi!", "fine, thanks"])


@pytest.fixture(scope="module")
def bot():
    """An untrained, seeded bot: what it says does not matter, only that it always answers."""
    keras.utils.set_random_seed(4)
    built = models.build_seq2seq(len(SOURCE), len(TARGET), units=8)
    encoder_model, decoder_model = models.inference_models(built.model)
    return chat.Chatbot(encoder_model, decoder_model, SOURCE, TARGET, source_length=12,
                        max_length=6, lowercase=True)


@pytest.fixture(scope="module")
def saved(bot, tmp_path_factory):
    directory = tmp_path_factory.mktemp("artifacts")
    chat.save_chatbot(bot, directory, chat.BOTS["en"])
    return directory


def test_chat_answers_anything_with_a_string(bot):
    for text in ["hello there", "HOW ARE YOU?", "☃ ünknown 字符 🎂", "x" * 200, " a "]:
        reply = chat.chat(bot, text)
        assert isinstance(reply, str) and reply
    for method in chat.METHODS:
        assert isinstance(chat.chat(bot, "hello", method, **({"seed": 0} if method == "sample" else {})),
                          str)


def test_empty_input_gets_a_friendly_answer(bot):
    assert chat.chat(bot, "") == chat.EMPTY_INPUT_REPLY
    assert chat.chat(bot, "   \n") == chat.EMPTY_INPUT_REPLY


def test_prepare_lowercases_strips_and_keeps_the_last_tokens(bot):
    assert bot.prepare("  Hello THERE ") == "hello there"
    assert bot.prepare("abcdefghijklmnopq") == "fghijklmnopq"  # the last 12 characters
    replies = bot.replies(["hello", "☃☃☃", "x" * 50], "greedy")
    assert len(replies) == 3 and all(isinstance(r, str) for r in replies)


def test_chat_rejects_bad_input(bot):
    with pytest.raises(TypeError, match="text must be a str"):
        chat.chat(bot, None)
    with pytest.raises(TypeError, match="bot must be a Chatbot"):
        chat.chat("bot", "hi")
    with pytest.raises(ValueError, match="method must be one of"):
        chat.chat(bot, "hi", "shout")
    with pytest.raises(TypeError, match="not a single string"):
        bot.replies("hi")
    with pytest.raises(ValueError, match="source_length must be an int >= 1"):
        chat.Chatbot(bot.encoder_model, bot.decoder_model, SOURCE, TARGET, 0, 5)
    with pytest.raises(TypeError, match="target_vocab must be a Vocabulary"):
        chat.Chatbot(bot.encoder_model, bot.decoder_model, SOURCE, ["a"], 5, 5)


def test_save_and_load_give_the_same_replies(bot, saved):
    loaded = chat.load_chatbot(saved, chat.BOTS["en"])
    texts = ["hello there", "how are you?", "☃"]
    assert loaded.replies(texts, "beam") == bot.replies(texts, "beam")
    assert (loaded.source_length, loaded.max_length, loaded.lowercase) == (12, 6, True)
    assert loaded.source_vocab == SOURCE and loaded.target_vocab == TARGET


def test_load_says_what_is_missing(tmp_path, bot):
    with pytest.raises(FileNotFoundError, match="missing 07_chatbot_en_encoder.keras"):
        chat.load_chatbot(tmp_path, chat.BOTS["en"])
    with pytest.raises(ValueError, match="name must be a non-empty file name"):
        chat.load_chatbot(tmp_path, "../x")
    with pytest.raises(TypeError, match="directory must be a path"):
        chat.save_chatbot(bot, 3, "x")
    with pytest.raises(TypeError, match="bot must be a Chatbot"):
        chat.save_chatbot("bot", tmp_path, "x")


def test_the_chat_box_replies_in_its_log(bot):
    box = chat.ChatBox(bot, method="greedy")
    box.entry.value = "hello <there>"  # what pressing Enter does
    assert len(box.history) == 1 and box.history[0][0] == "hello <there>"
    assert box.entry.value == ""  # cleared for the next line
    assert "hello &lt;there&gt;" in box.log.value  # shown escaped, never as HTML
    box.button.click()  # Send with an empty field
    assert box.history[-1] == ("", chat.EMPTY_INPUT_REPLY)
    assert chat.EMPTY_INPUT_REPLY in box.log.value
    assert box.submit() == chat.EMPTY_INPUT_REPLY
    with pytest.raises(ValueError, match="method must be one of"):
        chat.ChatBox(bot, method="loud")


def run_chat(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "helpers.chat", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=300)


def test_terminal_chat_talks_to_a_saved_bot(saved):
    result = run_chat("--model-dir", str(saved), stdin="hello there\n\n☃ 你好\nquit\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("bot> ") == 3
    assert chat.EMPTY_INPUT_REPLY in result.stdout
    assert "Traceback" not in result.stderr
    once = run_chat("--model-dir", str(saved), "--method", "sample", "--once", "how are you?")
    assert once.returncode == 0 and once.stdout.strip(), once.stderr


def test_terminal_chat_without_a_model_says_what_to_run(tmp_path):
    result = run_chat("--model-dir", str(tmp_path), stdin="hi\n")
    assert result.returncode == 2
    assert "make execute NB=notebooks/07_seq2seq_dialogue.ipynb" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_terminal_chat_with_broken_files_says_so(tmp_path):
    for path in chat._files(tmp_path, chat.BOTS["zh"]):
        path.write_text("not a model")
    result = run_chat("--model-dir", str(tmp_path), "--bot", "zh", stdin="hi\n")
    assert result.returncode == 2
    assert "Could not load the chatbot" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert run_chat("--width", "0").returncode == 2  # argparse's usage error, no traceback
