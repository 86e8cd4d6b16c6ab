"""Conditional and vector functions: IIF, VectorDistance."""

from __future__ import annotations

import math
from typing import Any

from ..values import UNDEFINED
from .registry import builtin


@builtin("IIF", 3)
def iif(condition: Any, if_true: Any, if_false: Any) -> Any:
    """`if_true` when the condition is the boolean true, else `if_false`."""
    return if_true if condition is True else if_false


def _vector(value: Any) -> list[float] | None:
    if type(value) is list and value and all(type(x) in (int, float) for x in value):
        return value
    return None


@builtin("VECTORDISTANCE", 2, 4)
def vector_distance(a: Any, b: Any, brute_force: Any = False, options: Any = None) -> Any:
    """Similarity of two vectors: cosine (default), dotproduct or euclidean distance."""
    x, y = _vector(a), _vector(b)
    if x is None or y is None or len(x) != len(y):
        return UNDEFINED
    kind = "cosine"
    if type(options) is dict and type(options.get("distanceFunction")) is str:
        kind = options["distanceFunction"].lower()
    dot = sum(p * q for p, q in zip(x, y, strict=True))
    if kind == "dotproduct":
        return dot
    if kind == "euclidean":
        return math.sqrt(sum((p - q) ** 2 for p, q in zip(x, y, strict=True)))
    if kind != "cosine":
        return UNDEFINED
    norms = math.sqrt(sum(p * p for p in x)) * math.sqrt(sum(q * q for q in y))
    return UNDEFINED if norms == 0 else dot / norms
