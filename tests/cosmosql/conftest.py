"""Shared helpers for the Cosmos query engine tests: fixture data and result comparison."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict[str, Any]]:
    """A fixture dataset from tests/cosmosql/data (a fresh copy each time)."""
    if name == "empty":
        return []
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def same(actual: Any, expected: Any) -> bool:
    """JSON equality where bool is never a number and floats compare approximately."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return type(actual) is type(expected) and actual == expected


def same_unordered(actual: list[Any], expected: list[Any]) -> bool:
    """Multiset comparison of two result lists."""
    remaining = list(actual)
    for item in expected:
        for i, candidate in enumerate(remaining):
            if same(candidate, item):
                del remaining[i]
                break
        else:
            return False
    return not remaining


@pytest.fixture
def check_result():
    """Assert a result list equals the expected one (in order, or as a multiset)."""

    def check(actual: list[Any], expected: list[Any], ordered: bool = True) -> None:
        ok = same(actual, expected) if ordered else same_unordered(actual, expected)
        assert ok, f"\n  got      {actual!r}\n  expected {expected!r}"

    return check


@pytest.fixture
def dataset():
    """Load a fixture dataset by name ("products", "households", "mixed", "empty")."""
    return load
