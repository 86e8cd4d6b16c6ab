"""Database values become JSON without losing what they mean."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import pytest

from data_assistant.serialize import json_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (42, 42),
        (2**63, 2**63),
        (1.5, 1.5),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (decimal.Decimal("12.30"), 12.3),
        (decimal.Decimal("100"), 100),
        (decimal.Decimal("NaN"), "NaN"),
        (decimal.Decimal("-Infinity"), "-Infinity"),
        (dt.date(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 12, 30, 5), "2024-03-01T12:30:05"),
        (dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC), "2024-03-01T12:00:00+00:00"),
        (dt.time(8, 15), "08:15:00"),
        (dt.timedelta(minutes=2), 120.0),
        (b"\x00\xff", "AP8="),
        (memoryview(b"ab"), "YWI="),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ([decimal.Decimal("1.5"), dt.date(2020, 1, 1)], [1.5, "2020-01-01"]),
        ({"a": float("nan")}, {"a": "NaN"}),
    ],
    ids=repr,
)
def test_values_become_json_safe(value, expected):
    result = json_value(value)
    assert result == expected
    json.dumps(result, allow_nan=False)
