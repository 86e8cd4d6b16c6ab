"""Mathematical functions over IEEE doubles, and the 64-bit Int* functions."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from ..values import UNDEFINED, is_integer_value
from .registry import builtin

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _num(value: Any) -> bool:
    return type(value) in (int, float)


def _ieee(fn: Callable[..., float], *args: float) -> float:
    """Call a math function the way doubles behave: NaN or infinity instead of errors."""
    try:
        return fn(*args)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return math.nan


def _unary(name: str, fn: Callable[[float], float]) -> None:
    @builtin(name, 1)
    def impl(x: Any) -> Any:
        return _ieee(fn, x) if _num(x) else UNDEFINED

    impl.__doc__ = f"{name}(number)."


def _log(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log(x)


def _log10(x: float) -> float:
    if x == 0:
        return -math.inf
    return math.log10(x)


def _integral(fn: Callable[[float], Any]) -> Callable[[float], Any]:
    def apply(x: float) -> Any:
        if type(x) is int or not math.isfinite(x):
            return x
        return fn(x)

    return apply


def _round_half_away(x: float) -> float:
    return math.copysign(math.floor(abs(x) + 0.5), x)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


_UNARY: dict[str, Callable[[float], float]] = {
    "ABS": abs,
    "ACOS": math.acos,
    "ASIN": math.asin,
    "ATAN": math.atan,
    "CEILING": _integral(math.ceil),
    "COS": math.cos,
    "COT": lambda x: 1 / math.tan(x),
    "DEGREES": math.degrees,
    "EXP": math.exp,
    "FLOOR": _integral(math.floor),
    "LOG10": _log10,
    "RADIANS": math.radians,
    "ROUND": _integral(_round_half_away),
    "SIGN": _sign,
    "SIN": math.sin,
    "SQRT": math.sqrt,
    "SQUARE": lambda x: x * x,
    "TAN": math.tan,
    "TRUNC": _integral(math.trunc),
}
for _name, _fn in _UNARY.items():
    _unary(_name, _fn)


@builtin("ATN2", 2)
def atn2(y: Any, x: Any) -> Any:
    """Angle of the point (x, y) from the x axis, in radians."""
    return _ieee(math.atan2, y, x) if _num(y) and _num(x) else UNDEFINED


@builtin("LOG", 1, 2)
def log(x: Any, base: Any = None) -> Any:
    """Natural logarithm, or the logarithm in `base`."""
    if not _num(x) or (base is not None and not _num(base)):
        return UNDEFINED
    if base is None:
        return _ieee(_log, x)
    return _ieee(lambda a, b: _log(a) / _log(b), x, base)


@builtin("POWER", 2)
def power(x: Any, y: Any) -> Any:
    """x raised to y."""
    return _ieee(math.pow, x, y) if _num(x) and _num(y) else UNDEFINED


@builtin("PI", 0)
def pi() -> float:
    """The constant pi."""
    return math.pi


@builtin("RAND", 0, pure=False)
def rand() -> float:
    """A random number in [0, 1)."""
    return random.random()


@builtin("NUMBERBIN", 1, 2)
def number_bin(x: Any, size: Any = 1) -> Any:
    """x rounded down to a multiple of `size`."""
    if not _num(x) or not _num(size) or size == 0:
        return UNDEFINED
    return _ieee(lambda a, b: math.floor(a / b) * b, x, size)


# ------------------------------------------------------------------ 64-bit integers


def _int64(value: Any) -> int | None:
    if type(value) in (int, float) and is_integer_value(value):
        n = int(value)
        if _INT64_MIN <= n <= _INT64_MAX:
            return n
    return None


def _wrap(n: int) -> int:
    """Two's-complement wrap-around, as Int* functions overflow."""
    return (n - _INT64_MIN) % 2**64 + _INT64_MIN


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _trunc_mod(a: int, b: int) -> int:
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _int_binary(name: str, fn: Callable[[int, int], int | None]) -> None:
    @builtin(name, 2)
    def impl(a: Any, b: Any) -> Any:
        x, y = _int64(a), _int64(b)
        if x is None or y is None:
            return UNDEFINED
        result = fn(x, y)
        return UNDEFINED if result is None else _wrap(result)

    impl.__doc__ = f"{name}(integer, integer) with 64-bit wrap-around."


for _name, _ifn in {
    "INTADD": lambda a, b: a + b,
    "INTSUB": lambda a, b: a - b,
    "INTMUL": lambda a, b: a * b,
    "INTDIV": lambda a, b: None if b == 0 else _trunc_div(a, b),
    "INTMOD": lambda a, b: None if b == 0 else _trunc_mod(a, b),
    "INTBITAND": lambda a, b: a & b,
    "INTBITOR": lambda a, b: a | b,
    "INTBITXOR": lambda a, b: a ^ b,
    "INTBITLEFTSHIFT": lambda a, b: a << (b & 63),
    "INTBITRIGHTSHIFT": lambda a, b: a >> (b & 63),
}.items():
    _int_binary(_name, _ifn)


@builtin("INTBITNOT", 1)
def int_bit_not(a: Any) -> Any:
    """Bitwise complement of a 64-bit integer."""
    x = _int64(a)
    return UNDEFINED if x is None else ~x
