"""helpers.checks: exercise self-checks."""

import numpy as np
import pytest

from helpers.checks import answer_digest, check, check_between, check_callable, check_digest


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


# --- check_digest and answer_digest: the expected answer is not in the cell -------------


def test_digest_treats_equal_values_alike():
    assert answer_digest(8) == answer_digest(8.0) == answer_digest(np.float32(8)) == answer_digest(8.00001)
    assert answer_digest([1, 2.5]) == answer_digest((1, 2.5)) == answer_digest(np.array([1.0, 2.5]))
    assert answer_digest({"b": 1, "a": [0.5]}) == answer_digest({"a": [0.50001], "b": 1.0})
    assert answer_digest(-0.00001) == answer_digest(0.0)
    assert len(answer_digest("I_JUMP")) == 16


def test_digest_tells_different_values_apart():
    assert answer_digest(0.6065) != answer_digest(0.6066)
    assert answer_digest(0.6065, decimals=2) == answer_digest(0.6066, decimals=2)
    assert answer_digest([1, 2]) != answer_digest([2, 1])
    assert answer_digest([[1, 2]]) != answer_digest([1, 2])
    assert answer_digest("1") != answer_digest(1)
    assert answer_digest(True) != answer_digest(1)
    assert answer_digest({"a": 1}) != answer_digest({"a": 2})


def test_check_digest_gives_a_verdict_without_the_answer(capsys):
    check_digest(0.60653066, answer_digest(0.6065306597), name="answer_1")
    assert capsys.readouterr().out == "✓ answer_1 is right\n"
    with pytest.raises(AssertionError) as error:
        check_digest(0.5, answer_digest(0.6065306597), name="answer_1", hint="r = 9, c = 6")
    assert "answer_1 is not right yet" in str(error.value) and "Hint: r = 9, c = 6" in str(error.value)
    assert "0.6065" not in str(error.value)
    with pytest.raises(AssertionError, match="replace the ... with your answer first"):
        check_digest(..., answer_digest(1))
    with pytest.raises(AssertionError, match="answer is not right yet: value must be"):
        check_digest(object(), answer_digest(1))


def test_check_digest_bad_arguments():
    with pytest.raises(ValueError, match="digest must be 16 lower-case hex digits"):
        check_digest(1, "abc")
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        check_digest(1, answer_digest(1), name="")
    with pytest.raises(ValueError, match="decimals must be an int from 0 to 12"):
        answer_digest(1, decimals=-1)
    with pytest.raises(TypeError, match="value must be numbers"):
        answer_digest({1, 2})


def test_check_between(capsys):
    check_between(0.845, 0.7, 0.95, name="answer_1")
    check_between(np.array([0.8]), 0.7, 0.95)
    assert capsys.readouterr().out == "✓ answer_1 is right\n✓ answer is right\n"
    with pytest.raises(AssertionError, match="outside the expected range. Hint: cosine"):
        check_between(0.2, 0.7, 0.95, hint="cosine")
    with pytest.raises(AssertionError, match="expected a number, got str"):
        check_between("0.8", 0.7, 0.95)
    with pytest.raises(AssertionError, match="replace the ... with your answer first"):
        check_between(..., 0, 1)
    with pytest.raises(ValueError, match="low and high must be numbers with low <= high"):
        check_between(0.5, 1, 0)
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        check_between(0.5, 0, 1, name="")


def test_check_callable(capsys):
    check_callable(len, name="answer_2")
    assert capsys.readouterr().out == "✓ answer_2 is a function\n"
    with pytest.raises(AssertionError, match="replace the ... with your answer first"):
        check_callable(..., name="answer_2")
    with pytest.raises(AssertionError, match="answer_2 is not right yet: expected a function, got int"):
        check_callable(3, name="answer_2")
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        check_callable(len, name="")
