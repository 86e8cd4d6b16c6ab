"""Array functions, set functions and the array-valued helpers CHOOSE and ObjectToArray."""

from __future__ import annotations

import math
import statistics
from typing import Any

from ..errors import CosmosQueryError
from ..limits import MAX_ARRAY_LENGTH
from ..ordering import sort_key
from ..values import UNDEFINED, canonical, is_finite, is_integer_value, json_equal
from .registry import builtin


def _built(size: int, name: str) -> None:
    """Refuse to build an array of more than MAX_ARRAY_LENGTH elements."""
    if size > MAX_ARRAY_LENGTH:
        raise CosmosQueryError(
            f"{name} would build an array of more than {MAX_ARRAY_LENGTH:,} elements."
        )


def _arrays(*values: Any) -> bool:
    return all(type(v) is list for v in values)


def _matches(item: Any, wanted: Any, partial: bool) -> bool:
    if partial and type(item) is dict and type(wanted) is dict:
        return all(k in item and json_equal(item[k], v) for k, v in wanted.items())
    return json_equal(item, wanted)


@builtin("ARRAY_CONCAT", 2, None)
def array_concat(*arrays: Any) -> Any:
    """One array holding the elements of all the arguments in order."""
    if not _arrays(*arrays):
        return UNDEFINED
    _built(sum(map(len, arrays)), "ARRAY_CONCAT")
    return [item for array in arrays for item in array]


@builtin("ARRAY_CONTAINS", 2, 3)
def array_contains(array: Any, wanted: Any, partial: Any = False) -> Any:
    """True when an element equals `wanted` (or, with partial=true, has its properties)."""
    if type(array) is not list or type(partial) is not bool:
        return UNDEFINED
    return any(_matches(item, wanted, partial) for item in array)


@builtin("ARRAY_CONTAINS_ANY", 2, None)
def array_contains_any(array: Any, *wanted: Any) -> Any:
    """True when the array holds one of the values; an undefined value counts as unknown."""
    if type(array) is not list:
        return UNDEFINED
    keys = {canonical(item) for item in array}
    if any(w is not UNDEFINED and canonical(w) in keys for w in wanted):
        return True
    return UNDEFINED if any(w is UNDEFINED for w in wanted) else False


@builtin("ARRAY_CONTAINS_ALL", 2, None)
def array_contains_all(array: Any, *wanted: Any) -> Any:
    """True when the array holds every value; an undefined value counts as unknown."""
    if type(array) is not list:
        return UNDEFINED
    keys = {canonical(item) for item in array}
    if any(w is not UNDEFINED and canonical(w) not in keys for w in wanted):
        return False
    return UNDEFINED if any(w is UNDEFINED for w in wanted) else True


@builtin("ARRAY_LENGTH", 1)
def array_length(array: Any) -> Any:
    """Number of elements."""
    return len(array) if type(array) is list else UNDEFINED


@builtin("ARRAY_SLICE", 2, 3)
def array_slice(array: Any, start: Any, length: Any = None) -> Any:
    """Elements from `start` (negative counts from the end), at most `length` of them."""
    if type(array) is not list or type(start) not in (int, float) or not is_finite(start):
        return UNDEFINED
    begin = int(start)
    if begin < 0:
        begin = max(len(array) + begin, 0)
    if length is None:
        return array[begin:]
    if type(length) not in (int, float) or (type(length) is float and math.isnan(length)):
        return UNDEFINED
    n = int(min(length, len(array)))
    return array[begin : begin + n] if n > 0 else []


@builtin("CHOOSE", 2, None)
def choose(index: Any, *options: Any) -> Any:
    """The option at the 1-based `index`; undefined when out of range."""
    if type(index) not in (int, float) or not is_integer_value(index):
        return UNDEFINED
    i = int(index)
    return options[i - 1] if 1 <= i <= len(options) else UNDEFINED


@builtin("OBJECTTOARRAY", 1, 3)
def object_to_array(obj: Any, key_name: Any = "k", value_name: Any = "v") -> Any:
    """[{k: name, v: value}, ...] for each property, with optional field names."""
    if type(obj) is not dict or type(key_name) is not str or type(value_name) is not str:
        return UNDEFINED
    return [{key_name: k, value_name: v} for k, v in obj.items()]


def _distinct(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for item in items:
        key = canonical(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@builtin("SETINTERSECT", 2)
def set_intersect(first: Any, second: Any) -> Any:
    """Distinct values present in both arrays, in the order of the second."""
    if not _arrays(first, second):
        return UNDEFINED
    keys = {canonical(item) for item in first}
    return _distinct([item for item in second if canonical(item) in keys])


@builtin("SETUNION", 2)
def set_union(first: Any, second: Any) -> Any:
    """Distinct values of both arrays, first array first."""
    if not _arrays(first, second):
        return UNDEFINED
    _built(len(first) + len(second), "SetUnion")
    return _distinct(first + second)


def _numbers(array: Any) -> list[int | float] | None:
    if type(array) is not list or not all(type(v) in (int, float) for v in array):
        return None
    return array


@builtin("ARRAY_SUM", 1)
def array_sum(array: Any) -> Any:
    """Sum of an array of numbers."""
    values = _numbers(array)
    return UNDEFINED if values is None else sum(values)


@builtin("ARRAY_AVG", 1)
def array_avg(array: Any) -> Any:
    """Mean of a non-empty array of numbers."""
    values = _numbers(array)
    return UNDEFINED if not values else sum(values) / len(values)


@builtin("ARRAY_MEDIAN", 1)
def array_median(array: Any) -> Any:
    """Median of a non-empty array of numbers."""
    values = _numbers(array)
    return UNDEFINED if not values else statistics.median(values)


def _extreme(array: Any, largest: bool) -> Any:
    if type(array) is not list or not array:
        return UNDEFINED
    if any(type(v) in (list, dict) for v in array):
        return UNDEFINED
    return (max if largest else min)(array, key=sort_key)


@builtin("ARRAY_MAX", 1)
def array_max(array: Any) -> Any:
    """Largest element in the cross-type order."""
    return _extreme(array, True)


@builtin("ARRAY_MIN", 1)
def array_min(array: Any) -> Any:
    """Smallest element in the cross-type order."""
    return _extreme(array, False)
