"""Regenerate helpers/fonts/NotoSansCJKsc-course.otf, the course's subset of Noto Sans CJK SC.

The course's figures put Chinese on their axes (notebook 09's attention heatmaps, any
plot of the Tatoeba pairs), and a learner's machine may have no CJK font. So the course
ships one: the Simplified Chinese Regular face of Noto Sans CJK (SIL Open Font License
1.1), cut down with fontTools to the characters the course can show:

- Basic Latin and Latin-1 (U+0020-007E, U+00A0-00FF);
- General Punctuation U+2000-206F, CJK Symbols and Punctuation U+3000-303F, Halfwidth and
  Fullwidth Forms U+FF00-FFEF;
- the 6,763 hanzi of GB 2312 (every two-byte code 0xB0A1-0xF7FE that Python's ``gb2312``
  codec decodes);
- every character of the Chinese column (the 2nd tab-separated one) of
  datasets/tatoeba-cmn-eng.tsv (notebook 10), Traditional characters included;
- every CJK character in notebooks/*.ipynb and in the installed chatterbot corpus's
  Chinese files (chatterbot_corpus/data/chinese/*.yml).

Characters that the source face lacks (U+200B ZERO WIDTH SPACE in the Tatoeba column, for
one) are reported and left out. The subset is renamed to the family "Noto Sans CJK SC
Course" (PostScript name NotoSansCJKsc-Course), so that it never clashes with a full Noto
Sans CJK SC that a machine may have installed.

It needs the .ttc collection from Debian's fonts-noto-cjk (or upstream Noto CJK); it is
run by hand, not in CI::

    apt-get install fonts-noto-cjk
    .venv/bin/python -m scripts.make_font /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The output is byte-for-byte reproducible from the same inputs and fontTools version.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "helpers" / "fonts" / "NotoSansCJKsc-course.otf"
TATOEBA = ROOT / "datasets" / "tatoeba-cmn-eng.tsv"
NOTEBOOKS = ROOT / "notebooks"
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_SUBFAMILY = "Regular"
FAMILY = "Noto Sans CJK SC Course"
POSTSCRIPT_NAME = "NotoSansCJKsc-Course"

# Code-point ranges kept whole (inclusive).
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
# What counts as a CJK character when collecting them from the notebooks and the corpus.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FFF),  # CJK and Kangxi radicals, ideographic description characters
    (0x3000, 0x31FF),  # CJK symbols, kana, bopomofo, Hangul compatibility jamo, strokes
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0x20000, 0x3134F),  # CJK Unified Ideographs Extensions B-G, compatibility supplement
)


def is_cjk(char: str) -> bool:
    """Whether ``char`` lies in one of the CJK blocks of :data:`CJK_RANGES`."""
    code = ord(char)
    return any(low <= code <= high for low, high in CJK_RANGES)


def gb2312_hanzi() -> set[str]:
    """The 6,763 hanzi of GB 2312: rows 16-87, every code that the codec decodes."""
    chars = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # the five unassigned codes at the end of row 55
    return chars


def tatoeba_chinese(path: Path) -> set[str]:
    """Every character of the Chinese column (the 2nd) of the Tatoeba cmn-eng file."""
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > 1:
                chars.update(fields[1])
    return chars


def notebook_cjk(paths: Iterable[Path]) -> set[str]:
    """The CJK characters in the notebooks' sources and stored outputs."""
    chars = set()
    for path in paths:
        # The whole JSON text decoded: sources, outputs and metadata alike.
        chars.update(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))
    return {c for c in chars if is_cjk(c)}


def corpus_cjk() -> set[str]:
    """The CJK characters of the chatterbot corpus's Chinese conversations."""
    import chatterbot_corpus

    folder = Path(chatterbot_corpus.__file__).parent / "data" / "chinese"
    chars = set()
    for path in sorted(folder.glob("*.yml")):
        chars.update(path.read_text(encoding="utf-8"))
    return {c for c in chars if is_cjk(c)}


def wanted_characters(tatoeba: Path, notebooks: Path) -> tuple[set[str], set[str]]:
    """The characters the subset should keep: (whole ranges and GB 2312, from the data).

    The second set holds what the data sets use: the Tatoeba column, the notebooks' and
    the corpus's CJK characters.
    """
    fixed = {chr(c) for low, high in RANGES for c in range(low, high + 1)} | gb2312_hanzi()
    data = (tatoeba_chinese(tatoeba) | notebook_cjk(sorted(notebooks.glob("*.ipynb")))
            | corpus_cjk())
    return fixed, data


def load_face(ttc: Path) -> TTFont:
    """The Noto Sans CJK SC Regular face of a Noto CJK collection (or a single-face file)."""
    if ttc.suffix.lower() in (".ttc", ".otc"):
        faces = TTCollection(str(ttc), lazy=True).fonts
        names = []
        for index, face in enumerate(faces):
            family, style = face["name"].getDebugName(1), face["name"].getDebugName(2)
            names.append(f"{index}: {family} {style}")
            if family == SOURCE_FAMILY and style == SOURCE_SUBFAMILY:
                # Re-open that one face on its own, fully loaded, for the subsetter.
                return TTFont(str(ttc), fontNumber=index, lazy=False, recalcTimestamp=False)
        raise SystemExit(f"{ttc} has no '{SOURCE_FAMILY} {SOURCE_SUBFAMILY}' face; it has "
                         + ", ".join(names))
    font = TTFont(str(ttc), recalcTimestamp=False)
    family = font["name"].getDebugName(1)
    if family != SOURCE_FAMILY:
        raise SystemExit(f"{ttc} is {family!r}, not {SOURCE_FAMILY!r}")
    return font


def rename(font: TTFont) -> None:
    """Give the subset its own family and PostScript names (it is a modified version)."""
    names = {
        1: FAMILY,
        3: f"{POSTSCRIPT_NAME};{font['head'].fontRevision:.3f}",
        4: FAMILY,
        6: POSTSCRIPT_NAME,
    }
    table = font["name"]
    for name_id, text in names.items():
        table.removeNames(nameID=name_id)
        table.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
    if "CFF " in font:
        # The collection's faces share one CFF table, named after its first face (JP).
        cff = font["CFF "].cff
        old = cff.fontNames[0]
        cff.fontNames = [POSTSCRIPT_NAME]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{FAMILY} {SOURCE_SUBFAMILY}", FAMILY
        for fd in getattr(top, "FDArray", []):
            if getattr(fd, "FontName", "").startswith(old):
                fd.FontName = POSTSCRIPT_NAME + fd.FontName[len(old):]


def make_font(ttc: Path, output: Path, *, tatoeba: Path = TATOEBA,
              notebooks: Path = NOTEBOOKS) -> dict[str, int]:
    """Subset ``ttc``'s SC Regular face to :func:`wanted_characters`; write ``output``.

    Returns counts: characters wanted, kept, missing from the source; glyphs; bytes.
    """
    font = load_face(ttc)
    source_cmap = font.getBestCmap()
    fixed, data = wanted_characters(tatoeba, notebooks)
    wanted = fixed | data
    kept = sorted(ord(c) for c in wanted if ord(c) in source_cmap)
    # Unassigned code points of the whole ranges are skipped quietly; a character that the
    # data uses and the face lacks (U+200B ZERO WIDTH SPACE in Tatoeba) is reported.
    missing = sorted(c for c in data if ord(c) not in source_cmap)
    if missing:
        print("used by the data but not in the source face, left out: "
              + " ".join(f"U+{ord(c):04X}" for c in missing), file=sys.stderr)

    options = subset.Options()
    options.hinting = False  # matplotlib auto-hints its text (rcParams text.hinting)
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]  # keep the licence
    options.name_languages = [0x409]
    options.recalc_timestamp = False  # with recalcTimestamp=False above: reproducible bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    rename(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    return {
        "wanted": len(wanted),
        "kept": len(kept),
        "missing": len(missing),
        "glyphs": len(font.getGlyphOrder()),
        "bytes": output.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ttc", type=Path, help="NotoSansCJK-Regular.ttc (from fonts-noto-cjk)")
    parser.add_argument("output", type=Path, nargs="?", default=OUTPUT,
                        help=f"the font to write (default: {OUTPUT.relative_to(ROOT)})")
    parser.add_argument("--tatoeba", type=Path, default=TATOEBA,
                        help="the Tatoeba cmn-eng pairs (default: %(default)s)")
    args = parser.parse_args(argv)
    counts = make_font(args.ttc, args.output, tatoeba=args.tatoeba)
    print(f"{args.output}: {counts['kept']} characters, {counts['glyphs']} glyphs, "
          f"{counts['bytes'] / 1e6:.2f} MB ({counts['missing']} used by the data, not in the face)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
