"""Self-checks for the exercises (练习): a learner's answer against the expected one.

A right answer prints one line; a wrong one raises ``AssertionError`` with what was
expected and a hint, so the cell fails visibly. Every notebook's exercises use these.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def check(answer: Any, expected: Any, *, name: str = "answer", hint: str = "",
          rtol: float = 0.0, atol: float = 0.0) -> None:
    """Compare ``answer`` with ``expected``; print a tick or raise ``AssertionError``.

    Numbers, arrays and lists of numbers are compared by value (and shape), within
    ``rtol``/``atol`` when given (exactly by default); a dict key by key, each value
    in the same way; anything else by ``==``.
    ``Ellipsis`` (``...``), the placeholder in an unanswered exercise cell, gets its own
    message.
    """
    if not isinstance(name, str) or not name:
        raise TypeError("name must be a non-empty str")
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    if answer is Ellipsis:
        raise AssertionError(f"{name}: replace the ... with your answer first")
    ok, detail = _compare(answer, expected, name, rtol, atol)
    if not ok:
        raise AssertionError(f"{name} is not right yet: {detail}" + (f". Hint: {hint}" if hint else ""))
    print(f"✓ {name} is right")


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
