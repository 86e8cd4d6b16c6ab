"""No built-in function, operator or aggregate fails on a hostile argument.

Each one is called with every combination of awkward values: NaN, infinities, integers of
thousands of digits, floats at the edge of the double range, nested and empty containers.
It may answer anything, undefined included, or refuse with a CosmosQueryError (a 400);
an uncaught Python exception would be a 500.
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import pytest

from data_assistant.cosmosql import UNDEFINED, CosmosQueryError
from data_assistant.cosmosql.aggregates import AGGREGATES
from data_assistant.cosmosql.functions import REGISTRY
from data_assistant.cosmosql.operators import BINARY, UNARY

HUGE_INT = int("9" * 4000)  # JSON allows up to 4,300 digits
HOSTILE: list[Any] = [
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    -1e308,
    5e-324,
    HUGE_INT,
    -HUGE_INT,
    2**63,
    -(2**63) - 1,
    0,
    -1,
    "",
    "x" * 1000,
    "2020-01-01T00:00:00Z",
    "day",
    [],
    [1, [2, [3]]],
    {},
    {"type": "Point", "coordinates": [1e308, float("nan")]},
    None,
    True,
    UNDEFINED,
]
SHORT: list[Any] = [float("nan"), float("inf"), HUGE_INT, -1e308, "", "ms", [], None, UNDEFINED]


def _argument_lists(min_args: int, max_args: int | None) -> list[tuple[Any, ...]]:
    counts = range(min_args, min(max_args if max_args is not None else min_args + 1, 3) + 1)
    lists: list[tuple[Any, ...]] = []
    for n in counts:
        pool = HOSTILE if n <= 2 else SHORT
        lists.extend(itertools.product(pool, repeat=n))
    return lists


def _call(fn: Any, args: tuple[Any, ...]) -> None:
    with contextlib.suppress(CosmosQueryError):  # a 400 is an answer; anything else fails
        fn(*args)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_function_never_raises_on_hostile_arguments(name: str) -> None:
    spec = REGISTRY[name]
    for args in _argument_lists(spec.min_args, spec.max_args):
        _call(spec.impl, args)


@pytest.mark.parametrize("op", sorted(BINARY))
def test_a_binary_operator_never_raises_on_hostile_operands(op: str) -> None:
    for args in itertools.product(HOSTILE, repeat=2):
        _call(BINARY[op], args)


@pytest.mark.parametrize("op", sorted(UNARY))
def test_a_unary_operator_never_raises_on_a_hostile_operand(op: str) -> None:
    for value in HOSTILE:
        _call(UNARY[op], (value,))


@pytest.mark.parametrize("name", sorted(AGGREGATES))
def test_an_aggregate_never_raises_on_hostile_values(name: str) -> None:
    for values in itertools.product(HOSTILE, repeat=2):
        acc = AGGREGATES[name]()
        for value in values:
            acc.add(value)
        acc.result()


def test_integer_arithmetic_stays_within_int64_as_cosmos_doubles_do() -> None:
    assert BINARY["*"](2**62, 4) == float(2**64)
    assert BINARY["+"](HUGE_INT, 1) == float("inf")
    assert UNARY["-"](-(2**63)) == float(2**63)
    assert BINARY["*"](3, 4) == 12 and type(BINARY["*"](3, 4)) is int
