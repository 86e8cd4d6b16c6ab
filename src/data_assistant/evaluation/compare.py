"""Result comparison: rows as tuples of values, numbers within tolerance, order when asked.

Column names are ignored. Numbers match when equal within a relative tolerance of 1e-6, or
when one of them is the other rounded to its own (1 to 4) decimal places, so a gold
`ROUND(x, 2)` matches an unrounded answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import sqlglot
from sqlglot import exp

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
        if isinstance(a, bytes | bytearray | memoryview) or isinstance(b, bytes | bytearray):
            return bytes(a) == bytes(b)  # type: ignore[arg-type]
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
