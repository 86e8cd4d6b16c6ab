"""Slots: what a question's shape says, still in terms of tagged items; and the walk over them."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_assistant.errors import Refusal
from data_assistant.translate.offline.tagger import Item, names_table


@dataclass
class ValueFilter:
    """Equality with one or more values, possibly negated; `column` is a hint item."""

    items: list[Item]
    column: Item | None = None
    negated: bool = False
    label_of: Item | None = None  # a table item: compare with that table's label
    owner_of: Item | None = None  # a column item: `Raj Adams's email` names its row
    location: bool = False  # `in Berlin`: a city
    modifier: set[str] = field(default_factory=set)  # words a column name may share
    joined: str = ""  # `and` or `or` between several values


@dataclass
class Comparison:
    """`column op number`; column None means 'the money column of the subject'."""

    column: Item | None
    op: str
    number: float | int
    upper: float | int | None = None
    money: bool = False
    said: str = ""  # the number as written: `1000 billion`


@dataclass
class Having:
    """`with more than 5 orders`: an aggregate over linked rows compared with a number."""

    target: Item  # a table item (count) or a concept/column item (sum)
    op: str
    number: float | int


@dataclass
class Slots:
    """What the question's shape says, still in terms of tagged items."""

    agg: str | None = None
    agg_word: str = ""  # the aggregate's words: `total amount of` says how much
    # `the number of visits and the average fee`: more aggregates, each of its own target
    more: list[tuple[str, Item]] = field(default_factory=list)
    measure: Item | None = None
    aggs: list[str] = field(default_factory=list)  # `the average, min and max age`
    value_asked: bool = False  # the ranked value asked for again: `with the counts`
    distinct: bool = False
    wide: bool = False  # `all details of ...`: every column, not the names
    groups: list[Item] = field(default_factory=list)
    top_limit: int | None = None
    top_desc: bool | None = None
    sup: Item | None = None
    sup_key: Item | None = None
    order_key: Item | None = None
    order_desc: bool | None = None
    order_word: str = ""  # the direction's words: `earliest first`, `alphabetically`
    who: bool = False  # the question asks `who`: for rows (people), not a value
    when: bool = False  # the question asks `when`: for a date
    which: bool = False  # the question asks `which`: which rows, by what identifies them
    every: frozenset[str] = frozenset()  # words said after `every` / `each` (`every station`)
    order_role: str = ""  # what a direction implies sorting by: `cheapest first` -> price
    values: list[ValueFilter] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    havings: list[Having] = field(default_factory=list)
    dates: list[tuple[Item, Item | None]] = field(default_factory=list)
    nulls: list[tuple[Item, bool]] = field(default_factory=list)
    flags: list[tuple[Item, bool]] = field(default_factory=list)
    lacking: list[Item] = field(default_factory=list)  # flags negated by `no`/`without`
    absent: list[Item] = field(default_factory=list)
    # `not assigned to any project`: (the absent link table, what it links to)
    absent_objects: list[tuple[Item, Item]] = field(default_factory=list)
    keyed: list[tuple[Item, list[float | int]]] = field(default_factory=list)  # `order 5`
    free: list[Item] = field(default_factory=list)
    tables: list[Item] = field(default_factory=list)  # every item naming a table, in order
    grain_of: dict[int, Item] = field(default_factory=dict)  # `launched per year`
    # `invoices issued in 2010`: date items after a verb the schema does not name -> the verb
    verb_dates: dict[int, str] = field(default_factory=dict)
    # `name starts with Mc`: (column item, starts/ends/contains, the letters)
    patterns: list[tuple[Item, str, str]] = field(default_factory=list)
    # `reports to Franklin Wong` (down) / `Bruce Ernst's manager` (up): the name's items.
    self_link: tuple[str, list[Item]] | None = None


def refuse_shape(what: str) -> Refusal:
    return Refusal(f"I could not {what}; configure an LLM translator for questions like this.")


class Walk:
    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.used: set[int] = set()
        self.slots = Slots()

    def at(self, pos: int) -> Item | None:
        return self.items[pos] if 0 <= pos < len(self.items) else None

    def take(self, *positions: int) -> None:
        self.used.update(positions)

    def is_measure_like(self, item: Item | None) -> bool:
        if item is None:
            return False
        return item.kind == "schema" or item.mkind == "concept"


def adjective(item: Item) -> bool:
    """A yes/no column used as an adjective: `discontinued` products."""
    cols = [c for c in item.cands if c.kind == "column"]
    return item.kind == "schema" and bool(cols) and all(c.ckind == "bool" for c in cols)


def nearest_table(w: Walk, pos: int) -> Item | None:
    for j in range(pos - 1, -1, -1):
        if names_table(w.items[j]):
            return w.items[j]
    return None
