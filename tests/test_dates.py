"""Tests of helpers.dates: the date -> ISO 8601 corpus of notebooks 02, 05 and 06."""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, tokenize_pattern

from helpers import dates
from helpers.dates import DatePair
from helpers.paths import DATASETS


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[DatePair]]:
    return dates.make_corpus()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- formats, rendering and parsing -----------------------------------------------------


def test_formats_are_babel_cldr_patterns() -> None:
    for locale in dates.LOCALES:
        found = dates.formats(locale)
        loc = Locale.parse(locale)
        assert len(found) >= 5, locale
        for name, pattern in found.items():
            source = loc.date_formats if name in ("short", "medium", "long", "full") else (
                loc.datetime_skeletons)
            assert source[name].pattern == pattern
        assert len(set(found.values())) == len(found), f"{locale} repeats a pattern"


def test_render_examples() -> None:
    day = date(2024, 3, 5)
    assert dates.render(day, "zh_CN", "full") == "2024年3月5日星期二"
    assert dates.render(day, "en_US", "full") == "tuesday, march 5, 2024"
    assert dates.render(day, "de_DE", "short") == "05.03.24"
    assert dates.render(day, "fr_FR", "full") == "mardi 5 mars 2024"
    assert dates.render(day, "en_GB", "long") == "5 march 2024"


def test_parse_inverts_render_for_every_format() -> None:
    days = [date(1950, 1, 1), date(1999, 12, 31), date(2000, 2, 29), date(2049, 12, 31),
            date(2024, 3, 15), date(1987, 11, 23)]
    for locale in dates.LOCALES:
        for fmt in dates.formats(locale):
            for day in days:
                assert dates.parse(dates.render(day, locale, fmt), locale, fmt) == day


def test_parse_is_strict() -> None:
    assert dates.parse("3/15/2024", "en_US", "yMd") == date(2024, 3, 15)
    with pytest.raises(ValueError, match="not a en_US yMd date"):
        dates.parse("03/15/2024", "en_US", "yMd")  # en_US does not pad
    with pytest.raises(ValueError, match="not the weekday"):
        dates.parse("monday, march 5, 2024", "en_US", "full")  # it was a Tuesday
    with pytest.raises(ValueError, match="not a de_DE short date"):
        dates.parse("31.02.24", "de_DE", "short")


def test_week_based_year_pitfall() -> None:
    """2024-12-30 is in ISO week 1 of 2025: ``YYYY`` says 2025, the corpus says 2024."""
    late = date(2024, 12, 30)
    assert format_date(late, "YYYY", locale="en_US") == "2025"  # the pitfall itself
    assert dates.render(late, "en_US", "full") == "monday, december 30, 2024"
    assert dates.render(late, "de_DE", "short") == "30.12.24"
    with pytest.raises(ValueError, match="week-based year"):
        dates._reader("dd.MM.YYYY", "de_DE")
    for locale in dates.LOCALES:
        for fmt, pattern in dates.formats(locale).items():
            assert all(kind == "chars" or value[0] != "Y"
                       for kind, value in tokenize_pattern(pattern)), (locale, fmt)
            for day in (date(2020, 12, 28), date(2024, 12, 30), date(2021, 1, 1),
                        date(2027, 1, 3)):
                text = dates.render(day, locale, fmt)
                assert dates.parse(text, locale, fmt).year == day.year, (text, locale, fmt)


def test_stand_alone_fields_refused() -> None:
    with pytest.raises(ValueError, match="stand-alone month"):
        dates._reader("d LLLL y", "fr_FR")
    with pytest.raises(ValueError, match="y, M and d once each"):
        dates._reader("MMMM y", "en_US")


# --- ambiguity rule -------------------------------------------------------------------


def test_readings_examples() -> None:
    assert dates.readings("3/5/2024") == {date(2024, 3, 5), date(2024, 5, 3)}
    assert dates.readings("05/03/2024") == {date(2024, 3, 5), date(2024, 5, 3)}
    assert dates.readings("3/3/2024") == {date(2024, 3, 3)}
    assert dates.readings("3/15/2024") == {date(2024, 3, 15)}
    assert dates.readings("15/03/2024") == {date(2024, 3, 15)}
    assert dates.readings("05.03.24") == {date(2024, 3, 5)}
    assert dates.readings("05.03.50") == {date(1950, 3, 5)}
    assert dates.readings("31.12.49") == {date(2049, 12, 31)}
    assert dates.readings("not a date") == set()


def test_no_text_has_two_labels(corpus: dict[str, list[DatePair]]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for pairs in corpus.values():
        for pair in pairs:
            labels[pair.text].add(pair.iso)
    assert all(len(isos) == 1 for isos in labels.values())
    for text, isos in labels.items():  # and no other format of any locale reads it otherwise
        assert {day.isoformat() for day in dates.readings(text)} == isos, text


def test_every_label_round_trips(corpus: dict[str, list[DatePair]]) -> None:
    for pairs in corpus.values():
        for pair in pairs:
            assert dates.parse(pair.text, pair.locale, pair.format).isoformat() == pair.iso
            assert dates.render(date.fromisoformat(pair.iso), pair.locale, pair.format) == (
                pair.text)


# --- generation and splits --------------------------------------------------------------


def test_generate_pairs_is_deterministic() -> None:
    first = dates.generate_pairs(300, seed=7)
    assert first == dates.generate_pairs(300, seed=7)
    assert first != dates.generate_pairs(300, seed=8)
    assert [pair.locale for pair in first[:5]] == list(dates.LOCALES)
    only = dates.generate_pairs(40, seed=7, locales=["zh_CN", "de_DE"])
    assert {pair.locale for pair in only} == {"zh_CN", "de_DE"}


def test_dates_lie_in_range_and_spread() -> None:
    pairs = dates.generate_pairs(2000, seed=3)
    days = [date.fromisoformat(pair.iso) for pair in pairs]
    assert min(days) >= dates.FIRST_DATE and max(days) <= dates.LAST_DATE
    decades = Counter(day.year // 10 for day in days)
    assert len(decades) == 10 and min(decades.values()) > 120


def test_make_corpus_is_the_deduplicated_stream() -> None:
    small = dates.make_corpus(seed=5, n_train=60, n_valid=10, n_test=10)
    seen: set[str] = set()
    unique = [pair for pair in dates.generate_pairs(120, seed=5)
              if pair.text not in seen and not seen.add(pair.text)]
    assert small["train"] + small["valid"] + small["test"] == unique[:80]


def test_corpus_sizes_and_no_leakage(corpus: dict[str, list[DatePair]]) -> None:
    assert {split: len(pairs) for split, pairs in corpus.items()} == {
        "train": 20000, "valid": 2000, "test": 2000}
    texts = {split: {pair.text for pair in pairs} for split, pairs in corpus.items()}
    assert all(len(texts[split]) == len(corpus[split]) for split in dates.SPLITS)
    assert not texts["train"] & texts["valid"]
    assert not texts["train"] & texts["test"]
    assert not texts["valid"] & texts["test"]


def test_locales_balanced_and_texts_short(corpus: dict[str, list[DatePair]]) -> None:
    for split, pairs in corpus.items():
        counts = Counter(pair.locale for pair in pairs)
        assert set(counts) == set(dates.LOCALES), split
        share = len(pairs) / len(dates.LOCALES)
        assert all(abs(count - share) < 0.05 * share for count in counts.values()), counts
    for locale in dates.LOCALES:  # every format of every locale is used
        used = {pair.format for pair in corpus["train"] if pair.locale == locale}
        assert used == set(dates.formats(locale)), locale
    assert max(len(pair.text) for pairs in corpus.values() for pair in pairs) <= 40


# --- files and checksums ------------------------------------------------------------------


def test_checksums_match_files_module_and_datasheet(
    corpus: dict[str, list[DatePair]], tmp_path: Path
) -> None:
    digests = dates.write_corpus(corpus, tmp_path)
    assert digests == dates.CHECKSUMS
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for split in dates.SPLITS:
        assert _sha256(tmp_path / f"{split}.tsv") == dates.CHECKSUMS[split]
        assert _sha256(DATASETS / "dates" / f"{split}.tsv") == dates.CHECKSUMS[split]
        assert any(f"{split}.tsv" in line and dates.CHECKSUMS[split] in line
                   for line in readme.splitlines()), f"README lacks the {split}.tsv checksum"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "test.tsv", "train.tsv", "valid.tsv"]  # no temporary file left behind


def test_load_split_reads_the_stored_files(corpus: dict[str, list[DatePair]]) -> None:
    for split in dates.SPLITS:
        assert dates.load_split(split) == corpus[split]
    first = (DATASETS / "dates" / "train.tsv").read_bytes().split(b"\n")[0]
    assert first == b"text\tiso\tlocale\tformat"


def test_write_corpus_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = dates.generate_pairs(5, seed=1)
    dates.write_corpus({"valid": pairs}, tmp_path)
    before = (tmp_path / "valid.tsv").read_bytes()

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        dates.write_corpus({"valid": pairs[:2]}, tmp_path)
    assert (tmp_path / "valid.tsv").read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["valid.tsv"]
    with pytest.raises(ValueError, match=r"corpus\['test'\]\[1\]"):
        dates.write_corpus({"test": [pairs[0], ("a\tb", "x", "y", "z")]}, tmp_path / "new")
    assert not (tmp_path / "new").exists()


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 0, "seed": 1}, ValueError, "n must be >= 1"),
        ({"n": 2.5, "seed": 1}, TypeError, "n must be an int"),
        ({"n": 2, "seed": "1"}, TypeError, "seed must be an int"),
        ({"n": 2, "seed": True}, TypeError, "seed must be an int"),
        ({"n": 2, "seed": -1}, ValueError, "seed must be >= 0"),
        ({"n": 2, "seed": 1, "locales": ["xx_XX"]}, ValueError, "locale must be one of"),
        ({"n": 2, "seed": 1, "locales": "en_US"}, TypeError, "locales must be a sequence"),
        ({"n": 2, "seed": 1, "locales": []}, ValueError, "locales must not be empty"),
        ({"n": 2, "seed": 1, "locales": ["en_US", "en_US"]}, ValueError, "not repeat"),
    ],
)
def test_generate_pairs_bad_input(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        dates.generate_pairs(**kwargs)


def test_other_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_train must be >= 1"):
        dates.make_corpus(n_train=0)
    with pytest.raises(TypeError, match="seed must be an int"):
        dates.make_corpus(seed=1.0)
    with pytest.raises(ValueError, match="split must be one of"):
        dates.load_split("dev")
    with pytest.raises(TypeError, match="split must be a str"):
        dates.load_split(0)
    with pytest.raises(ValueError, match="folder has no train.tsv"):
        dates.load_split("train", folder=tmp_path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="folder must be a directory"):
        dates.load_split("train", folder=a_file)
    with pytest.raises(ValueError, match="folder must be a directory"):
        dates.write_corpus({"test": []}, a_file)
    with pytest.raises(TypeError, match="folder must be a str or Path"):
        dates.load_split("train", folder=3)
    with pytest.raises(ValueError, match="corpus keys must be among"):
        dates.write_corpus({"dev": []}, tmp_path)
    with pytest.raises(TypeError, match="corpus must be a dict"):
        dates.write_corpus([], tmp_path)
    (tmp_path / "test.tsv").write_text("text,iso\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must start with the header"):
        dates.load_split("test", folder=tmp_path)
    with pytest.raises(ValueError, match="locale must be one of"):
        dates.render(date(2024, 3, 5), "ja_JP", "full")
    with pytest.raises(ValueError, match="fmt must be one of"):
        dates.render(date(2024, 3, 5), "zh_CN", "long")  # same pattern as medium: kept once
    with pytest.raises(ValueError, match="day must lie in"):
        dates.render(date(1949, 12, 31), "en_US", "full")
    with pytest.raises(TypeError, match="day must be a datetime.date"):
        dates.render("2024-03-05", "en_US", "full")
    with pytest.raises(TypeError, match="text must be a str"):
        dates.readings(20240305)
