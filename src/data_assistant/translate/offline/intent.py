"""The parsed intent of a question, independent of any query language.

The reader fills an `Intent`; a builder (SQL today, Cosmos later) turns it into a query.
Tables are named by their qualified name in the schema snapshot, columns by their own name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ColumnRef:
    """A column of a table in the snapshot."""

    table: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class Measure:
    """An aggregate: `func` over the product of `terms` (empty terms: count rows of `table`)."""

    func: str  # count, sum, avg, min, max
    table: str
    terms: tuple[ColumnRef, ...] = ()
    distinct: bool = False
    label: str = "value"
    discount: ColumnRef | None = None  # a fraction: the product is taken times (1 - it)

    def describe(self) -> str:
        """`sum of order_items.quantity * order_items.unit_price`, `count of orders`."""
        if not self.terms:
            return f"count of {self.table}"
        expr = " * ".join(str(t) for t in self.terms)
        if self.discount is not None:
            expr += f" * (1 - {self.discount})"
        word = {"avg": "average", "min": "minimum", "max": "maximum"}.get(self.func, self.func)
        if self.distinct:
            return f"{word} of distinct {expr}"
        return f"{word} of {expr}"


@dataclass(frozen=True)
class DateRange:
    """A half-open range [start, end) of dates; either end may be open."""

    start: date | None
    end: date | None
    text: str
    relative: bool = False


@dataclass(frozen=True)
class Filter:
    """A condition on one column.

    op: eq, ne, in, not_in, gt, ge, lt, le, between, null, not_null, range (a DateRange),
    starts, ends, contains (letters in any case), above_avg, below_avg (the column's
    average over all rows of its table), is_max, is_min (its highest or lowest value there).
    """

    column: ColumnRef
    op: str
    values: tuple[object, ...] = ()
    date_range: DateRange | None = None
    # How the question joined several values: "and", "or", or "all" (`both X and Y`).
    joined: str = ""


@dataclass(frozen=True)
class Related:
    """A condition on the rows of another table linked to the subject.

    kind "none": the subject has no linked rows (anti-join); kind "having": an aggregate over
    the linked rows compares with a number (`customers with more than 5 orders`).
    """

    kind: str  # none, having
    table: str
    measure: Measure | None = None
    op: str | None = None
    value: float | int | None = None
    filters: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class SelfLink:
    """Rows linked to other rows of the same table: `outer` IN (SELECT `inner` FROM the table
    WHERE `filters`). Down (`employees who report to X`): outer is the manager column, inner
    the key; up (`X's manager`): outer the key, inner the manager column."""

    outer: ColumnRef
    inner: ColumnRef
    filters: tuple[Filter, ...]


@dataclass(frozen=True)
class GroupKey:
    """Group by a column, by a date bucket of a column (grain), or by an entity table."""

    column: ColumnRef | None = None
    grain: str | None = None  # year, month, day
    entity: str | None = None  # a table: grouped by its key, shown by its label columns
    shown: tuple[str, ...] = ()  # an entity's columns to show instead of its label


@dataclass(frozen=True)
class Order:
    """Sort by the measure (`column` None) or by a column."""

    desc: bool
    column: ColumnRef | None = None


@dataclass
class Intent:
    """What the question asks, resolved against the schema."""

    kind: str  # rows, aggregate, distinct
    subject: str  # the table listed, counted, or holding the measure
    measure: Measure | None = None
    select: tuple[ColumnRef, ...] = ()
    group_by: tuple[GroupKey, ...] = ()
    filters: tuple[Filter, ...] = ()
    related: tuple[Related, ...] = ()
    order: Order | None = None
    limit: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # `which country has the most cities`, `top 5 customers by revenue`: the measure ranks the
    # groups and only they are shown; `..., with their revenue` shows it beside them.
    rank_only: bool = False
    # `the average, minimum and maximum age`: more aggregates shown after `measure`.
    extra: tuple[Measure, ...] = ()
    # `all details of ...`: a list of rows shows every column, not the columns naming them.
    wide: bool = False
    # `employees who report to Franklin Wong`, `Bruce Ernst's manager`.
    self_link: SelfLink | None = None
    # `majors with more than 5 students`: the groups whose measure compares so (op, number).
    having: tuple[str, float | int] | None = None
