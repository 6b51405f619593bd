"""helpers.translate: the translator of notebook 10, saving and loading, the box and the terminal."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
import sentencepiece as spm

from helpers import decoding, translate
from helpers.attention import build_seq2seq
from helpers.text import PAD_ID, UNK_ID, Vocabulary

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ["I am hungry.", "I am tired.", "You are kind.", "He is tall.", "She is here.",
           "We are late.", "They are happy.", "It is cold.", "Tom is busy.", "I like tea.",
           "I love you.", "Come here.", "Go away!", "Help me!", "Who are you?", "Where is it?",
           "What is this?", "I see.", "Stop it.", "Be quiet.", "Wait here.", "Sit down.",
           "Look out!", "Thank you.", "Good night.", "See you.", "Call me.", "I know.",
           "I won!", "Hurry up!"]
CHINESE = Vocabulary.build(["我饿了。", "我累了。", "你很好。", "谢谢你！", "他在这儿吗？"])


def train_sentencepiece(sentences, vocab_size=60):
    """A SentencePiece model trained in memory, with the course's special ids."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, vocab_size=vocab_size,
        pad_id=0, bos_id=1, eos_id=2, unk_id=3, character_coverage=1.0, minloglevel=2)
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


def make_translator(seed=5, **changes):
    source = train_sentencepiece([s.lower() for s in ENGLISH])
    config = {"source_vocab_size": source.get_piece_size(), "target_vocab_size": len(CHINESE),
              "units": 8, "embedding_dim": 4, "attention": "general"}
    keras.utils.set_random_seed(seed)
    fields = {"seq2seq": build_seq2seq(**config), "source": source, "target_vocab": CHINESE,
              "source_length": 6, "max_length": 7, "model_config": config, "lowercase": True}
    return translate.Translator(**{**fields, **changes})


@pytest.fixture(scope="module")
def translator():
    """An untrained, seeded translator: what it says does not matter, only that it answers."""
    return make_translator()


@pytest.fixture(scope="module")
def saved(translator, tmp_path_factory):
    directory = tmp_path_factory.mktemp("artifacts") / "10_translator"
    translate.save_translator(translator, directory)
    return directory


@pytest.fixture
def calls(monkeypatch):
    """The batch sizes the decoding functions were called with, in order."""
    seen = []
    for name in ("greedy_decode", "beam_search"):
        real = getattr(decoding, name)

        def spy(model, source_ids, *, _real=real, **options):
            seen.append(len(source_ids))
            return _real(model, source_ids, **options)

        monkeypatch.setattr(decoding, name, spy)
    return seen


def test_encode_pads_at_the_end_lowercases_and_cuts(translator):
    x = translator.encode(["I am hungry.", "", "  i AM  "])
    assert x.dtype == np.int32 and x.shape == (3, 6)  # "i am hungry." is cut to 6 pieces
    assert (x[1] == PAD_ID).all()
    i_am = translator.encode(["i am"])[0].tolist()
    assert x[2].tolist() == i_am + [PAD_ID] * (6 - len(i_am))  # stripped and lower-cased
    assert translator.encode(["I am"]).shape == (1, len(i_am))
    assert translator.encode([""]).shape == (1, 1)
    assert UNK_ID in translator.encode(["🎂 Привет"])[0]


def test_translate_answers_anything_with_a_string(translator):
    texts = ["I am hungry.", "WHO ARE YOU?", "I am 🎂 hungry", "tom Привет", "tom " * 100]
    for method in translate.METHODS:
        outputs = translator.translate(texts, method)
        assert len(outputs) == len(texts) and all(isinstance(o, str) for o in outputs)
        assert translate.UNREADABLE not in outputs
        assert outputs[0] == translate.translate(translator, "I am hungry.", method)
    assert translate.translate(translator, "Help me!", width=1, alpha=0.0) == \
        translate.translate(translator, "Help me!", width=1, alpha=0)


def test_empty_input_gives_empty_output_without_the_model(translator, calls):
    assert translate.translate(translator, "") == ""
    assert translator.translate(["", "  \n\t", " "], "greedy") == ["", "", ""]
    assert calls == []


def test_nothing_known_gets_a_clear_message(translator, calls):
    for text in ["🎂🎂", "Привет!", "...", "日本語"]:
        assert translate.translate(translator, text) == translate.UNREADABLE
    assert calls == []
    mixed = translator.translate(["🎂🎂. I see.", "Привет! Thank you."], "greedy")
    assert all(out.startswith(translate.UNREADABLE) for out in mixed)
    assert mixed[0] == translate.UNREADABLE + translate.translate(translator, "I see.", "greedy")


def test_sentences_are_split_translated_together_and_joined(translator, calls):
    assert translate.split_sentences(" Hi there. Who? Go!  你好。谢谢！3.5 is  ") == \
        ["Hi there.", "Who?", "Go!", "你好。", "谢谢！", "3.5 is"]
    assert translate.split_sentences("  ") == []
    one = [translate.translate(translator, s, "greedy") for s in ["I see.", "Go away!", "Who are you?"]]
    calls.clear()
    assert translate.translate(translator, "I see. Go away!\nWho are you?", "greedy") == "".join(one)
    assert calls == [3]  # one batch for the three sentences


def test_many_sentences_go_in_chunks_of_at_most_256(translator, calls):
    words = ["i", "you", "he", "see", "me", "it", "go", "is", "am", "are", "we"]  # 1-2 pieces
    texts = [f"{a} {b} {c}" for a in words for b in words for c in words][:300]
    assert len({tuple(row) for row in translator.encode(texts)}) == 300  # none cut
    assert len(translator.translate(texts, "greedy")) == 300 and calls == [256, 44]
    calls.clear()
    once = translate.translate(translator, "I see.", "greedy")
    assert translator.translate(["I see.", " I SEE.", "i see."], "greedy") == [once] * 3
    assert calls == [1, 1]  # what reads the same is translated once


def test_a_long_paragraph_gets_a_best_effort_translation(translator):
    words = ("tom is busy and i am tired but we are late so hurry up " * 40).split()[:500]
    paragraph = " ".join(words) + ". " + "Sit down! " * 20 + "🎂" * 50
    for method in translate.METHODS:
        output = translate.translate(translator, paragraph, method, width=2)
        assert isinstance(output, str)


def test_save_and_load_give_the_same_translations(translator, saved):
    assert sorted(p.name for p in saved.iterdir()) == sorted(translate.FILES)
    config = json.loads((saved / "config.json").read_text(encoding="utf-8"))
    assert "饿" in (saved / "config.json").read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    assert config["model_config"] == translator.model_config
    loaded = translate.load_translator(saved)
    assert (loaded.source_length, loaded.max_length, loaded.lowercase) == (6, 7, True)
    assert loaded.target_vocab == CHINESE and loaded.model_config == translator.model_config
    assert loaded.source.serialized_model_proto() == translator.source.serialized_model_proto()
    texts = ["I am hungry.", "Where is it? Call me.", "🎂 Thank you", "", "x" * 100]
    for method in translate.METHODS:
        assert loaded.translate(texts, method) == translator.translate(texts, method)
    assert (loaded.encode(texts) == translator.encode(texts)).all()


def test_load_says_what_is_missing_or_broken(tmp_path, saved):
    with pytest.raises(FileNotFoundError, match="missing model.weights.h5, source.model, config.json"):
        translate.load_translator(tmp_path)
    for name in translate.FILES:
        (tmp_path / name).write_bytes((saved / name).read_bytes())
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="config.json is not a translator's config"):
        translate.load_translator(tmp_path)
    (tmp_path / "config.json").write_bytes((saved / "config.json").read_bytes())
    (tmp_path / "source.model").write_bytes(b"not a model")
    with pytest.raises(ValueError, match="source.model is not a SentencePiece model"):
        translate.load_translator(tmp_path)
    (tmp_path / "source.model").unlink()
    with pytest.raises(FileNotFoundError, match="missing source.model$"):
        translate.load_translator(str(tmp_path))


def test_bad_arguments_are_named(translator, tmp_path):
    bad_calls = [
        (TypeError, "translator must be a Translator", lambda: translate.translate("t", "hi")),
        (TypeError, "text must be a str", lambda: translate.translate(translator, None)),
        (ValueError, "method must be one of", lambda: translate.translate(translator, "hi", "sample")),
        (ValueError, "width must be >= 1", lambda: translate.translate(translator, "hi", width=0)),
        (TypeError, "width must be an int", lambda: translate.translate(translator, "hi", width=2.0)),
        (ValueError, "alpha must be a finite number >= 0",
         lambda: translate.translate(translator, "hi", alpha=-1)),
        (TypeError, "alpha must be a number", lambda: translate.translate(translator, "hi", alpha="1")),
        (TypeError, "unexpected keyword", lambda: translate.translate(translator, "hi", temperature=1)),
        (TypeError, "not a single string", lambda: translator.translate("hi")),
        (TypeError, r"texts\[1\] must be a str", lambda: translator.translate(["hi", 3])),
        (TypeError, "texts must be a list of strings", lambda: translator.encode(7)),
        (ValueError, "texts is empty", lambda: translator.encode([])),
        (TypeError, "text must be a str", lambda: translate.split_sentences(None)),
        (TypeError, "translator must be a Translator", lambda: translate.save_translator(None, tmp_path)),
        (TypeError, "directory must be a path", lambda: translate.save_translator(translator, 3)),
        (TypeError, "directory must be a path", lambda: translate.load_translator(None)),
        (TypeError, "translator must be a Translator", lambda: translate.TranslateBox("t")),
        (ValueError, "method must be one of", lambda: translate.TranslateBox(translator, "loud")),
    ]
    for error, message, call in bad_calls:
        with pytest.raises(error, match=message):
            call()
    assert translator.translate([], "beam") == []


def test_the_translator_checks_its_parts(translator):
    fields = {"seq2seq": translator.seq2seq, "source": translator.source,
              "target_vocab": CHINESE, "source_length": 6, "max_length": 7,
              "model_config": translator.model_config}
    config = translator.model_config
    other_source = train_sentencepiece(ENGLISH + ["zebra quilt jumps"], vocab_size=70)
    wrong_ids = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(ENGLISH), model_writer=wrong_ids,
                                   vocab_size=60, minloglevel=2)  # <unk> 0, <s> 1, </s> 2
    bad = [
        (TypeError, "seq2seq must be an AttentionSeq2Seq", {"seq2seq": translator.seq2seq.model}),
        (TypeError, "source must be a sentencepiece.SentencePieceProcessor", {"source": "spm"}),
        (TypeError, "target_vocab must be a Vocabulary", {"target_vocab": list(CHINESE.tokens)}),
        (ValueError, "source_length must be >= 1", {"source_length": 0}),
        (TypeError, "max_length must be an int", {"max_length": "7"}),
        (TypeError, "lowercase must be True or False", {"lowercase": "yes"}),
        (TypeError, "model_config must be a dict", {"model_config": [("units", 8)]}),
        (ValueError, "model_config must be JSON-able keyword arguments of build_seq2seq",
         {"model_config": {**config, "dropout": 0.1}}),
        (ValueError, "model_config must be JSON-able", {"model_config": {**config, "units": object()}}),
        (ValueError, "the source sizes disagree", {"source": other_source}),
        (ValueError, "the target sizes disagree",
         {"target_vocab": Vocabulary.build(["我饿了。", "你好"])}),
        (ValueError, "the target sizes disagree",
         {"model_config": {**config, "target_vocab_size": 99}}),
        (ValueError, "model_config\\['attention'\\] is 'additive'",
         {"model_config": {**config, "attention": "additive"}}),
        (ValueError, "source must be trained with pad_id=0",
         {"source": spm.SentencePieceProcessor(model_proto=wrong_ids.getvalue())}),
    ]
    for error, message, change in bad:
        with pytest.raises(error, match=message):
            translate.Translator(**{**fields, **change})
    kept = dict(config)
    made = translate.Translator(**{**fields, "model_config": kept})
    kept["units"] = 99  # the translator keeps its own copy
    assert made.model_config["units"] == 8 and made.lowercase is False


def test_the_box_translates_from_code_and_escapes(translator):
    box = translate.TranslateBox(translator, "greedy")
    box.entry.value = "I am <hungry>"  # what pressing Enter does
    assert box.history == [("I am <hungry>", translate.translate(translator, "I am <hungry>", "greedy"))]
    assert box.entry.value == "" and "I am &lt;hungry&gt;" in box.log.value
    box.entry.value = "   "
    assert box.submit() == "" and len(box.history) == 1  # blank: nothing to log
    for n in range(21):
        box.entry.value = f"I see {n}"
    box.button.click()  # an empty field: nothing happens
    assert len(box.history) == 22 and box.log.value.count("<br>") == 19  # the last 20 shown
    assert "I see 20 →" in box.log.value and "I see 1 →" in box.log.value
    assert "I see 0 →" not in box.log.value and "hungry" not in box.log.value


def run_cli(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "helpers.translate", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=300)


def test_importing_does_not_import_tensorflow():
    code = "import sys, helpers.translate; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_cli_without_a_model_says_which_notebook_to_run(tmp_path):
    result = run_cli("--model-dir", str(tmp_path), "I am hungry.")
    assert result.returncode == 2
    assert "make execute NB=notebooks/10_machine_translation.ipynb" in result.stderr
    assert "--model-dir" in result.stderr and "Traceback" not in result.stderr + result.stdout
    usage = run_cli("--model-dir", str(tmp_path))  # neither text nor --file
    assert usage.returncode == 2 and "give either" in usage.stderr


def test_cli_refuses_unreadable_input_files(saved, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("I see.\nCafé au lait.\n".encode("latin-1"))
    result = run_cli("--model-dir", str(saved), "--file", str(latin1))
    assert result.returncode == 2, result.stderr
    assert "is not UTF-8 text (line 2)" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("--model-dir", str(saved), "--file", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.fixture
def setups(monkeypatch):
    """The CLI's calls of helpers.setup, recorded instead of run (it would seed this process)."""
    import helpers

    seen = []
    monkeypatch.setattr(helpers, "setup", lambda **options: seen.append(options))
    return seen


def test_cli_translates_an_argument(translator, saved, capsys, setups):
    # In this process: a subprocess would spend most of the test's time importing TensorFlow.
    assert translate.main(["--model-dir", str(saved), "--method", "greedy", "I", "am", "hungry."]) == 0
    assert capsys.readouterr().out == translate.translate(translator, "I am hungry.", "greedy") + "\n"
    assert setups == [{"seed": 0, "style": False, "verbose": False}]
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"]  # set before TensorFlow would be imported


def test_cli_translates_a_file_line_by_line(translator, saved, tmp_path, capsys, monkeypatch,
                                            setups):
    lines = ["I am hungry.", "", "Who are you? Go away!", "   ", "🎂", "Thank you."]
    path = tmp_path / "in.txt"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")  # a BOM is fine
    assert translate.main(["--model-dir", str(saved), "--file", str(path), "--width", "2"]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out[:-1] == translator.translate(lines, "beam", width=2) and out[-1] == ""
    assert out[1] == out[3] == "" and out[4] == translate.UNREADABLE

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Go away!\n\nI see.")))
    assert translate.main(["--model-dir", str(saved), "--method", "greedy", "-"]) == 0
    assert capsys.readouterr().out == "\n".join(translator.translate(["Go away!", "", "I see."],
                                                                     "greedy")) + "\n"


def test_cli_with_a_broken_model_says_so(saved, tmp_path, capsys, setups):
    for name in translate.FILES:
        (tmp_path / name).write_bytes((saved / name).read_bytes())
    (tmp_path / "model.weights.h5").write_text("not weights")
    assert translate.main(["--model-dir", str(tmp_path), "hi"]) == 2
    err = capsys.readouterr().err
    assert "Could not load the translator" in err and "Run notebook 10 again" in err
    with pytest.raises(SystemExit) as exit_info:
        translate.main(["--width", "0", "hi"])
    assert exit_info.value.code == 2


def test_loading_a_trained_translator_warns_about_nothing(translator, tmp_path):
    import warnings

    translator.seq2seq.model.fit(
        [np.array([[5, 6]], "int32"), np.array([[1, 4]], "int32")], np.array([[4, 2]], "int32"),
        epochs=1, verbose=0)                                # the optimizer now has state
    translate.save_translator(translator, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        translate.load_translator(tmp_path)
