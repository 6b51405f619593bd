"""Human-readable dates in five locales -> ISO 8601, 日期规范化 (notebooks 02, 05 and 06).

Each pair is a date written by babel's CLDR patterns and its ISO label::

    2024年3月5日星期二          -> 2024-03-05   zh_CN full
    tuesday, march 5, 2024     -> 2024-03-05   en_US full
    05.03.24                   -> 2024-03-05   de_DE short

How the corpus is made, and the rules it keeps:

- Dates are drawn uniformly from 1950-01-01 to 2049-12-31 by ``numpy.random.default_rng(seed)``;
  locales take turns (en_US, en_GB, zh_CN, fr_FR, de_DE, en_US, ...), and each pair's format
  is drawn uniformly from the locale's formats that keep the text unambiguous (below).
- A locale's formats are babel 2.18's CLDR patterns: the format names short, medium, long
  and full and the skeletons yMd, yMMMd, yMMMEd and yMEd, a pattern the locale repeats
  under a second name kept once, under its first name. The text is babel's
  ``format_date`` output, lower-cased with ``str.lower`` in every locale.
- Only the fields y, yy, M, MM, MMM, MMMM, d, dd and E...EEEE are accepted. The week-based
  year ``Y`` is refused (it writes 2025 for 2024-12-30), and so are the stand-alone fields
  ``L`` and ``c`` (babel 2.18 can return another locale's stand-alone names, issue #1234).
- Ambiguity rule: a text is kept only if the digits and names alone fix the date under
  every format of every locale. ``readings`` reads a text under all formats leniently:
  zero padding ignored, a two- or four-digit year wherever a year stands, weekday not
  checked. A text with more than one reading is not used; another format of the same
  locale is drawn instead. So ``3/5/2024`` (March 5 in en_US, May 3 in en_GB and fr_FR)
  never appears, while ``3/15/2024`` and ``15/03/2024`` do. Two-digit years are read in the
  100-year window of the corpus (50-99 -> 19xx, 00-49 -> 20xx), which fixes the century.
- Parse-back check: every label is recovered from its text by a strict parser built
  from the same pattern (padding, year width and weekday checked); a mismatch raises.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names, tokenize_pattern

from helpers._validate import check_int
from helpers.paths import DATASETS

LOCALES: tuple[str, ...] = ("en_US", "en_GB", "zh_CN", "fr_FR", "de_DE")
FORMAT_NAMES: tuple[str, ...] = (
    "short", "medium", "long", "full", "yMd", "yMMMd", "yMMMEd", "yMEd",
)
FIRST_DATE = date(1950, 1, 1)
LAST_DATE = date(2049, 12, 31)
SPLITS: tuple[str, ...] = ("train", "valid", "test")
HEADER = "text\tiso\tlocale\tformat"
FOLDER: Path = DATASETS / "dates"
# SHA-256 of the files `write_corpus(make_corpus())` writes; datasets/README.md quotes them.
CHECKSUMS: dict[str, str] = {
    "train": "ca19551e797504e2502444533679d85d8cd72d882f20544dd5dff79a538a7584",
    "valid": "3eb72ca18db32f218943e48674d36aecdd65f6931f3849ff13289f958a21eb16",
    "test": "8699a3beba677bea0b90d7e82b9edfc7d1838cead91f30b5a70826186fab8606",
}

_N_DAYS = (LAST_DATE - FIRST_DATE).days + 1


class DatePair(NamedTuple):
    """One corpus row: the text, its ISO 8601 label, the locale and the format name."""

    text: str
    iso: str
    locale: str
    format: str


class _Reader(NamedTuple):
    strict: re.Pattern[str]
    lenient: re.Pattern[str]
    locale: str


def _check_locale(locale: object) -> str:
    if not isinstance(locale, str):
        raise TypeError(f"locale must be a str, got {type(locale).__name__}")
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, got {locale!r}")
    return locale


def _check_locales(locales: object) -> tuple[str, ...]:
    if isinstance(locales, str) or not isinstance(locales, Sequence):
        raise TypeError(f"locales must be a sequence of locale names such as {LOCALES}, "
                        f"got {locales!r}")
    if not locales:
        raise ValueError("locales must not be empty")
    checked = tuple(_check_locale(locale) for locale in locales)
    if len(set(checked)) != len(checked):
        raise ValueError(f"locales must not repeat a locale, got {locales!r}")
    return checked


def _check_folder(folder: object) -> Path:
    if not isinstance(folder, str | os.PathLike):
        raise TypeError(f"folder must be a str or Path, got {type(folder).__name__}")
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise ValueError(f"folder must be a directory, but {str(path)!r} is a file")
    return path


@cache
def _names(locale: str, kind: str, width: str) -> dict[str, int]:
    """Lower-cased month (1-12) or weekday (0=Monday) names of the format context.

    ``width="any"`` merges the abbreviated and wide names. Only the format context is used:
    babel 2.18 can hand one locale's stand-alone names to another (babel issue #1234).
    """
    get = get_month_names if kind == "month" else get_day_names
    names: dict[str, int] = {}
    for each in ("abbreviated", "wide") if width == "any" else (width,):
        for number, name in get(each, "format", locale=locale).items():
            if names.setdefault(name.lower(), number) != number:
                raise ValueError(f"{locale}: the {kind} name {name!r} names two {kind}s")
    return names


def _alternation(names: Mapping[str, int]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _field_regex(char: str, count: int, locale: str, strict: bool) -> str:
    """The regex of one pattern field, or a ValueError for a field the corpus refuses."""
    if char == "y" and count in (1, 2):
        digits = (r"\d{4}" if count == 1 else r"\d{2}") if strict else r"\d{2}|\d{4}"
        return f"(?P<y>{digits})"
    if char in "Md" and count in (1, 2):
        digits = (r"[1-9]\d?" if count == 1 else r"\d{2}") if strict else r"\d{1,2}"
        return f"(?P<{char}>{digits})"
    if char in "ME" and count in (3, 4) or char == "E" and count in (1, 2):
        width = "wide" if count == 4 else "abbreviated"
        names = _names(locale, "month" if char == "M" else "day", width)
        return f"(?P<{char}>{_alternation(names)})"
    hint = {"Y": " (week-based year: it mislabels late-December dates)",
            "L": " (stand-alone month: babel 2.18 can leak another locale's names)",
            "c": " (stand-alone weekday: babel 2.18 can leak another locale's names)"}
    raise ValueError(f"pattern field {char * count!r} is not supported{hint.get(char, '')}")


@cache
def _reader(pattern: str, locale: str) -> _Reader:
    """Strict and lenient regexes of a CLDR date pattern; y, M and d must each appear once."""
    strict, lenient, fields = [], [], []
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            strict.append(re.escape(value.lower()))
            lenient.append(re.escape(value.lower()))
            continue
        char, count = value
        strict.append(_field_regex(char, count, locale, strict=True))
        lenient.append(_field_regex(char, count, locale, strict=False))
        fields.append(char)
    if sorted(fields) not in (["M", "d", "y"], ["E", "M", "d", "y"]):
        raise ValueError(f"pattern {pattern!r} must hold y, M and d once each (and E at "
                         f"most once), got fields {fields}")
    return _Reader(re.compile("".join(strict)), re.compile("".join(lenient)), locale)


def _year(digits: str) -> int:
    """A year; two digits are read in the corpus's 100-year window (50 -> 1950, 49 -> 2049)."""
    year = int(digits)
    if len(digits) == 2:
        pivot = FIRST_DATE.year % 100
        year += FIRST_DATE.year - pivot + (0 if year >= pivot else 100)
    return year


def _date(match: re.Match[str], locale: str) -> date | None:
    """The date a match names, or None when it names no date inside the corpus range."""
    month = match["M"]
    number = int(month) if month.isdigit() else _names(locale, "month", "any")[month]
    try:
        value = date(_year(match["y"]), number, int(match["d"]))
    except ValueError:
        return None
    return value if FIRST_DATE <= value <= LAST_DATE else None


@cache
def formats(locale: str) -> dict[str, str]:
    """Format name -> CLDR pattern of one locale, in the order of ``FORMAT_NAMES``.

    Taken from babel's ``Locale.date_formats`` and ``Locale.datetime_skeletons``; a pattern
    the locale repeats under a later name is kept once. Used in notebooks 02 and 05.
    """
    loc = Locale.parse(_check_locale(locale))
    found: dict[str, str] = {}
    for name in FORMAT_NAMES:
        source = loc.date_formats if name in ("short", "medium", "long", "full") else (
            loc.datetime_skeletons)
        if name in source and source[name].pattern not in found.values():
            found[name] = source[name].pattern
            _reader(found[name], locale)  # refuses Y, L, c and patterns without a full date
    return found


def _check_format(locale: str, fmt: object) -> str:
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a str, got {type(fmt).__name__}")
    if fmt not in formats(locale):
        raise ValueError(f"fmt must be one of {tuple(formats(locale))} for {locale}, got {fmt!r}")
    return fmt


def render(day: date, locale: str, fmt: str) -> str:
    """``day`` written by babel in ``locale``'s format ``fmt``, lower-cased (notebooks 02, 05)."""
    if not isinstance(day, date):
        raise TypeError(f"day must be a datetime.date, got {type(day).__name__}")
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"day must lie in {FIRST_DATE}..{LAST_DATE}, got {day}")
    pattern = formats(_check_locale(locale))[_check_format(locale, fmt)]
    return format_date(day, pattern, locale=locale).lower()


def parse(text: str, locale: str, fmt: str) -> date:
    """The date ``text`` names in ``locale``'s format ``fmt``, padding and weekday checked.

    The parse-back check of every label (notebook 02); a ValueError when it does not fit.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    reader = _reader(formats(_check_locale(locale))[_check_format(locale, fmt)], locale)
    match = reader.strict.fullmatch(text)
    value = None if match is None else _date(match, locale)
    if value is None:
        raise ValueError(f"text {text!r} is not a {locale} {fmt} date in the corpus range")
    weekday = match["E"] if "E" in reader.strict.groupindex else None
    if weekday is not None and _names(locale, "day", "any")[weekday] != value.weekday():
        raise ValueError(f"text {text!r}: {weekday!r} is not the weekday of {value}")
    return value


def readings(text: str) -> set[date]:
    """Every date ``text`` could name under any format of any locale in ``LOCALES``.

    Lenient: zero padding ignored, a year may have two or four digits, the weekday is not
    checked. The corpus keeps a text only when this set holds its label alone (notebook 02).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    found: set[date] = set()
    for locale in LOCALES:
        for pattern in formats(locale).values():
            reader = _reader(pattern, locale)
            match = reader.lenient.fullmatch(text)
            if match is not None and (value := _date(match, locale)) is not None:
                found.add(value)
    return found


def _stream(seed: int, locales: tuple[str, ...]) -> Iterator[DatePair]:
    """Pairs without end: the locales take turns, dates uniform, each label checked."""
    rng = np.random.default_rng(seed)
    for i in itertools.count():
        locale = locales[i % len(locales)]
        names = list(formats(locale))
        day = FIRST_DATE + timedelta(days=int(rng.integers(_N_DAYS)))
        for j in rng.permutation(len(names)):
            fmt = names[int(j)]
            text = render(day, locale, fmt)
            found = readings(text)
            if day not in found:
                raise RuntimeError(f"bug: {text!r} ({locale} {fmt}) does not read as {day}")
            if len(found) == 1:
                break
        else:
            raise RuntimeError(f"bug: no unambiguous {locale} format for {day}")
        if "\t" in text or "\n" in text or parse(text, locale, fmt) != day:
            raise RuntimeError(f"bug: {text!r} ({locale} {fmt}) fails the check for {day}")
        yield DatePair(text, day.isoformat(), locale, fmt)


def generate_pairs(n: int, seed: int, locales: Sequence[str] = LOCALES) -> list[DatePair]:
    """``n`` checked pairs drawn from ``seed`` (a text may repeat; notebooks 02, 05, 06).

    Locales take turns in the given order, dates are uniform over 1950-2049, and each
    format is drawn among those whose text stays unambiguous (see the module docstring).
    """
    n = check_int(n, "n", 1)
    seed = check_int(seed, "seed", 0)
    return list(itertools.islice(_stream(seed, _check_locales(locales)), n))


def make_corpus(
    seed: int = 2024, n_train: int = 20000, n_valid: int = 2000, n_test: int = 2000
) -> dict[str, list[DatePair]]:
    """Train, valid and test splits with no text in two splits (notebooks 02, 05, 06).

    The pairs of ``generate_pairs(..., seed)`` with repeated texts dropped (first kept):
    the first ``n_train`` go to train, the next ``n_valid`` to valid, then ``n_test`` to test.
    """
    seed = check_int(seed, "seed", 0)
    sizes = {"train": check_int(n_train, "n_train", 1), "valid": check_int(n_valid, "n_valid", 1),
             "test": check_int(n_test, "n_test", 1)}
    seen: set[str] = set()
    unique: list[DatePair] = []
    stream = _stream(seed, LOCALES)
    while len(unique) < sum(sizes.values()):
        pair = next(stream)
        if pair.text not in seen:
            seen.add(pair.text)
            unique.append(pair)
    corpus, start = {}, 0
    for split, size in sizes.items():
        corpus[split] = unique[start:start + size]
        start += size
    return corpus


def _tsv(pairs: Sequence[DatePair], split: str) -> bytes:
    lines = [HEADER]
    for i, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 4 or not all(
                isinstance(field, str) and "\t" not in field and "\n" not in field
                for field in pair):
            raise ValueError(f"corpus[{split!r}][{i}] must be a DatePair of four strings "
                             f"without tabs or newlines, got {pair!r}")
        lines.append("\t".join(pair))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_corpus(corpus: Mapping[str, Sequence[DatePair]], folder: Path) -> dict[str, str]:
    """Write ``<split>.tsv`` files (UTF-8, header, generated order); SHA-256 per split.

    Each file goes to a temporary name first and is then renamed, so no half-written file is
    left behind. Used to store ``datasets/dates`` (notebook 02).
    """
    if not isinstance(corpus, Mapping):
        raise TypeError(f"corpus must be a dict of split -> pairs, got {type(corpus).__name__}")
    if not corpus or any(split not in SPLITS for split in corpus):
        raise ValueError(f"corpus keys must be among {SPLITS}, got {list(corpus)}")
    path = _check_folder(folder)
    data = {split: _tsv(pairs, split) for split, pairs in corpus.items()}
    path.mkdir(parents=True, exist_ok=True)
    digests = {}
    for split, content in data.items():
        handle, tmp = tempfile.mkstemp(prefix=f".{split}.", suffix=".tmp", dir=path)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; the files are meant to be shared
            os.replace(tmp, path / f"{split}.tsv")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        digests[split] = hashlib.sha256(content).hexdigest()
    return digests


def load_split(split: str, folder: Path | None = None) -> list[DatePair]:
    """The pairs of ``datasets/dates/<split>.tsv`` (or ``folder``), in file order.

    ``split`` is "train", "valid" or "test". Used in notebooks 02, 05 and 06.
    """
    if not isinstance(split, str):
        raise TypeError(f"split must be a str, got {type(split).__name__}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    path = _check_folder(FOLDER if folder is None else folder) / f"{split}.tsv"
    if not path.is_file():
        raise ValueError(f"folder has no {split}.tsv: {str(path)!r} does not exist")
    lines = path.read_bytes().decode("utf-8").split("\n")
    if lines[0] != HEADER or lines[-1] != "":
        raise ValueError(f"{path} must start with the header {HEADER!r} and end with a newline")
    pairs = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{path}, line {number}: expected 4 tab-separated fields")
        pairs.append(DatePair(*fields))
    return pairs


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m helpers.dates [--write]``: regenerate the corpus and compare checksums."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite the files in {FOLDER}")
    args = parser.parse_args(argv)
    corpus = make_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        digests = write_corpus(corpus, FOLDER if args.write else Path(tmp))
    for split, digest in digests.items():
        lengths = sorted(len(pair.text) for pair in corpus[split])
        status = "matches CHECKSUMS" if digest == CHECKSUMS[split] else "DIFFERS from CHECKSUMS"
        print(f"{split}.tsv  {len(corpus[split]):>6} pairs  text length median "
              f"{lengths[len(lengths) // 2]} max {lengths[-1]}  {digest}  {status}")


if __name__ == "__main__":
    main()
