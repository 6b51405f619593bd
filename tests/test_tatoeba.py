"""helpers.tatoeba: the English–Chinese corpus of notebook 10, its cleaning and its split."""

import hashlib
from dataclasses import FrozenInstanceError

import pytest
import sacrebleu

from helpers import tatoeba
from helpers.paths import DATASETS
from helpers.tatoeba import Pair

FILE_SHA256 = "e4286c6298651e553493309704334a1234194326b56c29df023afad5b0678603"
# The course split: split_by_english(clean_pairs(load_tatoeba()), valid=1000, test=1000, seed=0).
# (pairs, English sentences, SHA-256 of split_checksum); datasets/README.md quotes them.
COURSE_SPLIT = {
    "train": (18_953, 18_228, "49c738722ff5d0d2f6d17f070e2c0f4d042a7cbab348ba8edaa26cc51ff1730e"),
    "valid": (1_033, 1_000, "15e6a4f4d41a846f5807b721db17539ec7d3349d9ad0c68392763053687fa73f"),
    "test": (1_041, 1_000, "cb279bad26684b309d4822f5f8ff6c5238961b076d4019daa61d6b748850d1a1"),
}


@pytest.fixture(scope="module")
def raw() -> list[Pair]:
    return tatoeba.load_tatoeba()


@pytest.fixture(scope="module")
def cleaned(raw) -> list[Pair]:
    return tatoeba.clean_pairs(raw)


def _pairs(*rows: str) -> list[Pair]:
    """Pairs from ``"english|chinese"`` strings, attributions numbered."""
    return [Pair(*row.split("|"), f"#{i}") for i, row in enumerate(rows)]


# --- the shipped file ---------------------------------------------------------------------


def test_shipped_file_checksum_and_datasheet():
    data = tatoeba.TATOEBA_PATH.read_bytes()
    assert tatoeba.TATOEBA_PATH == DATASETS / "tatoeba-cmn-eng.tsv"
    assert hashlib.sha256(data).hexdigest() == FILE_SHA256 == tatoeba.CHECKSUM
    assert data.count(b"\n") == 21_081 and data.endswith(b"\n")
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    assert FILE_SHA256 in readme


def test_load_tatoeba_reads_every_line_with_its_attribution(raw):
    assert len(raw) == 21_081
    assert raw[0] == Pair("Hi.", "嗨。", "CC-BY 2.0 (France) Attribution: tatoeba.org "
                                         "#538123 (CM) & #891077 (Martha)")
    assert all(p.attribution.startswith("CC-BY 2.0 (France) Attribution: tatoeba.org #")
               for p in raw)
    with pytest.raises(FrozenInstanceError):
        raw[0].english = "Hello."


@pytest.mark.parametrize("text, match", [
    ("Hi.\t嗨。\tCC\nGo.\t走。\n", r"tatoeba\.tsv:2: 2 tab-separated fields, expected 3"),
    ("Hi.\t嗨。\tCC\tx\n", r"tatoeba\.tsv:1: 4 tab-separated fields"),
    ("Hi.\t嗨。\tCC\n\nGo.\t走。\tCC\n", r"tatoeba\.tsv:2: 1 tab-separated fields"),
    ("Hi.\t嗨。\tCC\nGo.\t \tCC\n", r"tatoeba\.tsv:2: empty chinese field"),
    ("\t嗨。\tCC\n", r"tatoeba\.tsv:1: empty english field"),
    ("Hi.\t嗨。\t\n", r"tatoeba\.tsv:1: empty attribution field"),
    ("", "holds no pairs"),
])
def test_load_tatoeba_names_the_bad_line(tmp_path, text, match):
    path = tmp_path / "tatoeba.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        tatoeba.load_tatoeba(path)


def test_load_tatoeba_bad_bytes_and_bad_paths(tmp_path):
    path = tmp_path / "tatoeba.tsv"
    path.write_bytes("Hi.\t嗨。\tCC\n".encode() + "Go.\t走。\tCC\n".encode("gbk"))
    with pytest.raises(ValueError, match=r"tatoeba\.tsv:2: not UTF-8"):
        tatoeba.load_tatoeba(path)
    path.write_text("Hi. \t 嗨。\tCC\n", encoding="utf-8")
    assert tatoeba.load_tatoeba(str(path)) == [Pair("Hi. ", " 嗨。", "CC")]  # as written
    with pytest.raises(FileNotFoundError, match="path: no file at"):
        tatoeba.load_tatoeba(tmp_path / "none.tsv")
    with pytest.raises(TypeError, match="path must be a path"):
        tatoeba.load_tatoeba(3)


# --- cleaning -----------------------------------------------------------------------------


def test_to_simplified():
    assert tatoeba.to_simplified("我試試") == "我试试"
    assert tatoeba.to_simplified("我没事。") == "我没事。"  # already Simplified
    assert tatoeba.to_simplified("你會游泳，不是嗎？Tom!") == "你会游泳，不是吗？Tom!"
    assert tatoeba.to_simplified("") == ""
    with pytest.raises(TypeError, match="text must be a str"):
        tatoeba.to_simplified(["我試試"])


def test_clean_pairs_tidies_simplifies_and_drops_duplicates():
    pairs = _pairs(" Hi,\t  Tom. |他是一个 DJ 。", "Hi, Tom.|他是一個DJ。", "Hi, Tom.|他是一个DJ。",
                   "Go!|走開！", "Go!|走开！")
    assert tatoeba.clean_pairs(pairs) == [
        Pair("Hi, Tom.", "他是一个DJ。", "#0"), Pair("Go!", "走开！", "#3")]
    assert tatoeba.clean_pairs(pairs, simplify=False) == [
        Pair("Hi, Tom.", "他是一个DJ。", "#0"), Pair("Hi, Tom.", "他是一個DJ。", "#1"),
        Pair("Go!", "走開！", "#3"), Pair("Go!", "走开！", "#4")]
    assert pairs[0].english == " Hi,\t  Tom. "  # the input is not changed
    # No NFKC: full-width punctuation stays full-width.
    assert tatoeba.clean_pairs(_pairs("Really?|真的？！"))[0].chinese == "真的？！"
    assert tatoeba.clean_pairs([]) == []


@pytest.mark.parametrize("pairs, kwargs, error, match", [
    ("Hi.", {}, TypeError, "pairs must be a list of Pair, got str"),
    (5, {}, TypeError, "pairs must be a list of Pair, got int"),
    ([("Hi.", "嗨。", "CC")], {}, TypeError, r"pairs\[0\] must be a Pair, got tuple"),
    (_pairs("Hi.|嗨。"), {"simplify": "yes"}, TypeError, "simplify must be a bool"),
])
def test_clean_pairs_rejects_bad_input(pairs, kwargs, error, match):
    with pytest.raises(error, match=match):
        tatoeba.clean_pairs(pairs, **kwargs)


def test_cleaning_the_course_corpus(raw, cleaned):
    assert sum(tatoeba.to_simplified(p.chinese) != p.chinese for p in raw) == 9_353
    assert len(tatoeba.clean_pairs(raw, simplify=False)) == 21_081  # no exact duplicates
    assert len(cleaned) == 21_027  # 54 pairs become duplicates once Simplified
    assert len({(p.english, p.chinese) for p in cleaned}) == len(cleaned)
    assert all(p.chinese == tatoeba.to_simplified(p.chinese) and not any(c.isspace() for c in p.chinese)
               for p in cleaned)
    grouped = tatoeba.group_references(cleaned)
    assert len(grouped) == 20_228
    assert sum(len(chinese) > 1 for chinese in grouped.values()) == 741
    assert max(map(len, grouped.values())) == 6


# --- references and splits ----------------------------------------------------------------


def test_group_references_keeps_corpus_order():
    pairs = _pairs("Hi.|嗨。", "Go.|走。", "Hi.|你好。")
    assert tatoeba.group_references(pairs) == {"Hi.": ["嗨。", "你好。"], "Go.": ["走。"]}
    assert list(tatoeba.group_references(pairs)) == ["Hi.", "Go."]
    assert tatoeba.group_references([]) == {}
    with pytest.raises(TypeError, match=r"pairs\[1\] must be a Pair"):
        tatoeba.group_references([pairs[0], "Go.\t走。"])


def test_split_by_english_keeps_each_sentence_on_one_side():
    pairs = [Pair(f"s{i}", f"译{i}{j}", "CC") for i in range(20) for j in range(i % 3 + 1)]
    split = tatoeba.split_by_english(pairs, valid=3, test=4, seed=1)
    sides = {name: {p.english for p in getattr(split, name)} for name in ("train", "valid", "test")}
    assert [len(sides[name]) for name in ("train", "valid", "test")] == [13, 3, 4]
    assert not (sides["train"] & sides["valid"] or sides["train"] & sides["test"]
                or sides["valid"] & sides["test"])
    for part in (split.train, split.valid, split.test):  # every pair of a sentence, corpus order
        assert part == [p for p in pairs if p.english in {q.english for q in part}]
    assert split == tatoeba.split_by_english(pairs, valid=3, test=4, seed=1)
    assert split != tatoeba.split_by_english(pairs, valid=3, test=4, seed=2)
    assert tatoeba.split_by_english(pairs, valid=0, test=0).train == pairs


@pytest.mark.parametrize("pairs, kwargs, error, match", [
    (_pairs("a|甲", "b|乙"), {"valid": 1, "test": 1}, ValueError,
     "valid \\+ test = 2 leaves no English sentence for training: pairs has 2"),
    (_pairs("a|甲", "a|乙", "b|丙"), {"valid": 0, "test": 2}, ValueError, "has 2 unique English"),
    ([], {"valid": 0, "test": 0}, ValueError, "pairs is empty"),
    (_pairs("a|甲", "b|乙"), {"valid": -1, "test": 0}, ValueError, "valid must be >= 0"),
    (_pairs("a|甲", "b|乙"), {"valid": 0, "test": 0.5}, TypeError, "test must be an int"),
    (_pairs("a|甲", "b|乙"), {"valid": 0, "test": 0, "seed": -1}, ValueError, "seed must be >= 0"),
    ("ab", {"valid": 0, "test": 0}, TypeError, "pairs must be a list of Pair"),
])
def test_split_by_english_rejects_bad_input(pairs, kwargs, error, match):
    with pytest.raises(error, match=match):
        tatoeba.split_by_english(pairs, **kwargs)


def test_the_course_split(cleaned):
    split = tatoeba.split_by_english(cleaned, valid=1000, test=1000, seed=0)
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    seen: set[str] = set()
    for name, (n_pairs, n_english, digest) in COURSE_SPLIT.items():
        part = getattr(split, name)
        english = {p.english for p in part}
        assert (len(part), len(english)) == (n_pairs, n_english), name
        assert not english & seen, f"an English sentence of {name} is in another split"
        seen |= english
        assert tatoeba.split_checksum(part) == digest, name
        assert digest in readme, f"datasets/README.md lacks the {name} checksum"
    position = {pair: i for i, pair in enumerate(cleaned)}
    assert sorted(split.train + split.valid + split.test, key=position.__getitem__) == cleaned


def test_references_pads_with_none_and_sacrebleu_scores_them():
    pairs = _pairs("Hi.|你好。", "Go.|走。", "Hi.|嗨。", "Hi.|您好。", "Run.|跑！")
    sources, refs = tatoeba.references(pairs)
    assert sources == ["Hi.", "Go.", "Run."]
    assert refs == [["你好。", "走。", "跑！"], ["嗨。", None, None], ["您好。", None, None]]
    assert tatoeba.references(_pairs("Go.|走。")) == (["Go."], [["走。"]])
    with pytest.raises(ValueError, match="pairs is empty"):
        tatoeba.references([])
    with pytest.raises(TypeError, match="pairs must be a list of Pair"):
        tatoeba.references("Hi.")


def test_none_padding_is_what_sacrebleu_expects(cleaned):
    """sacrebleu 2.6 drops None references: the same scores as repeating a sentence's own
    first translation (a duplicate changes neither the clipped counts nor the closest
    reference length), whereas "" would count as a zero-length reference."""
    test = tatoeba.split_by_english(cleaned, valid=1000, test=1000, seed=0).test
    sources, refs = tatoeba.references(test)
    assert len(refs) == 6 and all(len(stream) == len(sources) == 1000 for stream in refs)
    assert [sum(r is not None for r in stream) for stream in refs] == [1000, 35, 3, 1, 1, 1]
    grouped = tatoeba.group_references(test)
    hypotheses = [grouped[s][-1][: max(1, len(grouped[s][-1]) * 2 // 3)] for s in sources]
    repeated = [[r if r is not None else first for r, first in zip(stream, refs[0], strict=True)]
                for stream in refs]
    empty = [[r if r is not None else "" for r in stream] for stream in refs]
    bleu = sacrebleu.metrics.BLEU(tokenize="zh")
    score = bleu.corpus_score(hypotheses, refs).score
    assert bleu.get_signature().info["nrefs"] == "var"
    assert score == pytest.approx(sacrebleu.corpus_bleu(hypotheses, repeated, tokenize="zh").score)
    assert sacrebleu.corpus_bleu(hypotheses, empty, tokenize="zh").score > score + 0.5
    assert sacrebleu.corpus_chrf(hypotheses, refs).score == pytest.approx(
        sacrebleu.corpus_chrf(hypotheses, repeated).score)


def test_split_checksum():
    pairs = _pairs("Hi.|你好。", "Go.|走。")
    assert tatoeba.split_checksum(pairs) == hashlib.sha256("Hi.\t你好。\nGo.\t走。\n".encode()).hexdigest()
    assert tatoeba.split_checksum([Pair("Hi.", "你好。", "other")] + pairs[1:]) == \
        tatoeba.split_checksum(pairs)  # attributions are not part of it
    assert tatoeba.split_checksum(pairs[::-1]) != tatoeba.split_checksum(pairs)
    assert tatoeba.split_checksum([]) == hashlib.sha256(b"").hexdigest()
    with pytest.raises(TypeError, match=r"pairs\[0\] must be a Pair"):
        tatoeba.split_checksum([("Hi.", "你好。")])
