"""Date expressions in questions: `in 2024`, `in March 2025`, `since 2024-01-01`, `last 30 days`.

`parse_date_phrase(words, i, today)` reads a phrase starting at word `i` and returns how many
words it used and the `DateRange` it means (half-open: start <= d < end).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from data_assistant.errors import Refusal
from data_assistant.translate.offline.intent import DateRange

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 0, "months": 0, "year": 0}
_UNITS["years"] = 0
_QUARTERS = {"q1": 1, "q2": 2, "q3": 3, "q4": 4}
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

Word = tuple[str, object]  # (lower-cased text or kind marker, numeric value or None)


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year(word: Word) -> int | None:
    text, value = word
    if text == "#num" and isinstance(value, int) and 1900 <= value <= 2100:
        return value
    return None


def _day_of_month(word: Word) -> int | None:
    text, value = word
    if text == "#num" and isinstance(value, int) and 1 <= value <= 31:
        return value
    if text[:-2].isdigit() and text[-2:] in {"st", "nd", "rd", "th"}:
        return int(text[:-2])
    return None


def _point(words: list[Word], i: int) -> tuple[int, date, date, str] | None:
    """A date, month, quarter or year at `i`: (words used, start, end, text)."""
    if i >= len(words):
        return None
    text, value = words[i]
    if text == "#date" and isinstance(value, date):
        return 1, value, value + timedelta(days=1), value.isoformat()
    if (year := _year(words[i])) is not None:
        if year % 10 == 0 and words[i + 1 : i + 2] == [("s", None)]:
            return 2, date(year, 1, 1), date(year + 10, 1, 1), f"the {year}s"  # a decade
        return 1, date(year, 1, 1), date(year + 1, 1, 1), str(year)
    if text in _QUARTERS and i + 1 < len(words) and (year := _year(words[i + 1])):
        return 2, *_quarter(year, _QUARTERS[text]), f"{text.upper()} {year}"
    if text in _ORDINAL_QUARTERS and words[i + 1 : i + 3] and words[i + 1][0] == "quarter":
        j = i + 2 + (words[i + 2 : i + 3] == [("of", None)])
        if j < len(words) and (year := _year(words[j])):
            q = _ORDINAL_QUARTERS[text]
            return j + 1 - i, *_quarter(year, q), f"Q{q} {year}"
    if text in MONTHS:
        return _month_point(words, i, MONTHS[text])
    if (day := _day_of_month(words[i])) and i + 1 < len(words) and words[i + 1][0] in MONTHS:
        month = MONTHS[words[i + 1][0]]
        j = i + 2 + (words[i + 2 : i + 3] == [("of", None)])
        if j < len(words) and (year := _year(words[j])):
            return _day(year, month, day, j + 1 - i)
    return None


def _month_point(words: list[Word], i: int, month: int) -> tuple[int, date, date, str]:
    j = i + 1 + (words[i + 1 : i + 2] == [("of", None)])
    if j < len(words) and (year := _year(words[j])):
        start = date(year, month, 1)
        return j + 1 - i, start, _add_months(start, 1), f"{calendar.month_name[month]} {year}"
    if j < len(words) and (day := _day_of_month(words[j])):
        k = j + 1
        if k < len(words) and (year := _year(words[k])):
            return _day(year, month, day, k + 1 - i)
    raise Refusal(
        f"I could not tell which year '{calendar.month_name[month]}' means; "
        "say the year, or configure an LLM translator for questions like this."
    )


def _day(year: int, month: int, day: int, used: int) -> tuple[int, date, date, str]:
    try:
        start = date(year, month, day)
    except ValueError as exc:
        raise Refusal(f"'{year}-{month}-{day}' is not a date I can read.") from exc
    return used, start, start + timedelta(days=1), start.isoformat()


def _quarter(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, _add_months(start, 3)


def _relative(words: list[Word], i: int, today: date) -> tuple[int, DateRange] | None:
    text = words[i][0]
    nxt = words[i + 1][0] if i + 1 < len(words) else ""
    tomorrow = today + timedelta(days=1)
    if text == "today":
        return 1, DateRange(today, tomorrow, "today", True)
    if text == "yesterday":
        return 1, DateRange(today - timedelta(days=1), today, "yesterday", True)
    if text in {"ytd"} or (
        (text, nxt) == ("year", "to") and words[i + 2 : i + 3] == [("date", None)]
    ):
        used = 1 if text == "ytd" else 3
        return used, DateRange(date(today.year, 1, 1), tomorrow, "this year to date", True)
    if text == "this" and nxt in {"year", "month", "quarter", "week"}:
        start = _period_start(today, nxt)
        return 2, DateRange(start, _period_end(start, nxt), f"this {nxt}", True)
    if text in {"last", "past", "previous", "prior"}:
        if nxt in {"year", "month", "quarter"}:
            start = _period_start(today, nxt)
            back = {"year": -12, "quarter": -3, "month": -1}[nxt]
            start = _add_months(start, back)
            return 2, DateRange(start, _period_end(start, nxt), f"last {nxt}", True)
        count, j = 1, i + 1
        given = words[j][1] if j < len(words) and words[j][0] == "#num" else None
        if isinstance(given, int):
            count, j = given, j + 1
            nxt = words[j][0] if j < len(words) else ""
        if nxt in _UNITS or nxt == "week":
            return j + 1 - i, _last(today, count, nxt)
    return None


def _period_start(day: date, unit: str) -> date:
    if unit == "year":
        return date(day.year, 1, 1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return date(day.year, day.month, 1)


def _period_end(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    return _add_months(start, {"year": 12, "quarter": 3, "month": 1}[unit])


def _last(today: date, count: int, unit: str) -> DateRange:
    tomorrow = today + timedelta(days=1)
    if unit.startswith("month"):
        start = _add_months(today, -count)
    elif unit.startswith("year"):
        start = _add_months(today, -12 * count)
    else:
        start = today - timedelta(days=count * _UNITS.get(unit, 7))
    return DateRange(start, tomorrow, f"the last {count} {unit}", True)


_SINCE = {"since", "after", "starting", "beginning"}
_BEFORE = {"before", "until", "till", "through", "thru", "prior"}
_IN = {"in", "during", "for", "of", "on", "within", "throughout", "from"}


def parse_date_phrase(words: list[Word], i: int, today: date) -> tuple[int, DateRange] | None:
    """Read a date phrase at `i`; returns (words used, range) or None."""
    text = words[i][0]
    if (rel := _relative(words, i, today)) is not None:
        return rel
    if text in {"between", "from"}:
        first = _point(words, i + 1)
        if first is not None:
            j = i + 1 + first[0]
            if j < len(words) and words[j][0] in {"and", "to", "through", "until", "till", "-"}:
                second = _point(words, j + 1)
                if second is not None:
                    label = f"{first[3]} to {second[3]}"
                    return j + 1 + second[0] - i, DateRange(first[1], second[2], label)
    if text in _IN and i + 1 < len(words):
        skip = 2 if words[i + 1][0] == "the" else 1
        if i + skip >= len(words):
            return None
        inner = parse_date_phrase(words, i + skip, today)
        if inner is not None:
            return inner[0] + skip, inner[1]
        return None
    if text in _SINCE:
        after = words[i + 1][0] == "of" if i + 1 < len(words) else False
        point = _point(words, i + 1 + after)
        if point is not None:
            start = point[2] if text == "after" else point[1]
            label = f"{'after' if text == 'after' else 'since'} {point[3]}"
            return 1 + after + point[0], DateRange(start, None, label)
    if text in _BEFORE:
        skip = 2 if text == "prior" and words[i + 1 : i + 2] == [("to", None)] else 1
        point = _point(words, i + skip)
        if point is not None:
            end = point[1] if text in {"before", "prior"} else point[2]
            label = f"{'before' if text in {'before', 'prior'} else 'up to'} {point[3]}"
            return skip + point[0], DateRange(None, end, label)
    point = _point(words, i)
    if point is not None:
        return point[0], DateRange(point[1], point[2], point[3])
    return None
