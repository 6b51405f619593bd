"""The Chinese edition (scripts/i18n.py): catalogues in step with the English, one code and output.

The drift test is ``test_every_catalogue_matches_its_english``: it fails when an English
block or comment has no Chinese, a fuzzy one, or when a catalogue keeps text the English no
longer has, and the message names the notebook, the cell and the command to run.
"""

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from scripts import i18n
from scripts.course import CHINESE, exercise_headings, tr
from scripts.nbcheck import quoted_numbers

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = i18n.notebook_paths()
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- messages -------------------------------------------------------------------------

def test_markdown_is_cut_into_blocks_that_join_back():
    text = ("# Title · 标题\n\nA paragraph\non two lines.\n\n- item one\n- item two\n\n"
            "| a | b |\n|---|---|\n| one | two |\n\n$$x = y$$\n\n```bash\nmake lab  # open it\n```\n")
    assert "".join(i18n.markdown_pieces(text)) == text
    assert i18n.markdown_messages(text) == [
        "# Title · 标题", "A paragraph\non two lines.", "- item one\n- item two", "| one | two |",
        "```bash\nmake lab  # open it\n```"]       # "| a | b |", the rule and the equation are not prose


def test_a_translation_replaces_whole_blocks_and_keeps_the_rest():
    text = "Hello there.\n\n$$x$$\n\nBye now.\n"
    assert i18n.translate_markdown(text, {"Hello there.": "你好。"}) == "你好。\n\n$$x$$\n\nBye now.\n"


def test_comments_are_translated_and_code_is_not():
    source = 'x = "# not a comment"  # the answer\n# Step two: print it\nprint(x)  # noqa: T201'
    assert i18n.comment_messages(source) == ["the answer", "Step two: print it"]
    zh = i18n.translate_code(source, {"the answer": "答案", "Step two: print it": "第二步：打印"})
    assert zh == 'x = "# not a comment"  # 答案\n# 第二步：打印\nprint(x)  # noqa: T201'
    assert i18n.code_without_comments(zh) == i18n.code_without_comments(source)
    assert i18n.code_without_comments("x = 1  # a") != i18n.code_without_comments("x = 2  # a")


@pytest.mark.parametrize("english, chinese, problem", [
    ("Call `fit` now.", "现在调用 fit。", "inline code"),
    ("The loss $L$ falls.", "损失 L 下降。", "math"),
    ("See [the guide](TEACHING.md).", "见[指南](README.md)。", "link target"),
    ("## Setup · 环境设置", "环境设置 · Setup", "heading level"),
    ("| a | b |", "| 甲 | 乙 | 丙 |", "table row"),
    ("the answer", "答案\nprint(1)", "one-line English"),
])
def test_a_translation_must_keep_the_english_form(english, chinese, problem):
    assert any(problem in p for p in i18n.form_problems(english, chinese))


def test_a_translation_may_change_an_anchor_and_keep_its_form():
    assert i18n.form_problems("See [grading](#grading-a-class), `make grade`.",
                              "见[评分](#评分一个班级)，`make grade`。") == []


def test_tr_translates_the_scripts_words_and_refuses_an_unknown_language():
    assert tr("en", "## Summary · 小结") == "## Summary · 小结"
    assert tr(CHINESE, "## Summary · 小结") == "## 小结 · Summary"
    with pytest.raises(ValueError, match="lang must be one of en, zh_CN, got 'fr'"):
        tr("fr", "## Summary · 小结")


# --- the drift test ---------------------------------------------------------------------

def test_every_catalogue_matches_its_english():
    problems = [p for source in i18n.sources() for p in i18n.drift(source)]
    more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
    assert problems == [], "\n".join(problems[:20]) + more


def _copy_course(tmp_path: Path, name: str) -> i18n.Source:
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / name, tmp_path / "notebooks" / name)
    catalogue = tmp_path / "locale" / CHINESE / "notebooks" / name.replace(".ipynb", ".po")
    catalogue.parent.mkdir(parents=True)
    shutil.copy(i18n.LOCALE / "notebooks" / catalogue.name, catalogue)
    return i18n.Source(f"notebooks/{name}", catalogue, tmp_path)


def test_a_changed_english_sentence_fails_until_its_chinese_is_updated(tmp_path):
    source = _copy_course(tmp_path, "03_autoencoder.ipynb")
    assert i18n.drift(source) == []
    path = tmp_path / source.name
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "because the task forced it to" in c.source)
    cell.source = cell.source.replace("because the task forced it to", "because the task made it")
    nbformat.write(nb, path)

    problems = i18n.drift(source)
    assert len(problems) == 2, problems            # the new text has no Chinese; the old entry is stale
    assert problems[0].startswith(f"notebooks/03_autoencoder.ipynb, cell 0 (id {cell.id}): the Markdown ")
    assert "has no Chinese" in problems[0] and "python -m scripts.i18n update" in problems[0]
    assert "locale/zh_CN/notebooks/03_autoencoder.po" in problems[0]
    assert "English that is gone" in problems[1]

    i18n.update(source)                   # what a maintainer runs: the old Chinese comes back, fuzzy
    problems = i18n.drift(source)
    assert len(problems) == 1 and "marked fuzzy" in problems[0], problems
    catalog = i18n.read_catalogue(source.catalogue)
    entry = next(m for m in catalog if m.id and "because the task made it" in m.id)
    assert entry.fuzzy and CJK.search(entry.string)
    before = " ".join(entry.auto_comments)              # the translator sees the old English beside the entry
    assert "English before the change:" in before and "forced it to" in before

    entry.flags.discard("fuzzy")                    # the translator checks the Chinese and clears the flag
    i18n.write_catalogue(catalog, source.catalogue)
    assert i18n.drift(source) == []


def test_a_change_of_numbers_only_needs_no_translator(tmp_path):
    source = _copy_course(tmp_path, "03_autoencoder.ipynb")
    path = tmp_path / source.name
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    stated = re.search(r"about (\d+(?:\.\d+)?) min", first.source).group(1)
    first.source = first.source.replace(f"about {stated} min", "about 9.5 min")   # what make bench does
    nbformat.write(nb, path)
    assert i18n.drift(source)
    i18n.update(source)
    assert i18n.drift(source) == []
    chinese = i18n.translate_notebook(nbformat.read(path, as_version=4), i18n.translations(source))
    assert "9.5" in chinese.cells[0].source and CJK.search(chinese.cells[0].source)


@pytest.mark.parametrize("before, after, chinese, expected", [
    ("about 1.5 min, 72.2%", "about 2 min, 72.2%", "约 1.5 分钟，72.2%", "约 2 分钟，72.2%"),
    ("about 1 min on a 2-core CPU", "about 1.5 min on a 2-core CPU", "在 2 核 CPU 上约 1 分钟",
     "在 2 核 CPU 上约 1.5 分钟"),                                             # the Chinese's own order
    ("1 and 1 min", "1 and 2 min", "1 和 1 分钟", None),                      # which 1? ask a translator
    ("about 1.5 min", "about 1.5 minutes", "约 1.5 分钟", None),           # words changed
    ("1 of 2", "3 of 4", "二分之一", None),                                  # the Chinese spells them out
])
def test_carry_numbers(before, after, chinese, expected):
    assert i18n.carry_numbers(before, after, chinese) == expected


def test_a_catalogue_that_is_missing_is_named_with_the_command(tmp_path):
    source = _copy_course(tmp_path, "05_preparing_data.ipynb")
    source.catalogue.unlink()
    assert i18n.drift(source) == [f"notebooks/05_preparing_data.ipynb: no catalogue locale/zh_CN/notebooks/"
                                  f"05_preparing_data.po; run {i18n.REFRESH} and translate it"]


# --- the Chinese edition ------------------------------------------------------------------

@pytest.fixture(scope="module")
def editions():
    return [(nbformat.read(p, as_version=4), i18n.chinese_notebook(p), p) for p in NOTEBOOKS]


def test_the_chinese_notebooks_have_the_english_code_and_outputs(editions):
    for english, chinese, path in editions:
        assert [c.id for c in chinese.cells] == [c.id for c in english.cells], path.name
        for en, zh in zip(english.cells, chinese.cells, strict=True):
            assert zh.cell_type == en.cell_type and zh.metadata == en.metadata, (path.name, en.id)
            if en.cell_type == "code":
                assert i18n.code_without_comments(zh.source) == i18n.code_without_comments(en.source), \
                    f"{path.name} cell {en.id}: the code differs from the English"
                assert zh.outputs == en.outputs and zh.execution_count == en.execution_count
        assert chinese.metadata.language == CHINESE


def test_the_chinese_notebooks_are_in_chinese(editions):
    for english, chinese, path in editions:
        title = chinese.cells[0].source.splitlines()[0]
        assert re.match(r"^# \d\d · [^·]*[\u4e00-\u9fff][^·]* · [A-Za-z]", title), f"{path.name}: {title!r}"
        for en, zh in zip(english.cells, chinese.cells, strict=True):
            if en.cell_type == "markdown" and i18n.markdown_messages(en.source):
                assert zh.source != en.source and CJK.search(zh.source), f"{path.name} cell {en.id}"
        assert CJK.search(chinese.metadata.course.key_result), path.name


def test_the_chinese_notebooks_have_the_same_exercises(editions):
    for english, chinese, path in editions:
        numbers = [n for n, _ in exercise_headings(english.cells)]
        assert [n for n, _ in exercise_headings(chinese.cells)] == numbers, path.name


def test_the_chinese_prose_quotes_the_numbers_the_english_does(editions):
    """Numbers are not translated: each quoted number of a Chinese cell is one its English cell quotes."""
    for english, chinese, path in editions:
        for en, zh in zip(english.cells, chinese.cells, strict=True):
            if en.cell_type == "markdown":
                extra = {n for n in quoted_numbers(zh.source) if n not in en.source}
                assert not extra, f"{path.name} cell {en.id}: only the Chinese quotes {sorted(extra)}"


def test_the_chinese_documents_are_current():
    for name in i18n.DOCUMENTS:
        target = i18n.document_path(name)
        assert target.exists() and target.read_text(encoding="utf-8") == i18n.chinese_document(name), \
            f"{target.name} is stale: run make chinese (python -m scripts.i18n build)"


def test_the_readmes_link_to_each_other():
    english = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    chinese = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "](README.zh-CN.md)" in english and "](README.md)" in chinese
    # the datasheet link goes to the Chinese datasheet, and a link to no document stays
    assert "](datasets/README.zh-CN.md)" in (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "](GLOSSARY.md)" in (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def test_building_keeps_a_notebook_the_learner_changed(tmp_path):
    paths = NOTEBOOKS[:2]
    written, kept = i18n.write_notebooks(paths, tmp_path)
    assert [p.name for p in written] == [p.name for p in paths] and kept == []
    mine = tmp_path / paths[0].name
    mine.write_text(mine.read_text(encoding="utf-8").replace("课程", "我的课程", 1), encoding="utf-8")
    (tmp_path / paths[1].name).unlink()
    written, kept = i18n.write_notebooks(paths, tmp_path)
    assert kept == [mine] and [p.name for p in written] == [paths[1].name]
    assert "我的课程" in mine.read_text(encoding="utf-8")
    assert i18n.write_notebooks(paths, tmp_path) == ([], [mine])


# --- the glossary is the term base ----------------------------------------------------------

def glossary() -> tuple[list[list[str]], list[list[str]]]:
    """The glossary's term rows (English, 中文, notebook, meaning, 释义) and its do-not-write rows."""
    text = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    terms, _, avoid = text.partition("\n## Forms the Chinese edition does not use")

    def rows(part: str) -> list[list[str]]:
        lines = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("|---")]
        return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[1:]]
    return rows(terms), rows(avoid)


def chinese_text() -> str:
    """Every translation of the Chinese edition, bold and italics marks removed."""
    text = "\n".join(m.string for source in i18n.sources() if source.catalogue.exists()
                     for m in i18n.read_catalogue(source.catalogue) if m.id)
    return text.replace("**", "").replace("*", "")


def test_the_glossary_is_bilingual_and_names_real_notebooks():
    terms, avoid = glossary()
    numbers = {p.name[:2] for p in NOTEBOOKS}
    assert len(terms) >= 100 and len(avoid) >= 5
    for english, _, notebook, meaning, chinese_meaning in terms:
        assert english and meaning and CJK.search(chinese_meaning), english
        assert notebook in numbers, f"{english}: first met in {notebook!r}, not a notebook"


def test_the_chinese_edition_uses_the_glossarys_chinese_terms():
    text = chinese_text()
    missing = []
    for english, chinese, *_ in glossary()[0]:
        main = chinese.split("（")[0]                      # alternatives follow in full-width brackets
        missing += [f"{english}: {form}" for form in re.split(r"\s*/\s*|、", main) if form not in text]
    assert missing == [], f"glossary terms whose Chinese form the Chinese edition never uses: {missing}"


def test_the_chinese_edition_avoids_the_forms_the_glossary_rules_out():
    text = chinese_text()
    found = [f"{bad} (write {good})" for bad, good, _ in glossary()[1] if bad in text]
    assert found == [], f"the Chinese edition writes forms the glossary rules out: {found}"


def _shown(cell) -> list[str]:
    """What a code cell printed or returned as text (images and HTML left out)."""
    return [o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
            for o in cell.get("outputs", []) if o.output_type in ("stream", "execute_result")]


def test_a_chinese_notebook_runs_top_to_bottom_and_prints_what_the_english_stores(tmp_path):
    """make lab-zh's notebooks run as they are written (notebook 05, one of the quick ones)."""
    from scripts.nbrun import run_notebook

    path = ROOT / "notebooks" / "05_preparing_data.ipynb"
    written, _ = i18n.write_notebooks([path], tmp_path)
    ran = run_notebook(written[0]).notebook
    stored = nbformat.read(path, as_version=4)
    compared = 0
    for new, old in zip(ran.cells, stored.cells, strict=True):
        if new.cell_type == "code" and "nbval-ignore-output" not in old.get("metadata", {}).get("tags", []):
            assert _shown(new) == _shown(old), f"cell {old.id} printed something else in the Chinese edition"
            compared += 1
    assert compared > 20


def test_the_chinese_student_edition_has_the_cells_the_grader_scores(editions):
    """make grade scores by cell id and self-check: the Chinese student edition has the same ones.

    (Measured once by hand: the grader scored notebook 05's Chinese student edition 0/3,
    'not answered', and the Chinese notebook with its solutions 3/3.)
    """
    from scripts.student import make_student

    for english, chinese, path in editions:
        en, zh = make_student(english), make_student(chinese)
        assert [c.id for c in zh.cells] == [c.id for c in en.cells], path.name
        for a, b in zip(en.cells, zh.cells, strict=True):
            assert a.get("metadata", {}).get("tags") == b.get("metadata", {}).get("tags"), (path.name, a.id)
            if a.cell_type == "code":
                assert i18n.code_without_comments(a.source) == i18n.code_without_comments(b.source)
