"""Answers as CSV for spreadsheets and scripts: a header row, then one line per row.

Rules (the web page's `csv.js` writes the same text, and a test compares the two):
- RFC 4180 as Python's `csv` module writes it: comma, `"` quoting when needed, CRLF lines,
  UTF-8 without a byte-order mark.
- Documents are flattened to their top-level fields (the columns in order of first
  appearance); results that are not all objects go, whole, in one column called `value`.
- null is an empty cell, booleans `true`/`false`, numbers as numbers, objects and arrays
  as JSON text.
- A text cell (or column name) starting with `=`, `+`, `-`, `@`, tab or carriage return gets
  a leading `'`, so a spreadsheet shows it as text instead of running it as a formula
  (OWASP's advice on CSV injection). Numbers are never changed, so `-5` stays a number.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from data_assistant.answers import Answer

MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text of a header row and the rows (values as the JSON answer holds them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(str(c)) for c in columns])
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def answer_csv(answer: Answer) -> str:
    """CSV text of an answer's rows or documents (as the result's `table()` lays them out)."""
    return to_csv(*answer.result.table())


def cell(value: Any) -> str:
    """One value as CSV cell text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return safe_text(str(value))


def safe_text(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def wants_csv(accept: str | None) -> bool:
    """Whether an Accept header names text/csv and prefers it to JSON (JSON wins ties)."""
    if not accept:
        return False
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    named = [q for media, q in ranges if media == "text/csv"]
    if not named or max(named) <= 0:
        return False
    return max(named) > _quality("application/json", ranges) or not _json_named(ranges)


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching `media` (0 when none does)."""
    kind = media.split("/")[0] + "/*"
    for candidate in (media, kind, "*/*"):
        found = [q for m, q in ranges if m == candidate]
        if found:
            return max(found)
    return 0.0


def _json_named(ranges: list[tuple[str, float]]) -> bool:
    return any(m in ("application/json", "application/*") and q > 0 for m, q in ranges)


def attachment_name(source: str) -> str:
    """A safe file name for the Content-Disposition of a source's CSV."""
    return (re.sub(r"[^A-Za-z0-9_.-]+", "_", source).strip("._") or "answer") + ".csv"
