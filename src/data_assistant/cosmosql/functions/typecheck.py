"""Type-checking functions: IS_ARRAY, IS_DEFINED, IS_INTEGER..."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..values import UNDEFINED
from .registry import builtin

_INT64_MIN, _INT64_LIMIT = -(2**63), 2**63


def _is_integer(v: Any) -> bool:
    t = type(v)
    if t is int:
        return _INT64_MIN <= v < _INT64_LIMIT
    return t is float and v.is_integer() and _INT64_MIN <= v < _INT64_LIMIT


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "IS_ARRAY": lambda v: type(v) is list,
    "IS_BOOL": lambda v: type(v) is bool,
    "IS_DEFINED": lambda v: v is not UNDEFINED,
    "IS_NULL": lambda v: v is None,
    "IS_NUMBER": lambda v: type(v) in (int, float),
    "IS_OBJECT": lambda v: type(v) is dict,
    "IS_PRIMITIVE": lambda v: v is None or type(v) in (bool, int, float, str),
    "IS_STRING": lambda v: type(v) is str,
    "IS_FINITE_NUMBER": lambda v: type(v) is int or (type(v) is float and math.isfinite(v)),
    "IS_INTEGER": _is_integer,
}


def _register(name: str, check: Callable[[Any], bool]) -> None:
    @builtin(name, 1)
    def impl(value: Any) -> bool:
        return check(value)

    impl.__doc__ = f"{name}(value): a boolean, never undefined."


for _name, _check in _CHECKS.items():
    _register(_name, _check)
