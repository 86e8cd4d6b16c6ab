"""Aggregate functions: COUNT, SUM, AVG, MIN, MAX as small accumulators.

Undefined inputs are skipped. SUM and AVG become undefined as soon as a defined
non-number arrives; MIN and MAX use the cross-type order over numbers, strings,
booleans and null, and become undefined on arrays or objects.
"""

from __future__ import annotations

from typing import Any

from .operators import add
from .ordering import sort_key
from .values import UNDEFINED


class Accumulator:
    """Base: `add` each row's argument value, then read `result`."""

    __slots__ = ()

    def add(self, value: Any) -> None:
        """Fold one value in."""
        raise NotImplementedError

    def result(self) -> Any:
        """The aggregate value (may be UNDEFINED)."""
        raise NotImplementedError


class Count(Accumulator):
    """COUNT(expr): rows where expr is defined."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0

    def add(self, value: Any) -> None:
        if value is not UNDEFINED:
            self.n += 1

    def result(self) -> Any:
        return self.n


class Sum(Accumulator):
    """SUM(expr); 0 over no values."""

    __slots__ = ("invalid", "total")

    def __init__(self) -> None:
        self.total: int | float = 0
        self.invalid = False

    def add(self, value: Any) -> None:
        t = type(value)
        if t is int or t is float:
            self.total = add(self.total, value)
        elif value is not UNDEFINED:
            self.invalid = True

    def result(self) -> Any:
        return UNDEFINED if self.invalid else self.total


class Avg(Sum):
    """AVG(expr); undefined over no values."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def add(self, value: Any) -> None:
        t = type(value)
        if t is int or t is float:
            self.total = add(self.total, value)
            self.n += 1
        elif value is not UNDEFINED:
            self.invalid = True

    def result(self) -> Any:
        if self.invalid or self.n == 0:
            return UNDEFINED
        return self.total / self.n


class _Extreme(Accumulator):
    __slots__ = ("best", "invalid", "key")
    largest = False

    def __init__(self) -> None:
        self.best: Any = UNDEFINED
        self.key: Any = None
        self.invalid = False

    def add(self, value: Any) -> None:
        t = type(value)
        if value is UNDEFINED:
            return
        if t is list or t is dict:
            self.invalid = True
            return
        k = sort_key(value)
        if self.best is UNDEFINED or (k > self.key if self.largest else k < self.key):
            self.best, self.key = value, k

    def result(self) -> Any:
        return UNDEFINED if self.invalid else self.best


class Min(_Extreme):
    """MIN(expr)."""

    __slots__ = ()


class Max(_Extreme):
    """MAX(expr)."""

    __slots__ = ()
    largest = True


AGGREGATES: dict[str, type[Accumulator]] = {
    "COUNT": Count,
    "SUM": Sum,
    "AVG": Avg,
    "MIN": Min,
    "MAX": Max,
}


def is_aggregate(name: str) -> bool:
    """True for the names of aggregate functions (any case)."""
    return name.upper() in AGGREGATES
