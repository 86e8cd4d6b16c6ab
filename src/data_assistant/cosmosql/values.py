"""JSON values as Cosmos DB sees them: `undefined`, type ranks, equality and text.

Documents are plain Python values from `json.loads`. Cosmos adds one value JSON lacks,
`undefined` (a missing property), represented by the `UNDEFINED` singleton. Python's
`True == 1` must never leak into query semantics, so every comparison here checks types
first.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Final

from .budget import spend


class _Undefined:
    """The type of `UNDEFINED`; a singleton that is falsy and never equal to JSON values."""

    _instance: _Undefined | None = None
    __slots__ = ()

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Final = _Undefined()

# Cosmos cross-type order (ORDER BY, MIN/MAX): undefined < null < boolean < number <
# string < array < object.
RANK_UNDEFINED, RANK_NULL, RANK_BOOL, RANK_NUMBER, RANK_STRING, RANK_ARRAY, RANK_OBJECT = range(7)


def type_rank(value: Any) -> int:
    """The position of the value's type in the Cosmos cross-type order."""
    t = type(value)
    if t is str:
        return RANK_STRING
    if t is int or t is float:
        return RANK_NUMBER
    if t is bool:
        return RANK_BOOL
    if value is None:
        return RANK_NULL
    if t is list:
        return RANK_ARRAY
    if t is dict:
        return RANK_OBJECT
    if value is UNDEFINED:
        return RANK_UNDEFINED
    # Other Python numbers or containers (from parameters) behave like their JSON kind.
    if isinstance(value, bool):
        return RANK_BOOL
    if isinstance(value, int | float):
        return RANK_NUMBER
    if isinstance(value, str):
        return RANK_STRING
    if isinstance(value, list | tuple):
        return RANK_ARRAY
    if isinstance(value, dict):
        return RANK_OBJECT
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def is_number(value: Any) -> bool:
    """True for JSON numbers (bool excluded)."""
    t = type(value)
    return t is int or t is float


def is_integer_value(value: Any) -> bool:
    """True for numbers holding an integral value (2 and 2.0)."""
    t = type(value)
    if t is int:
        return True
    return t is float and value.is_integer()


def is_finite(value: int | float) -> bool:
    """True for any int (however long) and for floats other than NaN and infinities."""
    return type(value) is int or math.isfinite(value)


def depth_exceeds(value: Any, limit: int) -> bool:
    """True when arrays and objects nest more than `limit` levels deep in `value`.

    Recursive but never deeper than `limit`: it stops at the first level past it.
    """
    t = type(value)
    if t is not dict and t is not list:
        return False
    return limit == 0 or _deeper(value, limit - 1)


def _deeper(value: Any, left: int) -> bool:
    for child in value.values() if type(value) is dict else value:
        t = type(child)
        if (t is dict or t is list) and (left == 0 or _deeper(child, left - 1)):
            return True
    return False


def json_equal(a: Any, b: Any) -> bool:
    """Deep JSON equality: same types, numbers compared by value, objects by key set."""
    ta, tb = type(a), type(b)
    if ta is tb or (ta in (int, float) and tb in (int, float)):
        if ta is list:
            spend(len(a) + 1)
            return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
        if ta is dict:
            spend(len(a) + 1)
            return a.keys() == b.keys() and all(json_equal(v, b[k]) for k, v in a.items())
        return a == b
    return False


def canonical(value: Any) -> Any:
    """A hashable key such that canonical(a) == canonical(b) iff json_equal(a, b)."""
    t = type(value)
    if t is str or t is int or t is float:
        return value
    if t is bool:
        return (RANK_BOOL, value)
    if value is None:
        return (RANK_NULL,)
    if t is list:
        spend(len(value) + 1)
        return (RANK_ARRAY, tuple(canonical(v) for v in value))
    if t is dict:
        spend(len(value) + 1)
        return (RANK_OBJECT, frozenset((k, canonical(v)) for k, v in value.items()))
    return (RANK_UNDEFINED,)


def format_number(value: int | float) -> str:
    """Render a number the way Cosmos (.NET doubles, round-trip format) does."""
    if type(value) is int:
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(str(d) for d in digits)
    # Decimal exponent of the first significant digit, as .NET's "R" format uses it.
    point = len(text) + int(exponent)
    if -5 < point <= 15:
        if point <= 0:
            body = "0." + "0" * (-point) + text
        elif point >= len(text):
            body = text + "0" * (point - len(text))
        else:
            body = text[:point] + "." + text[point:]
    else:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        exp = point - 1
        body = f"{mantissa}E{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return ("-" if sign else "") + body


def _string_literal(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def to_json_text(value: Any) -> str:
    """Compact JSON text with Cosmos number formatting (used by ToString and rendering)."""
    t = type(value)
    if t is str:
        return _string_literal(value)
    if t is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if t is int or t is float:
        return format_number(value)
    if t is list or t is tuple:
        spend(len(value) + 1)
        return "[" + ",".join(to_json_text(v) for v in value if v is not UNDEFINED) + "]"
    if t is dict:
        spend(len(value) + 1)
        parts = [
            f"{_string_literal(k)}:{to_json_text(v)}"
            for k, v in value.items()
            if v is not UNDEFINED
        ]
        return "{" + ",".join(parts) + "}"
    if value is UNDEFINED:
        return "undefined"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def string_literal(text: str) -> str:
    """A double-quoted query string literal for `text`."""
    return _string_literal(text)
