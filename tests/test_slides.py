"""scripts/slides.py: the slide metadata rules and the lecture deck built from them."""

import nbformat
import pytest

from scripts import slides
from scripts.course import SELF_CHECK, SOLUTION, notebook_paths

NOTEBOOKS = notebook_paths()
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def _cell(kind, source, tags=(), figure=False):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source, metadata={"tags": list(tags)} if tags else {})
    if figure:
        data = {"image/png": PNG, "text/plain": "<Figure>"}
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    return cell


def _lesson():
    return nbformat.v4.new_notebook(metadata={"course": {"key_result": "loss falls; accuracy ≥ 90%"}}, cells=[
        _cell("markdown", "# 99 · Title · 标题\n\nAn intro sentence.\n\n**What you will learn here**\n"
                          "- one thing;\n- another\n  thing, on two lines.\n\n**Run time:** 1 min."),
        _cell("markdown", "## Setup · 环境设置\n\nThe first cell."),
        _cell("code", "import helpers"),
        _cell("markdown", "## The idea · 思想\n\nFirst sentence. Second sentence.\n\n$$y = Wx$$\n\n"
                          "- a point\n- another point"),
        _cell("code", "x = 1"),
        _cell("code", "plt.show()", figure=True),
        _cell("markdown", "More prose for the notes."),
        _cell("markdown", "## A detail · 细节\n\nOnly for the notes.", tags=[slides.LECTURE_NOTES]),
        _cell("markdown", "## Exercises · 练习\n\nIntro.\n\n### Exercise 1 · 练习 1: count"),
        _cell("code", "# Solution\nanswer_1 = 1", tags=[SOLUTION]),
        _cell("code", "check(answer_1, 1)", tags=[SELF_CHECK]),
        _cell("markdown", "### Exercise 2 · 练习 2: build it"),
        _cell("code", "plt.show()", figure=True),
        _cell("markdown", "## What's next · 下一步\n\nNotebook 100."),
    ])


def test_the_rules_give_every_cell_its_type():
    assert slides.slide_types(_lesson()) == [
        "slide", "skip", "skip", "slide", "skip", "subslide", "notes", "notes",
        "slide", "skip", "skip", "skip", "skip", "slide"]


def test_mark_slides_sets_every_cell_once():
    nb = _lesson()
    assert slides.slide_problems(nb, "nb") != []
    assert slides.mark_slides(nb) is True
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == slides.slide_types(nb)
    assert slides.mark_slides(nb) is False
    assert slides.slide_problems(nb, "nb") == []


def test_the_deck_shows_the_story_and_keeps_the_prose_as_notes():
    nb = _lesson()
    deck = slides.lecture_deck(nb)
    shown = [(slides.stored_type(c), c.source.splitlines()[0]) for c in deck.cells
             if slides.stored_type(c) != "notes"]
    assert [kind for kind, _ in shown] == ["slide", "slide", "slide", "subslide", "slide", "slide", "slide"]
    assert [first for _, first in shown if not first.startswith("<p")] == [
        "# 99 · Title · 标题", "## Objectives · 学习目标", "## The idea · 思想", "## Lab · 练习",
        "## What's next · 下一步", "## Summary · 小结"]
    idea = next(c.source for c in deck.cells if c.source.startswith("## The idea"))
    assert "$$y = Wx$$" in idea and "- a point" in idea
    objectives = next(c.source for c in deck.cells if c.source.startswith("## Objectives"))
    assert "- another thing, on two lines." in objectives
    notes = [c.source for c in deck.cells if slides.stored_type(c) == "notes"]
    assert any("Only for the notes." in n for n in notes) and any("More prose" in n for n in notes)
    lab = next(c.source for c in deck.cells if c.source.startswith("## Lab"))
    assert "- Exercise 1. count" in lab and "- Exercise 2. build it" in lab
    summary = deck.cells[-1].source
    assert "- loss falls" in summary and "- accuracy ≥ 90%" in summary
    assert slides.deck_slides(nb) == 7 and slides.class_minutes(nb) == 7 * slides.MINUTES_PER_SLIDE
    figure = next(c.source for c in deck.cells if slides.stored_type(c) == "subslide")
    assert "The idea · 思想" in figure and len(slides.embedded_png(figure)) == 1


def test_a_long_lead_is_cut_at_a_sentence_end():
    text = "One short sentence. " + "word " * 100
    assert slides._shorten(text, 50) == "One short sentence."
    assert slides._shorten("word " * 100, 30).endswith(" …")
    assert slides._shorten("Short.", 30) == "Short."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_carries_its_slide_metadata_and_a_deck_of_8_to_25_slides(path):
    nb = nbformat.read(path, as_version=4)
    assert slides.slide_problems(nb, path.name) == []
    assert 8 <= slides.deck_slides(nb) <= 25, slides.deck_slides(nb)


def test_teaching_headings_take_their_timing_from_the_decks():
    text = "### 06 · Seq2seq · 序列 (45 min)\n\nbody\n### 07 · Dialogue · 对话 (9 slides, about 18 min)\n"
    timed = slides.teaching_with_timing(text, {"06": (20, 40.0), "07": (10, 20.0)})
    assert timed == ("### 06 · Seq2seq · 序列 (20 slides, about 40 min)\n\nbody\n"
                     "### 07 · Dialogue · 对话 (10 slides, about 20 min)\n")
    assert slides.teaching_with_timing(text, {}) == text


def test_teaching_states_each_decks_measured_timing():
    from scripts.course import ROOT

    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    expected = slides.teaching_with_timing(text, slides.deck_timing(NOTEBOOKS))
    assert text == expected, "TEACHING.md's lesson timings are stale: run python -m scripts.slides timing"
    assert len(slides.TEACHING_HEADING.findall(text)) == len(NOTEBOOKS)
