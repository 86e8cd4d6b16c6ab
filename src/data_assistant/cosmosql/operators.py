"""Operators with Cosmos semantics: typed comparisons, three-valued logic, LIKE.

A comparison across types yields `UNDEFINED`; AND/OR/NOT treat anything other than a
boolean as unknown; arithmetic on non-numbers yields `UNDEFINED`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .errors import CosmosQueryError
from .limits import MAX_STRING_LENGTH
from .regex import like_matcher
from .values import UNDEFINED, json_equal

_NUMBER_TYPES = (int, float)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def equal(a: Any, b: Any) -> Any:
    """`a = b`: a boolean for values of one type, else undefined."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is str or ta is int or ta is float or ta is bool:
            return a == b
        if a is None:
            return True
        if ta is list or ta is dict:
            return json_equal(a, b)
        return UNDEFINED
    if ta in _NUMBER_TYPES and tb in _NUMBER_TYPES:
        return a == b
    return UNDEFINED


def not_equal(a: Any, b: Any) -> Any:
    """`a != b`; undefined across types and, as documented, between objects or arrays."""
    if type(a) in (list, dict):
        return UNDEFINED
    result = equal(a, b)
    return result if result is UNDEFINED else not result


def _orderable(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb:
        return ta is str or ta is int or ta is float or ta is bool or a is None
    return ta in _NUMBER_TYPES and tb in _NUMBER_TYPES


def less(a: Any, b: Any) -> Any:
    """`a < b` for two numbers, strings, booleans or nulls."""
    if not _orderable(a, b):
        return UNDEFINED
    return False if a is None else a < b


def less_equal(a: Any, b: Any) -> Any:
    """`a <= b`."""
    if not _orderable(a, b):
        return UNDEFINED
    return True if a is None else a <= b


def greater(a: Any, b: Any) -> Any:
    """`a > b`."""
    if not _orderable(a, b):
        return UNDEFINED
    return False if a is None else a > b


def greater_equal(a: Any, b: Any) -> Any:
    """`a >= b`."""
    if not _orderable(a, b):
        return UNDEFINED
    return True if a is None else a >= b


def logical_and(a: Any, b: Any) -> Any:
    """Three-valued AND: false wins, then undefined."""
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return UNDEFINED


def logical_or(a: Any, b: Any) -> Any:
    """Three-valued OR: true wins, then undefined."""
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return UNDEFINED


def logical_not(a: Any) -> Any:
    """NOT of a boolean; undefined otherwise."""
    if a is True:
        return False
    if a is False:
        return True
    return UNDEFINED


def _numbers(a: Any, b: Any) -> bool:
    return type(a) in _NUMBER_TYPES and type(b) in _NUMBER_TYPES


def as_double(n: int | float) -> int | float:
    """An integer past int64 as the double Cosmos DB computes (an infinity past the
    double range). Exact integers must not grow: repeated squaring would allocate
    without bound."""
    if type(n) is int and not _INT64_MIN <= n <= _INT64_MAX:
        try:
            return float(n)
        except OverflowError:
            return math.inf if n > 0 else -math.inf
    return n


def add(a: Any, b: Any) -> Any:
    """`a + b` for numbers."""
    if not _numbers(a, b):
        return UNDEFINED
    if type(a) is int and type(b) is int:
        return as_double(a + b)
    return as_double(a) + as_double(b)


def subtract(a: Any, b: Any) -> Any:
    """`a - b` for numbers."""
    if not _numbers(a, b):
        return UNDEFINED
    if type(a) is int and type(b) is int:
        return as_double(a - b)
    return as_double(a) - as_double(b)


def multiply(a: Any, b: Any) -> Any:
    """`a * b` for numbers."""
    if not _numbers(a, b):
        return UNDEFINED
    if type(a) is int and type(b) is int:
        return as_double(a * b)
    return as_double(a) * as_double(b)


def divide(a: Any, b: Any) -> Any:
    """`a / b` as IEEE doubles: x/0 is an infinity, 0/0 is NaN."""
    if not _numbers(a, b):
        return UNDEFINED
    a, b = as_double(a), as_double(b)
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def modulo(a: Any, b: Any) -> Any:
    """`a % b` with the sign of the dividend, as in C# and JavaScript."""
    if not _numbers(a, b):
        return UNDEFINED
    if b == 0:
        return math.nan
    if type(a) is int and type(b) is int:
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    a, b = as_double(a), as_double(b)
    if math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


def _int32(value: Any) -> int | None:
    """JavaScript's ToInt32: bitwise operators work on 32-bit integers (see the docs)."""
    t = type(value)
    if t is not int and t is not float:
        return None
    if t is float:
        if not math.isfinite(value):
            return 0
        value = int(value)
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


def _bitwise(fn: Callable[[int, int], int]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        x, y = _int32(a), _int32(b)
        if x is None or y is None:
            return UNDEFINED
        return _int32(fn(x, y))

    return apply


bit_and = _bitwise(lambda x, y: x & y)
bit_or = _bitwise(lambda x, y: x | y)
bit_xor = _bitwise(lambda x, y: x ^ y)
shift_left = _bitwise(lambda x, y: x << (y & 31))
shift_right = _bitwise(lambda x, y: x >> (y & 31))


def shift_right_unsigned(a: Any, b: Any) -> Any:
    """`a >>> b`: the result is an unsigned 32-bit integer."""
    x, y = _int32(a), _int32(b)
    if x is None or y is None:
        return UNDEFINED
    return (x & 0xFFFFFFFF) >> (y & 31)


def bit_not(a: Any) -> Any:
    """`~a` on a 32-bit integer."""
    x = _int32(a)
    return UNDEFINED if x is None else ~x


def negate(a: Any) -> Any:
    """Unary minus."""
    return as_double(-a) if type(a) in _NUMBER_TYPES else UNDEFINED


def plus(a: Any) -> Any:
    """Unary plus: numbers only."""
    return a if type(a) in _NUMBER_TYPES else UNDEFINED


def concat(a: Any, b: Any) -> Any:
    """`a || b` for two strings."""
    if type(a) is not str or type(b) is not str:
        return UNDEFINED
    if len(a) + len(b) > MAX_STRING_LENGTH:
        raise CosmosQueryError(
            f"|| would build a string of more than {MAX_STRING_LENGTH:,} characters."
        )
    return a + b


def coalesce(a: Any, b: Any) -> Any:
    """`a ?? b`: the first defined value."""
    return b if a is UNDEFINED else a


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "=": equal,
    "!=": not_equal,
    "<": less,
    "<=": less_equal,
    ">": greater,
    ">=": greater_equal,
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "%": modulo,
    "&": bit_and,
    "|": bit_or,
    "^": bit_xor,
    "<<": shift_left,
    ">>": shift_right,
    ">>>": shift_right_unsigned,
    "||": concat,
}
UNARY: dict[str, Callable[[Any], Any]] = {
    "-": negate,
    "+": plus,
    "~": bit_not,
    "NOT": logical_not,
}


def like(value: Any, pattern: Any, escape: str | None = None) -> Any:
    """`value LIKE pattern`: a boolean for two strings, else undefined."""
    if type(value) is not str or type(pattern) is not str:
        return UNDEFINED
    return like_matcher(pattern, escape)(value)
