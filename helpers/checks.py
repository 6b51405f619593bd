"""Self-checks for the exercises (练习): a verdict on a learner's answer, not the answer.

A right answer prints one line; a wrong one raises ``AssertionError`` with a hint, so the
cell fails visibly. Every notebook's exercises use these (notebook 00 introduces them).
A self-check cell never computes the expected answer in front of the learner; it uses

- ``check_digest``: the answer's fingerprint (a SHA-256 digest of its value, numbers
  rounded to a few decimals) against the one stored in the cell, for answers that do not
  depend on training;
- ``check_between``: bounds written in the cell, for numbers that depend on a trained
  model and so differ a little from machine to machine;
- ``check``: a comparison with a stated expected value, for properties of an answer that
  do not give the answer away (a shape, a count of forbidden repeats);
- ``check_callable``: that an answer is a function, before the cell tests what it does.

``answer_digest`` computes the fingerprint a lecturer stores when writing an exercise.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np

DIGEST_DECIMALS = 4


def check(answer: Any, expected: Any, *, name: str = "answer", hint: str = "",
          rtol: float = 0.0, atol: float = 0.0) -> None:
    """Compare ``answer`` with ``expected``; print a tick or raise ``AssertionError``.

    Numbers, arrays and lists of numbers are compared by value (and shape), within
    ``rtol``/``atol`` when given (exactly by default); a dict key by key, each value
    in the same way; anything else by ``==``.
    ``Ellipsis`` (``...``), the placeholder in an unanswered exercise cell, gets its own
    message.
    """
    _check_name(name)
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    _require_answer(answer, name)
    ok, detail = _compare(answer, expected, name, rtol, atol)
    if not ok:
        raise _not_right(name, f": {detail}", hint)
    print(f"✓ {name} is right")


def answer_digest(value: Any, *, decimals: int = DIGEST_DECIMALS) -> str:
    """The fingerprint ``check_digest`` compares: 16 hex digits of SHA-256 of ``value``.

    Numbers (int, float, NumPy scalars) count as equal when they agree to ``decimals``
    decimal places (so ``8``, ``8.0`` and ``np.float32(8)`` match); lists, tuples and
    arrays compare element by element, in order (a tuple equals a list); dicts key by key;
    strings and booleans exactly.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an int from 0 to 12, got {decimals!r}")
    return hashlib.sha256(_canonical(value, decimals).encode("utf-8")).hexdigest()[:16]


def _canonical(value: Any, decimals: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | float | np.number):
        number = float(value)
        if not math.isfinite(number):
            return repr(number)
        return f"{round(number, decimals) + 0.0:.{decimals}f}"   # + 0.0 turns -0.0 into 0.0
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, np.ndarray):
        return _canonical(value.tolist(), decimals)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v, decimals) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((repr(k), _canonical(v, decimals)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    raise TypeError(f"value must be numbers, strings, lists, tuples, arrays or dicts of them, "
                    f"got {type(value).__name__}")


def check_digest(answer: Any, digest: str, *, name: str = "answer", hint: str = "",
                 decimals: int = DIGEST_DECIMALS) -> None:
    """Compare ``answer`` with a stored ``answer_digest``; print a tick or raise ``AssertionError``.

    The cell that calls it holds only the digest, so the learner cannot read the
    expected answer off the check. Numbers are compared to ``decimals`` decimal places.
    """
    _check_name(name)
    if not isinstance(digest, str) or len(digest) != 16 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"digest must be 16 lower-case hex digits from answer_digest, got {digest!r}")
    _require_answer(answer, name)
    try:
        ok = answer_digest(answer, decimals=decimals) == digest
    except TypeError as error:
        raise _not_right(name, f": {error}", hint) from None
    if not ok:
        raise _not_right(name, f" (compared to {decimals} decimal places)", hint)
    print(f"✓ {name} is right")


def check_between(answer: Any, low: float, high: float, *, name: str = "answer", hint: str = "") -> None:
    """Check that a number lies in ``[low, high]``; print a tick or raise ``AssertionError``.

    For answers read off a trained model: the bounds allow for the small differences
    between machines, and say no more about the answer than the lesson already does.
    """
    _check_name(name)
    if not (_is_number(low) and _is_number(high)) or not low <= high:
        raise ValueError(f"low and high must be numbers with low <= high, got low={low!r}, high={high!r}")
    _require_answer(answer, name)
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if not _is_number(answer):
        raise _not_right(name, f": expected a number, got {type(answer).__name__}", hint)
    if not low <= answer <= high:
        raise _not_right(name, f": {answer!r} is outside the expected range", hint)
    print(f"✓ {name} is right")


def check_callable(answer: Any, *, name: str = "answer") -> None:
    """Check that ``answer`` is a function (for exercises that ask for one), before testing it."""
    _check_name(name)
    _require_answer(answer, name)
    if not callable(answer):
        raise _not_right(name, f": expected a function, got {type(answer).__name__}")
    print(f"✓ {name} is a function")


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise TypeError("name must be a non-empty str")


def _require_answer(answer: Any, name: str) -> None:
    """``...`` is the placeholder of an unanswered exercise: say so, in one message for all checks."""
    if answer is Ellipsis:
        raise AssertionError(f"{name}: replace the ... with your answer first")


def _not_right(name: str, detail: str, hint: str = "") -> AssertionError:
    return AssertionError(f"{name} is not right yet{detail}" + (f". Hint: {hint}" if hint else ""))


def _compare(answer: Any, expected: Any, name: str, rtol: float, atol: float) -> tuple[bool, str]:
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            return False, f"expected a dict, got {type(answer).__name__}"
        if set(answer) != set(expected):
            return False, f"expected the keys {sorted(map(str, expected))}, got {sorted(map(str, answer))}"
        for key in expected:
            ok, detail = _compare(answer[key], expected[key], f"{name}[{key!r}]", rtol, atol)
            if not ok:
                return False, f"at key {key!r}: {detail}"
        return True, ""
    if _is_number(expected):
        ok = _is_number(answer) and bool(np.isclose(answer, expected, rtol=rtol, atol=atol))
        detail = f"expected {expected!r}, got {answer!r}"
    elif _is_numeric_array(expected):
        ok, detail = _compare_arrays(answer, expected, rtol, atol)
    else:
        ok = answer == expected
        if not isinstance(ok, bool):
            raise TypeError(f"{name}: cannot compare a {type(answer).__name__} with ==")
        detail = f"expected {expected!r}, got {answer!r}"
    return ok, detail


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _is_numeric_array(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, list | tuple) and value:
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except ValueError:
            return False
    return False


def _compare_arrays(answer: Any, expected: Any, rtol: float, atol: float) -> tuple[bool, str]:
    expected = np.asarray(expected)
    try:
        answer = np.asarray(answer)
    except ValueError:
        return False, "the answer is not a rectangular array"
    if answer.shape != expected.shape:
        return False, f"expected shape {expected.shape}, got {answer.shape}"
    if answer.dtype.kind not in "biuf":
        return False, f"expected numbers, got dtype {answer.dtype}"
    if np.allclose(answer, expected, rtol=rtol, atol=atol):
        return True, ""
    wrong = int(np.sum(~np.isclose(answer, expected, rtol=rtol, atol=atol)))
    return False, f"{wrong} of {expected.size} values differ from the expected ones"
