"""Turn database values into JSON-safe ones without losing what they mean."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import uuid
from typing import Any


def json_value(value: Any) -> Any:
    """A JSON-safe form of one database value.

    Decimals become numbers (integers when whole), dates and times ISO 8601 strings,
    bytes base64, UUIDs strings, and NaN / ±Infinity the strings "NaN", "Infinity",
    "-Infinity" (JSON has no literals for them).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _non_finite(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return "NaN" if value.is_nan() else _non_finite(float(value))
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def _non_finite(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def json_size(value: Any) -> int:
    """About how many bytes `value` (already JSON-safe) takes in a JSON answer; cheap, and
    never less than the text it holds."""
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, (int, float)):
        return 24
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 4 + json_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(json_size(v) + 1 for v in value)
    return len(str(value)) + 2
