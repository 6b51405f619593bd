"""helpers.plots: style, the course's CJK font, training history, image grids."""

import unicodedata
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from helpers import plots  # noqa: E402
from helpers.paths import DATASETS  # noqa: E402

CHINESE = "注意力 我试试 我試試 attention"  # Simplified, Traditional and Latin
TATOEBA = DATASETS / "tatoeba-cmn-eng.tsv"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_use_course_style():
    plots.use_course_style()
    assert plt.rcParams["axes.grid"] is True


@pytest.fixture
def course_style():
    """The course style inside an rc_context, so the rcParams are restored afterwards."""
    with matplotlib.rc_context():
        plots.use_course_style()
        yield


def draw_chinese() -> list[str]:
    """Draw and render a figure with Chinese in its title and ticks; the warnings' texts."""
    fig, ax = plt.subplots()
    ax.imshow(np.eye(3))
    ax.set_title(CHINESE)
    ax.set_xticks(range(3), ["我", "試試", "。"])
    ax.set_yticks(range(3), ["注意力", "attention", "你好！"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()  # Agg
    return [str(w.message) for w in caught]


def test_use_course_style_is_idempotent_and_registers_the_font_once(course_style):
    plots.use_course_style()
    plots.use_course_style()
    entries = [f for f in font_manager.fontManager.ttflist if f.fname == str(plots.CJK_FONT_PATH)]
    assert len(entries) == 1 and entries[0].name == plots.CJK_FONT_FAMILY
    assert plt.rcParams["font.family"] == ["sans-serif", plots.CJK_FONT_FAMILY]
    assert plt.rcParams["font.sans-serif"] == ["DejaVu Sans", plots.CJK_FONT_FAMILY]


def test_chinese_renders_with_no_missing_glyph(course_style):
    messages = draw_chinese()
    assert not [m for m in messages if "missing from font" in m], messages


def test_without_the_course_font_chinese_glyphs_are_missing():
    # The check above can fail: with DejaVu Sans alone the same figure loses its 汉字.
    with matplotlib.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}):
        messages = draw_chinese()
    assert any("missing from font" in m and "DejaVu Sans" in m for m in messages), messages


def test_the_shipped_font_is_the_fallback_for_chinese(course_style):
    found = font_manager.findfont(FontProperties(family=plots.CJK_FONT_FAMILY),
                                  fallback_to_default=False)
    assert Path(found) == plots.CJK_FONT_PATH
    # Walk the fallback list as matplotlib does (each family of font.family resolved to one
    # font): Latin from DejaVu Sans, 注 試 。 from the first font that has them, the course's.
    paths = [Path(font_manager.findfont(FontProperties(family=[name]), fallback_to_default=False))
             for name in plt.rcParams["font.family"]]
    assert [path.name for path in paths] == ["DejaVuSans.ttf", plots.CJK_FONT_PATH.name]
    fonts = [font_manager.get_font(path) for path in paths]
    first_with = {char: next(path for path, font in zip(paths, fonts, strict=True)
                             if font.get_char_index(ord(char)))
                  for char in "a注試。"}
    assert first_with["a"] == paths[0]
    assert first_with["注"] == first_with["試"] == first_with["。"] == plots.CJK_FONT_PATH


def test_the_font_covers_every_chinese_character_of_tatoeba():
    cmap = TTFont(plots.CJK_FONT_PATH).getBestCmap()
    chinese = set()
    for line in TATOEBA.read_text(encoding="utf-8").splitlines():
        chinese.update(line.split("\t")[1])
    assert len(chinese) > 3000
    missing = {c for c in chinese if ord(c) not in cmap}
    # Noto Sans CJK has no glyph for an invisible format character (U+200B ZERO WIDTH
    # SPACE); DejaVu Sans, first in the fallback list, has one.
    assert all(unicodedata.category(c) == "Cf" for c in missing), sorted(missing)
    dejavu = TTFont(font_manager.findfont("DejaVu Sans")).getBestCmap()
    assert all(ord(c) in dejavu for c in missing)


def test_the_font_keeps_gb2312_latin_and_punctuation():
    cmap = TTFont(plots.CJK_FONT_PATH).getBestCmap()
    assert all(ord(c) in cmap for c in "AZaz09,.!?éü·“”—…，。、！？：；（）《》")
    gb2312 = set()
    for code in range(0xB0A1, 0xF7FF):
        try:
            gb2312.add(code.to_bytes(2, "big").decode("gb2312"))
        except UnicodeDecodeError:
            pass
    assert len(gb2312) == 6763 and all(ord(c) in cmap for c in gb2312)


def test_the_font_ships_with_its_licence_and_readme():
    folder = plots.CJK_FONT_PATH.parent
    assert plots.CJK_FONT_PATH.is_file() and plots.CJK_FONT_PATH.stat().st_size < 4_500_000
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    assert "scripts/make_font.py" in (folder / "README.md").read_text(encoding="utf-8")


def test_a_missing_font_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(plots, "CJK_FONT_PATH", tmp_path / "gone.otf")
    with pytest.raises(FileNotFoundError, match="course's CJK font is missing"):
        plots.register_cjk_font()


def test_plot_history_draws_train_and_validation():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.2, 0.5, 0.8]}
    fig = plots.plot_history(history, title="run")
    assert len(fig.axes) == 2
    assert [line.get_label() for line in fig.axes[0].lines] == ["train", "validation"]
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), [1.1, 0.7, 0.6])
    assert fig.axes[1].get_title() == "accuracy"


def test_plot_history_accepts_a_keras_history_and_a_metric_subset():
    class FakeHistory:
        history = {"loss": [1.0, 0.5], "mae": [3.0, 2.0]}

    fig = plots.plot_history(FakeHistory(), metrics=["mae"])
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "mae"


@pytest.mark.parametrize("history, metrics, error, match", [
    ({}, None, ValueError, "history is empty"),
    ([1, 2], None, TypeError, "history must be a keras History or a dict"),
    ({"loss": []}, None, ValueError, r"history\['loss'\] has no values"),
    ({"loss": [1.0]}, ["acc"], ValueError, r"metrics \['acc'\] are not in the history"),
    ({"loss": [1.0]}, "loss", TypeError, "not a single string"),
    ({"loss": [1.0]}, [], ValueError, "metrics is empty"),
])
def test_plot_history_rejects_bad_input(history, metrics, error, match):
    with pytest.raises(error, match=match):
        plots.plot_history(history, metrics)


def test_image_grid_lays_out_rows_and_titles():
    images = np.random.default_rng(0).random((7, 8, 8))
    fig = plots.image_grid(images, ncols=3, titles=list("abcdefg"))
    assert len(fig.axes) == 9
    assert [ax.get_title() for ax in fig.axes[:7]] == list("abcdefg")
    assert len(fig.axes[7].images) == 0


def test_image_grid_reshapes_flat_rows():
    fig = plots.image_grid(np.zeros((4, 64)), shape=(8, 8))
    assert fig.axes[0].images[0].get_array().shape == (8, 8)


@pytest.mark.parametrize("images, kwargs, error, match", [
    (np.zeros((0, 8, 8)), {}, ValueError, "images is empty"),
    (np.zeros((4, 64)), {}, ValueError, "got rank 2"),
    (np.zeros((4, 60)), {"shape": (8, 8)}, ValueError, "cannot be reshaped"),
    (np.zeros((2, 8, 8)), {"titles": ["a"]}, ValueError, "titles has 1 entries for 2 images"),
    (np.zeros((2, 8, 8)), {"ncols": 0}, ValueError, "ncols must be a positive int"),
])
def test_image_grid_rejects_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.image_grid(images, **kwargs)


def test_plot_length_histogram_draws_bars_marks_and_boundaries():
    lengths = [3, 5, 5, 8, 13, 21, 34, 400]
    fig = plots.plot_length_histogram(lengths, [6, 20, 401], title="replies")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_title() == "replies"
    assert sum(p.get_height() for p in ax.patches) == len(lengths)
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    assert xs[:2] == [np.percentile(lengths, 50), np.percentile(lengths, 99)]
    assert xs[2:] == [6, 20, 401]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "median: 10" and labels[-1] == "bucket boundaries"


def test_plot_length_histogram_linear_axis_on_a_given_axes():
    fig, ax = plt.subplots()
    out = plots.plot_length_histogram([1, 2, 2, 3], log_x=False, ax=ax, bins=3)
    assert out is fig and ax.get_xscale() == "linear" and len(ax.patches) == 3


@pytest.mark.parametrize("lengths, kwargs, error, match", [
    ([], {}, ValueError, "empty"),
    ([[1, 2]], {}, ValueError, "rank 1"),
    ([0, 3], {}, ValueError, ">= 1"),
    ([1, 2], {"bins": 0}, ValueError, "bins"),
    ([1, 2], {"boundaries": [5, 3]}, ValueError, "increase"),
    ([1, 2], {"boundaries": [1.5]}, TypeError, "ints"),
])
def test_plot_length_histogram_rejects_bad_input(lengths, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.plot_length_histogram(lengths, **kwargs)
