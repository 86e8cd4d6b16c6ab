"""Relative dates in glossary terms and golden queries: `DAYS_AGO(90)` and its kin.

A definition says "90 days before the reference date" as `DAYS_AGO(90)` (also `WEEKS_AGO`,
`MONTHS_AGO`, `YEARS_AGO`, and `REFERENCE_DATE()` for the date itself). The reference date
is the latest date in the data when the data stops before today (a snapshot, the demo), else
today, as for the offline translator. Each call is replaced in the syntax tree by a date
literal, `'2025-03-03'`, which every engine compares with its date columns.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlglot import exp

from data_assistant.schema.model import SchemaSnapshot

UNITS = {"DAYS_AGO": "days", "WEEKS_AGO": "weeks", "MONTHS_AGO": "months", "YEARS_AGO": "years"}
REFERENCE = "REFERENCE_DATE"
FUNCTIONS = frozenset({*UNITS, REFERENCE})


def reference_date(snapshot: SchemaSnapshot, today: date | None = None) -> date:
    """The date relative periods count back from."""
    today = today or date.today()
    if snapshot.latest_date:
        latest = date.fromisoformat(snapshot.latest_date)
        if latest < today:
            return latest
    return today


def relative_calls(tree: exp.Expr) -> list[exp.Anonymous]:
    """The relative-date calls in a tree."""
    return [node for node in tree.find_all(exp.Anonymous) if str(node.this).upper() in FUNCTIONS]


def check_relative_dates(tree: exp.Expr) -> None:
    """Raise ValueError unless every relative-date call has the right arguments."""
    for call in relative_calls(tree):
        name = str(call.this).upper()
        args = call.expressions
        if name == REFERENCE:
            if args:
                raise ValueError(f"{name}() takes no argument")
            continue
        if len(args) != 1 or not (isinstance(args[0], exp.Literal) and args[0].is_int):
            raise ValueError(f"{name} takes one whole number, such as {name}(90)")


def resolve_relative_dates(tree: exp.Expr, reference: date) -> exp.Expr:
    """A copy of `tree` with each relative-date call replaced by its date literal."""

    def replace(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Anonymous) and str(node.this).upper() in FUNCTIONS:
            name = str(node.this).upper()
            count = 0 if name == REFERENCE else int(node.expressions[0].name)
            return exp.Literal.string(back(reference, count, UNITS.get(name, "days")).isoformat())
        return node

    return tree.copy().transform(replace, copy=False)


def back(day: date, count: int, unit: str) -> date:
    """`count` days, weeks, months or years before `day` (month ends clamp: Mar 31 -> Feb 28)."""
    if unit == "days":
        return day - timedelta(days=count)
    if unit == "weeks":
        return day - timedelta(weeks=count)
    months = count * (12 if unit == "years" else 1)
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
