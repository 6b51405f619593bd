"""helpers.checks: exercise self-checks."""

import numpy as np
import pytest

from helpers.checks import check


def test_a_right_answer_prints_a_tick(capsys):
    check(3, 3, name="count")
    check([1, 2], [1, 2])
    check(np.array([0.1, 0.2]), [0.1, 0.2000001], rtol=1e-5)
    check("2024-03-05", "2024-03-05", name="label")
    assert capsys.readouterr().out.splitlines() == [
        "✓ count is right", "✓ answer is right", "✓ answer is right", "✓ label is right"]


@pytest.mark.parametrize("answer, expected, match", [
    (..., 3, "replace the ... with your answer"),
    (4, 3, "expected 3, got 4"),
    ([1, 2, 3], [1, 2], r"expected shape \(2,\), got \(3,\)"),
    ([1, 5], [1, 2], "1 of 2 values differ"),
    (["a", "b"], [1, 2], "expected numbers"),
    ([[1], [1, 2]], [1, 2], "not a rectangular array"),
])
def test_a_wrong_answer_raises_with_what_was_expected(answer, expected, match):
    with pytest.raises(AssertionError, match=match):
        check(answer, expected, hint="look again")


def test_the_hint_is_shown():
    with pytest.raises(AssertionError, match="Hint: count the padding"):
        check(1, 2, hint="count the padding")


def test_bad_arguments():
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        check(1, 1, name="")
    with pytest.raises(ValueError, match="rtol and atol must be >= 0"):
        check(1.0, 1.0, rtol=-1)
    with pytest.raises(TypeError, match="cannot compare"):
        check(np.array([[1, 2]]), "a")


def test_dicts_compare_key_by_key(capsys):
    check({"en": 0.5, "fr": 1}, {"en": 0.5000001, "fr": 1.0}, name="by_locale", rtol=1e-5)
    assert capsys.readouterr().out == "✓ by_locale is right\n"
    with pytest.raises(AssertionError, match=r"at key 'fr': expected 1.0, got 0.5"):
        check({"en": 0.5, "fr": 0.5}, {"en": 0.5, "fr": 1.0})
    with pytest.raises(AssertionError, match=r"expected the keys \['en', 'fr'\], got \['en'\]"):
        check({"en": 0.5}, {"en": 0.5, "fr": 1.0})
    with pytest.raises(AssertionError, match="expected a dict, got list"):
        check([0.5], {"en": 0.5})
    with pytest.raises(AssertionError, match="replace the ... with your answer first"):
        check(..., {"en": 0.5})


def test_numbers_compare_within_tolerance(capsys):
    check(0.1 + 0.2, 0.3, name="sum", rtol=1e-9)
    with pytest.raises(AssertionError, match="expected 0.3"):
        check(0.1 + 0.2, 0.3)  # exact by default
    with pytest.raises(AssertionError, match="expected 2"):
        check("2", 2)
    with pytest.raises(AssertionError, match="expected 1"):
        check(True, 1)  # a bool is not the number asked for
    assert capsys.readouterr().out == "✓ sum is right\n"


def test_the_shared_argument_check_names_the_argument():
    from helpers._validate import check_int

    assert check_int(np.int64(3), "n", 1) == 3 and type(check_int(np.int64(3), "n", 1)) is int
    with pytest.raises(TypeError, match="units must be an int, got float"):
        check_int(2.0, "units", 1)
    with pytest.raises(TypeError, match="units must be an int, got bool"):
        check_int(True, "units", 1)
    with pytest.raises(ValueError, match="units must be >= 1, got 0"):
        check_int(0, "units", 1)
