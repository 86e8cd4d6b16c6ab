"""Result comparison: rows as tuples of values, numbers within tolerance, order when asked.

Column names are ignored. Numbers match when equal within a relative tolerance of 1e-6, or
when one of them is the other rounded to its own (1 to 4) decimal places, so a gold
`ROUND(x, 2)` matches an unrounded answer.

Container results are lists of JSON values, compared the same way: objects by their values
(by key when both have the same keys, else as a multiset, so aliases do not matter), an
object of one property like its value (`{"n": 5}` matches `5`), arrays in order.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp

from data_assistant.cosmosql import CosmosSyntaxError, parse

REL_TOL = 1e-6


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def _decimals(value: float) -> int | None:
    text = repr(value)
    if "e" in text or "." not in text:
        return None
    places = len(text.split(".")[1].rstrip("0"))
    return places if 1 <= places <= 4 else None


def values_match(a: object, b: object) -> bool:
    """Whether two cell values are the same answer."""
    x, y = _number(a), _number(b)
    if x is None or y is None:
        if isinstance(a, bytes | bytearray | memoryview) and isinstance(
            b, bytes | bytearray | memoryview
        ):
            return bytes(a) == bytes(b)
        return a == b or (a is not None and b is not None and str(a) == str(b))
    if math.isclose(x, y, rel_tol=REL_TOL, abs_tol=1e-9):
        return True
    for raw, rounded, other in ((a, x, y), (b, y, x)):
        places = _decimals(rounded) if isinstance(raw, float | Decimal) else None
        if places is not None and math.isclose(round(other, places), rounded, abs_tol=1e-9):
            return True
    return False


def rows_match(a: Sequence, b: Sequence) -> bool:
    """Whether two rows hold the same values in the same positions."""
    return len(a) == len(b) and all(values_match(x, y) for x, y in zip(a, b, strict=True))


def _sort_key(row: Sequence) -> tuple:
    key = []
    for value in row:
        number = _number(value)
        if number is not None:
            key.append((0, float(f"{number:.4g}"), ""))
        elif value is None:
            key.append((1, 0.0, ""))
        else:
            key.append((2, 0.0, str(value)))
    return tuple(key)


def results_match(predicted: Sequence[Sequence], gold: Sequence[Sequence], ordered: bool) -> bool:
    """Whether two result sets are the same: in order, or as multisets."""
    if len(predicted) != len(gold):
        return False
    if ordered:
        return all(rows_match(p, g) for p, g in zip(predicted, gold, strict=True))
    left, right = sorted(predicted, key=_sort_key), sorted(gold, key=_sort_key)
    if all(rows_match(p, g) for p, g in zip(left, right, strict=True)):
        return True
    if len(gold) > 2000:
        return False
    remaining = list(gold)
    for row in predicted:
        for i, candidate in enumerate(remaining):
            if rows_match(row, candidate):
                del remaining[i]
                break
        else:
            return False
    return True


def is_ordered(sql: str, dialect: str | None = None) -> bool:
    """Whether the outermost query of `sql` has an ORDER BY."""
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.ParseError:
        return "order by" in sql.lower()
    if isinstance(tree, exp.Subquery):
        tree = tree.this
    return tree.args.get("order") is not None


def json_values_match(a: Any, b: Any) -> bool:
    """Whether two JSON values are the same answer (see the module docstring)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if len(a) != len(b):
            return False
        if a.keys() == b.keys():
            return all(json_values_match(a[k], b[k]) for k in a)
        return _same_multiset(list(a.values()), list(b.values()))
    if isinstance(a, dict) and len(a) == 1:
        return json_values_match(next(iter(a.values())), b)
    if isinstance(b, dict) and len(b) == 1:
        return json_values_match(a, next(iter(b.values())))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_values_match(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b  # JSON true is not 1
    if a is None or b is None:
        return a is None and b is None
    return values_match(a, b)


def _same_multiset(left: list[Any], right: list[Any]) -> bool:
    if len(left) != len(right):
        return False
    remaining = list(right)
    for value in left:
        for i, candidate in enumerate(remaining):
            if json_values_match(value, candidate):
                del remaining[i]
                break
        else:
            return False
    return True


def _json_key(value: Any) -> tuple:
    """A sort key that is the same for values that match: numbers to 4 significant
    digits, objects by their sorted values, a one-property object as its value."""
    if isinstance(value, dict):
        if len(value) == 1:
            return _json_key(next(iter(value.values())))
        return (5, tuple(sorted(_json_key(v) for v in value.values())))
    if isinstance(value, list):
        return (4, tuple(_json_key(v) for v in value))
    if isinstance(value, bool):
        return (3, int(value))
    number = _number(value)
    if number is not None:
        return (0, float(f"{number:.4g}"))
    if value is None:
        return (1, 0)
    return (2, json.dumps(value) if not isinstance(value, str) else value)


def documents_match(predicted: Sequence[Any], gold: Sequence[Any], ordered: bool) -> bool:
    """Whether two lists of JSON values are the same: in order, or as multisets."""
    if len(predicted) != len(gold):
        return False
    if ordered:
        return list(predicted) == list(gold) or all(
            json_values_match(p, g) for p, g in zip(predicted, gold, strict=True)
        )
    # Most answers are exactly the gold ones: compare their JSON texts before anything finer.
    if Counter(map(_canonical, predicted)) == Counter(map(_canonical, gold)):
        return True
    left, right = sorted(predicted, key=_json_key), sorted(gold, key=_json_key)
    if all(json_values_match(p, g) for p, g in zip(left, right, strict=True)):
        return True
    if len(gold) > 2000:
        return False
    return _same_multiset(list(predicted), list(gold))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def is_ordered_query(query: str) -> bool:
    """Whether the outermost query of a Cosmos DB query has an ORDER BY."""
    try:
        return bool(parse(query).order_by)
    except CosmosSyntaxError:
        return "order by" in query.lower()
