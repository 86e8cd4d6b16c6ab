"""Date and time functions over ISO 8601 UTC strings ("YYYY-MM-DDThh:mm:ss.fffffffZ").

Times are handled as integer ticks (100 ns, as .NET counts them) since 0001-01-01, which
keeps the seven fractional digits Cosmos prints; Python's datetime stops at microseconds.
"Ticks" and "timestamps" in function names count from the Unix epoch.
"""

from __future__ import annotations

import calendar
import math
import re
import time
from datetime import date
from typing import Any

from ..values import UNDEFINED, is_finite, is_integer_value
from .registry import builtin

TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND
UNIX_EPOCH_TICKS = (date(1970, 1, 1).toordinal() - 1) * TICKS_PER_DAY
WINDOWS_EPOCH_TICKS = (date(1601, 1, 1).toordinal() - 1) * TICKS_PER_DAY
_MAX_TICKS = date(9999, 12, 31).toordinal() * TICKS_PER_DAY - 1

# A fixed pattern without nested or overlapping repetition: linear on any text, so the
# standard library's engine is safe here (query-supplied patterns go to RE2).
_ISO = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z?\s*", re.ASCII
)
# Part names accepted by DateTimeAdd/Part/Diff/Bin, mapped to one canonical name.
_PARTS = {
    **dict.fromkeys(("year", "yyyy", "yy"), "year"),
    **dict.fromkeys(("month", "mm", "m"), "month"),
    **dict.fromkeys(("day", "dd", "d"), "day"),
    **dict.fromkeys(("hour", "hh"), "hour"),
    **dict.fromkeys(("minute", "mi", "n"), "minute"),
    **dict.fromkeys(("second", "ss", "s"), "second"),
    **dict.fromkeys(("millisecond", "ms"), "millisecond"),
    **dict.fromkeys(("microsecond", "mcs"), "microsecond"),
    **dict.fromkeys(("nanosecond", "ns"), "nanosecond"),
}
# Length of each fixed-size part in nanoseconds (ticks are 100 ns).
_PART_NS = {
    "day": 86_400 * 10**9,
    "hour": 3_600 * 10**9,
    "minute": 60 * 10**9,
    "second": 10**9,
    "millisecond": 10**6,
    "microsecond": 10**3,
    "nanosecond": 1,
}


def parse_datetime(text: Any) -> int | None:
    """Ticks since 0001-01-01 for an ISO 8601 UTC string, or None if it is not one."""
    if type(text) is not str:
        return None
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    fraction = int((m.group(7) or "").ljust(7, "0"))
    return _from_parts(year, month, day, hour, minute, second, fraction)


def _from_parts(
    year: int, month: int, day: int, hour: int, minute: int, second: int, fraction: int
) -> int | None:
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        return None
    if not 0 <= fraction < TICKS_PER_SECOND:
        return None
    try:
        days = date(year, month, day).toordinal() - 1
    except (ValueError, OverflowError):  # OverflowError: a year past C's long
        return None
    return days * TICKS_PER_DAY + (hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND + fraction


def format_ticks(ticks: int) -> Any:
    """ISO 8601 text with seven fractional digits, or undefined outside years 1-9999."""
    if not 0 <= ticks <= _MAX_TICKS:
        return UNDEFINED
    days, rest = divmod(ticks, TICKS_PER_DAY)
    d = date.fromordinal(days + 1)
    seconds, fraction = divmod(rest, TICKS_PER_SECOND)
    hour, seconds = divmod(seconds, 3600)
    minute, second = divmod(seconds, 60)
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}T"
        f"{hour:02d}:{minute:02d}:{second:02d}.{fraction:07d}Z"
    )


def _part(name: Any) -> str | None:
    return _PARTS.get(name.lower()) if type(name) is str else None


def _int(value: Any) -> int | None:
    if type(value) in (int, float) and is_integer_value(value):
        return int(value)
    return None


def _year_month_day(ticks: int) -> tuple[int, int, int]:
    d = date.fromordinal(ticks // TICKS_PER_DAY + 1)
    return d.year, d.month, d.day


def _add_months(ticks: int, months: int) -> int | None:
    year, month, day = _year_month_day(ticks)
    new_year, new_month = divmod(year * 12 + (month - 1) + months, 12)
    new_month += 1
    if not 1 <= new_year <= 9999:
        return None
    # Clamp the day like .NET AddMonths: Jan 31 + 1 month is the last day of February.
    last = calendar.monthrange(new_year, new_month)[1]
    start = date(new_year, new_month, min(day, last)).toordinal() - 1
    return start * TICKS_PER_DAY + ticks % TICKS_PER_DAY


@builtin("DATETIMEADD", 3)
def datetime_add(part: Any, amount: Any, when: Any) -> Any:
    """`when` plus `amount` units of `part`."""
    unit, n, ticks = _part(part), _int(amount), parse_datetime(when)
    if unit is None or n is None or ticks is None:
        return UNDEFINED
    if unit == "year":
        result = _add_months(ticks, 12 * n)
    elif unit == "month":
        result = _add_months(ticks, n)
    else:
        delta_ns = _PART_NS[unit] * n
        result = ticks + int(delta_ns / 100) if unit == "nanosecond" else ticks + delta_ns // 100
    return UNDEFINED if result is None else format_ticks(result)


@builtin("DATETIMEPART", 2)
def datetime_part(part: Any, when: Any) -> Any:
    """One component of a date and time as an integer."""
    unit, ticks = _part(part), parse_datetime(when)
    if unit is None or ticks is None:
        return UNDEFINED
    year, month, day = _year_month_day(ticks)
    in_day = ticks % TICKS_PER_DAY
    in_second = in_day % TICKS_PER_SECOND
    values = {
        "year": year,
        "month": month,
        "day": day,
        "hour": in_day // (3600 * TICKS_PER_SECOND),
        "minute": in_day // (60 * TICKS_PER_SECOND) % 60,
        "second": in_day // TICKS_PER_SECOND % 60,
        "millisecond": in_second // 10_000,
        "microsecond": in_second // 10,
        "nanosecond": in_second * 100,
    }
    return values[unit]


@builtin("DATETIMEDIFF", 3)
def datetime_diff(part: Any, start: Any, end: Any) -> Any:
    """Number of `part` boundaries crossed from `start` to `end` (negative if end is earlier)."""
    unit, t1, t2 = _part(part), parse_datetime(start), parse_datetime(end)
    if unit is None or t1 is None or t2 is None:
        return UNDEFINED
    if unit in ("year", "month"):
        y1, m1, _ = _year_month_day(t1)
        y2, m2, _ = _year_month_day(t2)
        return y2 - y1 if unit == "year" else (y2 * 12 + m2) - (y1 * 12 + m1)
    if unit == "nanosecond":
        return (t2 - t1) * 100
    size = _PART_NS[unit] // 100
    return t2 // size - t1 // size


@builtin("DATETIMEFROMPARTS", 3, 7)
def datetime_from_parts(*parts: Any) -> Any:
    """Build a date and time from year, month, day [, hour, minute, second, 100ns ticks]."""
    numbers = [_int(p) for p in parts]
    if any(n is None for n in numbers):
        return UNDEFINED
    full = [*numbers, 0, 0, 0, 0][:7]
    ticks = _from_parts(*full)  # type: ignore[arg-type]
    return UNDEFINED if ticks is None else format_ticks(ticks)


@builtin("DATETIMEBIN", 2, 4)
def datetime_bin(when: Any, part: Any, size: Any = 1, origin: Any = None) -> Any:
    """`when` rounded down to a multiple of `size` parts counted from `origin`."""
    unit, ticks, n = _part(part), parse_datetime(when), _int(size)
    start = UNIX_EPOCH_TICKS if origin is None else parse_datetime(origin)
    if unit is None or unit in ("year", "month") or ticks is None or n is None or n <= 0:
        return UNDEFINED
    if start is None or start < WINDOWS_EPOCH_TICKS:
        return UNDEFINED
    width = _PART_NS[unit] * n
    offset_ns = (ticks - start) * 100
    binned_ns = start * 100 + (offset_ns // width) * width
    return format_ticks(binned_ns // 100)


@builtin("DATETIMETOTICKS", 1)
def datetime_to_ticks(when: Any) -> Any:
    """100-ns ticks since the Unix epoch."""
    ticks = parse_datetime(when)
    return UNDEFINED if ticks is None else ticks - UNIX_EPOCH_TICKS


@builtin("DATETIMETOTIMESTAMP", 1)
def datetime_to_timestamp(when: Any) -> Any:
    """Milliseconds since the Unix epoch."""
    ticks = parse_datetime(when)
    return UNDEFINED if ticks is None else (ticks - UNIX_EPOCH_TICKS) // 10_000


@builtin("TICKSTODATETIME", 1)
def ticks_to_datetime(ticks: Any) -> Any:
    """Date and time of a count of 100-ns ticks since the Unix epoch."""
    if type(ticks) not in (int, float) or not is_finite(ticks):
        return UNDEFINED
    return format_ticks(UNIX_EPOCH_TICKS + int(ticks))


@builtin("TIMESTAMPTODATETIME", 1)
def timestamp_to_datetime(ms: Any) -> Any:
    """Date and time of a count of milliseconds since the Unix epoch."""
    if type(ms) not in (int, float) or (type(ms) is float and not math.isfinite(ms * 10_000)):
        return UNDEFINED
    return format_ticks(UNIX_EPOCH_TICKS + int(ms * 10_000))


def _now_ticks() -> int:
    return UNIX_EPOCH_TICKS + time.time_ns() // 100


@builtin("GETCURRENTDATETIME", 0, pure=False)
def get_current_datetime() -> Any:
    """The current UTC date and time."""
    return format_ticks(_now_ticks())


@builtin("GETCURRENTTIMESTAMP", 0, pure=False)
def get_current_timestamp() -> int:
    """Milliseconds since the Unix epoch, now."""
    return (_now_ticks() - UNIX_EPOCH_TICKS) // 10_000


@builtin("GETCURRENTTICKS", 0, pure=False)
def get_current_ticks() -> int:
    """100-ns ticks since the Unix epoch, now."""
    return _now_ticks() - UNIX_EPOCH_TICKS


builtin("GETCURRENTDATETIMESTATIC", 0, pure=False, static=True)(get_current_datetime)
builtin("GETCURRENTTIMESTAMPSTATIC", 0, pure=False, static=True)(get_current_timestamp)
builtin("GETCURRENTTICKSSTATIC", 0, pure=False, static=True)(get_current_ticks)
