"""Resolution: which table or column a term means, chosen by strength and join distance.

Ties are not broken by guessing: two equally good readings raise `Refusal`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from data_assistant.errors import Refusal
from data_assistant.translate.offline.intent import ColumnRef
from data_assistant.translate.offline.lexicon import (
    AMOUNT_WORDS,
    HEIGHT_WORDS,
    LENGTH_WORDS,
    MONEY_WORDS,
    PRICE_WORDS,
    QUANTITY_WORDS,
    WEIGHT_WORDS,
)
from data_assistant.translate.offline.schema_index import Candidate, SchemaIndex
from data_assistant.translate.offline.tagger import Item
from data_assistant.translate.offline.values import ValueHit

_T = TypeVar("_T")

_FAR = 99


def refuse(what: str) -> Refusal:
    """The one refusal sentence: what was not understood, and what to configure."""
    return Refusal(f"I could not {what}; configure an LLM translator for questions like this.")


class Resolver:
    """Chooses among candidates, closest to the tables the question already names."""

    def __init__(self, index: SchemaIndex) -> None:
        self.index = index
        self.anchors: set[str] = set()

    def distance(self, table: str) -> int:
        """Sum of join distances from `table` to every anchor (0 without anchors)."""
        total = 0
        for anchor in self.anchors:
            d = self.index.distance(table, anchor)
            total += _FAR if d is None else d
        return total

    def _pick(
        self, options: Sequence[tuple[tuple[Any, ...], _T]], what: str, name: Callable[[_T], str]
    ) -> _T:
        ranked = sorted(options, key=lambda o: o[0])
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            first, second = name(ranked[0][1]), name(ranked[1][1])
            raise refuse(f"tell whether '{what}' means {first} or {second}")
        return ranked[0][1]

    def table(self, item: Item) -> str:
        """The table a schema item names."""
        cands = [c for c in item.cands if c.kind == "table"]
        if not cands:
            raise refuse(f"find a table for '{item.text}'")
        return self._choose(cands, item.text).table

    def column(self, item: Item, kinds: set[str] | None = None) -> ColumnRef:
        """The column a schema item names, optionally of given kinds (number, date...)."""
        cands = [c for c in item.cands if c.kind == "column" and c.column is not None]
        if kinds is not None:
            cands = [
                c
                for c in cands
                if self.index.column(ColumnRef(c.table, c.column or "")).kind in kinds
            ]
        if not cands:
            wanted = " or ".join(sorted(kinds)) if kinds else "a"
            raise refuse(f"find {wanted} column for '{item.text}'")
        chosen = self._choose(cands, item.text)
        assert chosen.column is not None
        return ColumnRef(chosen.table, chosen.column)

    def _choose(self, cands: list[Candidate], text: str) -> Candidate:
        options = [
            ((-c.strength, self.distance(c.table), self.index.tables[c.table].is_view), c)
            for c in cands
        ]
        return self._pick(options, text, lambda c: f"{c.table}.{c.column}" if c.column else c.table)

    def value(
        self,
        items: list[Item],
        hint: list[ColumnRef] | None,
        prefer: AbstractSet[str] = frozenset(),
    ) -> tuple[ColumnRef, tuple[str, ...]]:
        """The column holding all these values, and the literal values to compare with.

        `prefer`: words of a modifier (`shipped` to France) that the column's name may share.
        """
        per_column: dict[ColumnRef, list[ValueHit]] = {}
        for item in items:
            for hit in item.hits:
                if hint is None or hit.column in hint:
                    per_column.setdefault(hit.column, []).append(hit)
        full = {ref: hits for ref, hits in per_column.items() if len(hits) >= len(items)}
        if items[0].lead in {"have", "has", "had", "with"} and len(full) > 1:
            # `attractions that have parking`: what they have, never what they are named.
            named = {
                r
                for r in full
                if r.table in self.anchors and r.column in self.index.tables[r.table].label
            }
            if named and len(named) < len(full):
                full = {r: h for r, h in full.items() if r not in named}
        if not full:
            words = " and ".join(f"'{i.text}'" for i in items)
            raise refuse(f"find one column holding {words}")
        options = [
            (
                (
                    0 if prefer & set(self.index.column(ref).words) else 1,
                    self.distance(ref.table),
                    0 if all(h.sampled for h in hits) else 1,
                    self.index.tables[ref.table].is_view,
                ),
                ref,
            )
            for ref, hits in full.items()
        ]
        ref = self._pick(options, items[0].text, str)
        literals = tuple(dict.fromkeys(v for h in full[ref] for v in h.values))
        return ref, literals

    def revenue(self) -> tuple[str, tuple[ColumnRef, ...], ColumnRef | None]:
        """Revenue: an amount column, or quantity x price (x (1 - discount)); the closest."""
        Revenue = tuple[str, tuple[ColumnRef, ...], ColumnRef | None]
        options: list[tuple[tuple[Any, ...], Revenue]] = []
        tables = [t for t in self.index.tables.values() if not t.is_view]
        for info in tables or self.index.tables.values():
            nums = [c for c in info.columns.values() if c.kind == "number"]
            amounts = [
                c for c in nums if AMOUNT_WORDS & set(c.words) and not PRICE_WORDS & set(c.words)
            ]
            qty = [c for c in nums if QUANTITY_WORDS & set(c.words)]
            price = [c for c in nums if PRICE_WORDS & set(c.words)]
            discount = [c for c in nums if "discount" in c.words]
            if len(amounts) == 1:
                options.append(((self.distance(info.key), 0), (info.key, (amounts[0].ref,), None)))
            if len(qty) == 1 and len(price) == 1 and len(discount) <= 1:
                terms = (qty[0].ref, price[0].ref)
                off = discount[0].ref if discount else None
                options.append(((self.distance(info.key), 1), (info.key, terms, off)))
        if not options:
            raise refuse("find an amount, or a quantity and a price, to compute revenue from")
        return self._pick(options, "revenue", lambda o: " * ".join(str(t) for t in o[1]))

    def sold(self) -> tuple[str, tuple[ColumnRef, ...]]:
        """Units sold: the quantity column closest to the question's tables."""
        options: list[tuple[tuple[Any, ...], tuple[str, tuple[ColumnRef, ...]]]] = []
        for col in self.index.columns("number"):
            if QUANTITY_WORDS & set(col.words) and not self.index.tables[col.ref.table].is_view:
                options.append(((self.distance(col.ref.table),), (col.ref.table, (col.ref,))))
        if not options:
            raise refuse("find a quantity column to count units sold")
        return self._pick(options, "sold", lambda o: str(o[1][0]))

    def role_column(self, table: str, role: str) -> ColumnRef:
        """The column a superlative implies on a table: price, date, length, weight or height."""
        info = self.index.tables[table]
        if role == "age":
            return self._age_column(table)
        if role == "date":
            if info.default_date is not None:
                return ColumnRef(table, info.default_date)
            own = self.dates_of(table)
            if info.dates or not own:
                raise refuse(f"tell which date of {table} to use")
            return ColumnRef(table, own[0])  # `the oldest campus`: dated by a year number
        words = {
            "price": PRICE_WORDS,
            "length": LENGTH_WORDS,
            "money": MONEY_WORDS,
            "weight": WEIGHT_WORDS,
            "height": HEIGHT_WORDS,
        }[role]
        found = [
            c.ref for c in info.columns.values() if c.kind == "number" and words & set(c.words)
        ]
        if len(found) > 1:
            # `the longest film`: its `length`, not its `rental_duration` (a word named for
            # something else first)
            bare = [r for r in found if len(self.index.column(r).words) == 1]
            found = bare if len(bare) == 1 else found
        if len(found) != 1:
            raise refuse(f"tell which {role} column of {table} to use")
        return found[0]

    def _age_column(self, table: str) -> ColumnRef:
        """`the oldest students`: an age or a birth date; for rows that are not people, their
        own date (`the oldest orders`)."""
        info = self.index.tables[table]
        ages = [c.ref for c in info.columns.values() if c.kind == "number" and "age" in c.words]
        births = [
            c.ref
            for c in info.columns.values()
            if c.kind == "date" and {"birth", "born"} & set(c.words)
        ]
        if len(ages) + len(births) == 1:
            return (ages + births)[0]
        if (
            ages
            or births
            or {"first", "last"} & {w for c in info.label for w in c.lower().split("_")}
        ):
            raise refuse(f"tell which column gives the age of {table}")
        return self.role_column(table, "date")

    def counts_up(self, col: ColumnRef, role: str) -> bool:
        """Whether `oldest` means the highest value of the column (an age, not a date)."""
        info = self.index.column(col)
        # a year the rows began in is a date: the oldest has the lowest
        return role == "age" and info.kind == "number" and col != self.year_column(col.table)

    def dates_of(self, table: str) -> tuple[str, ...]:
        """A table's dates, or the year number it is dated by when it has none."""
        dates = self.index.tables[table].dates
        year = None if dates else self.year_column(table)
        return (year.column,) if year is not None else dates

    def year_column(self, table: str) -> ColumnRef | None:
        """A table dated by the year alone: its one number column named a year (`Open_Year`,
        or `Year_Opened` / `Year_Join`: the year of what happened)."""
        years = [
            c.ref
            for c in self.index.tables[table].columns.values()
            if c.kind == "number"
            and (
                c.words[-1:] == ("year",)
                or (len(c.words) == 2 and c.words[0] == "year" and _happened(c.words[1]))
            )
        ]
        return years[0] if len(years) == 1 else None

    def date_column(self, table: str) -> ColumnRef:
        """The date a table's rows are dated by: its own, or its dated parent's (line -> order)."""
        info = self.index.tables[table]
        if info.default_date is not None:
            return ColumnRef(table, info.default_date)
        if info.dates:
            raise refuse(f"tell which date of {table} to use ({', '.join(info.dates)})")
        parents = []
        for edge in self.index.graph.adjacent.get(table, ()):
            parent = self.index.tables[edge.dst]
            if edge.to_parent and parent.default_date is not None:
                named_after = info.words[: len(parent.words)] == parent.words
                parents.append((not named_after, parent.key))
        parents.sort()
        if not parents and (year := self.year_column(table)) is not None:
            return year  # `festivals held in 2007`: the year of each, a number
        if not parents or (len(parents) > 1 and parents[0][0] == parents[1][0]):
            raise refuse(f"tell which date to use for {table}")
        key = parents[0][1]
        default = self.index.tables[key].default_date
        assert default is not None
        return ColumnRef(key, default)


def _happened(word: str) -> bool:
    """Whether a word says what happened in a year (`opened`, `join`), not how many years."""
    return word.endswith("ed") or word in {"join", "open", "start", "found", "build", "launch"}
