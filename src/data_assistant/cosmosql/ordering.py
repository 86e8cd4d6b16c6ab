"""The Cosmos order across JSON types, and sorting with partial (top-N) selection.

Ascending order: undefined < null < false < true < numbers < strings < arrays < objects.
Arrays and objects have no documented order among themselves; they are compared element
by element (objects by sorted keys) so results are at least deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from functools import total_ordering
from typing import Any, TypeVar

from .budget import spend
from .values import (
    RANK_ARRAY,
    RANK_BOOL,
    RANK_NULL,
    RANK_NUMBER,
    RANK_OBJECT,
    RANK_STRING,
    RANK_UNDEFINED,
    UNDEFINED,
)

T = TypeVar("T")
_NULL_KEY = (RANK_NULL, 0)
_UNDEFINED_KEY = (RANK_UNDEFINED, 0)


def sort_key(value: Any) -> tuple[int, Any]:
    """A key whose natural order is the Cosmos cross-type order."""
    t = type(value)
    if t is str:
        return (RANK_STRING, value)
    if t is int or t is float:
        return (RANK_NUMBER, value)
    if t is bool:
        return (RANK_BOOL, value)
    if value is None:
        return _NULL_KEY
    if value is UNDEFINED:
        return _UNDEFINED_KEY
    if t is list:
        spend(len(value) + 1)
        return (RANK_ARRAY, tuple(sort_key(v) for v in value))
    if t is dict:
        spend(len(value) + 1)
        return (RANK_OBJECT, tuple(sorted((k, sort_key(v)) for k, v in value.items())))
    raise TypeError(f"not a JSON value: {t.__name__}")


@total_ordering
class Descending:
    """Wraps a key so it sorts in reverse (for ORDER BY lists mixing ASC and DESC)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.key == other.key

    def __lt__(self, other: Descending) -> bool:
        return other.key < self.key

    def __hash__(self) -> int:
        return hash(self.key)


def order_rows(
    rows: Iterable[T],
    keys: list[Callable[[T], Any]],
    descending: list[bool],
    limit: int | None = None,
) -> list[T]:
    """Sort rows by several keys, keeping only the first `limit` when given.

    `heapq.nsmallest` / `nlargest` keep the result equal to a full stable sort cut at
    `limit`, in O(n log limit) instead of O(n log n).
    """
    if len(keys) == 1:
        one = keys[0]

        def key(row: T) -> Any:
            return sort_key(one(row))

        reverse = descending[0]
    elif all(descending) or not any(descending):

        def key(row: T) -> Any:
            return tuple(sort_key(k(row)) for k in keys)

        reverse = descending[0]
    else:
        pairs = list(zip(keys, descending, strict=True))

        def key(row: T) -> Any:
            return tuple(
                Descending(sort_key(k(row))) if desc else sort_key(k(row)) for k, desc in pairs
            )

        reverse = False
    if limit is None:
        return sorted(rows, key=key, reverse=reverse)
    if limit <= 0:
        return []
    if reverse:
        return heapq.nlargest(limit, rows, key=key)
    return heapq.nsmallest(limit, rows, key=key)


def min_max(values: Iterable[Any], *, largest: bool) -> Any:
    """MIN/MAX over defined values in the cross-type order; undefined if none."""
    best = UNDEFINED
    best_key: Any = None
    for v in values:
        if v is UNDEFINED:
            continue
        k = sort_key(v)
        if best is UNDEFINED or (k > best_key if largest else k < best_key):
            best, best_key = v, k
    return best
