"""The reader: a question's shape, resolved against the schema, becomes an `Intent`."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from data_assistant.errors import Refusal
from data_assistant.translate.offline.conditions import Conditions
from data_assistant.translate.offline.intent import (
    ColumnRef,
    Filter,
    GroupKey,
    Intent,
    Measure,
    Order,
)
from data_assistant.translate.offline.lexicon import AMOUNT_WORDS, QUANTITY_WORDS
from data_assistant.translate.offline.resolve import Resolver, refuse
from data_assistant.translate.offline.schema_index import SchemaIndex
from data_assistant.translate.offline.shape import Slots, names_column, names_table, read_shape
from data_assistant.translate.offline.tagger import Item, Tagger
from data_assistant.translate.offline.text import singular
from data_assistant.translate.offline.values import ValueIndex

_ADDITIVE = AMOUNT_WORDS | QUANTITY_WORDS | {"cost", "freight", "discount", "profit", "spend"}
_CATEGORICAL = {
    "country",
    "city",
    "state",
    "region",
    "province",
    "status",
    "segment",
    "channel",
    "type",
    "category",
    "kind",
    "genre",
    "department",
    "currency",
    "language",
}
# Superlatives that name the column they rank by (`cheapest`: a price).
_ROLES = {"price", "date", "length", "age", "weight", "height"}
# Verbs naming a table of payments by what is paid: ranked, they add up its amount.
_MONEY_VERBS = {"paid", "pay", "pays", "spent", "spend", "spends", "spending", "paying"}
# Direction words that name their key: a date.
_DATE_DIRECTION = {"earliest", "oldest", "newest", "latest", "recent", "chronological",
                   "chronologically", "date"}  # fmt: skip


# Generic names of a table of people that other tables give roles to.
_PEOPLE = {"people", "person", "persons", "individual", "individuals"}
_EVERY = re.compile(r"\b(?:every|each)\s+(\w+)", re.IGNORECASE)
_IN_TOTAL = re.compile(r"\bin (?:total|all)\s*(?:[?.!,;:]|$)", re.IGNORECASE)
# Words counting values apart (`how many different parties`).
_APART = {"different", "distinct", "unique"}

# `top 5 actors by number of films, with how many films each`: the ranked value is shown
# when asked for again; `top 3 clinics by total fees` shows the clinics alone.
_VALUE_ASKED = re.compile(
    r"\b(with|and|showing|including|plus|along with)\b.*\b(counts?|numbers?|totals?|how many"
    r"|how much|sums?|amounts?|averages?|revenues?|values?)\b",
    re.IGNORECASE,
)


class Reader:
    """Reads questions about one schema; holds its indexes."""

    def __init__(self, index: SchemaIndex) -> None:
        self.index = index
        self.tagger = Tagger(index, ValueIndex(index))

    def read(self, question: str, today: date) -> Intent:
        """The intent of a question, or `Refusal` when it cannot be read with confidence."""
        items = self.tagger.tag(question, today)
        self._value_or_table(items)
        if not any(
            it.kind in {"schema", "value"} or it.mkind in {"concept", "self"} for it in items
        ):
            raise refuse("find anything in this question that matches the data")
        slots = read_shape(items, self.index.graph.distance)
        first = question.lstrip().lower().split(" ", 1)[0]
        slots.who, slots.when = first in {"who", "whom"}, first == "when"
        slots.which = first == "which"
        slots.every = frozenset(w.lower() for w in _EVERY.findall(question))
        slots.value_asked = _VALUE_ASKED.search(question) is not None
        intent = _Assembly(self.index, slots).intent()
        if _IN_TOTAL.search(question) and intent.measure is None and intent.kind != "aggregate":
            # `which country's climbers scored the most points in total`: added up over
            # groups; a reading that adds nothing up would drop the words
            raise refuse("tell what 'in total' adds up")
        return intent

    def _value_or_table(self, items: list[Item]) -> None:
        """`documents never mailed` where a status reads 'mailed' and a table is named
        Documents_Mailed: a value or rows of that table? Both read well; refuse and name them."""
        said = {singular(w) for it in items for w in it.text.lower().split()}
        for item in items:
            if item.kind == "schema" and names_table(item) and any(h.sampled for h in item.hits):
                # `transactions that are sales` where a type of transactions reads 'Sale'
                # and a table Sales holds rows of them
                col = next(h.column for h in item.hits if h.sampled)
                table = next(c.table for c in item.cands if c.kind == "table")
                parents = [e.dst for e in self.index.graph.adjacent.get(table, []) if e.to_parent]
                near = any(
                    p == col.table or self.index.distance(p, col.table) == 1 for p in parents
                )
                if col.table != table and near:
                    raise _value_or_rows(item, col, table)
            if item.kind != "value" or not item.hits:
                continue
            for cand in item.cands:
                words = {singular(w) for w in self.index.tables[cand.table].words}
                if cand.kind == "table" and len(words) > 1 and words <= said:
                    raise _value_or_rows(item, item.hits[0].column, cand.table)


class _Assembly(Conditions):
    """Turns slots into an intent; one instance per question."""

    def __init__(self, index: SchemaIndex, slots: Slots) -> None:
        self.index = index
        self.s = slots
        self.r = Resolver(index)
        self.notes: list[str] = []
        self.context: list[Item] = []
        self.absent_tables: list[str] = []
        self._anchor()

    # -- anchors ------------------------------------------------------------------------
    def _anchor(self) -> None:
        """Tables the question names without doubt: they decide ambiguous terms."""
        s = self.s
        items = [*s.free, *s.groups, *s.absent, *(h.target for h in s.havings)]
        items += [i for i in (s.measure, s.sup_key, s.order_key) if i is not None]
        items += [v.label_of for v in s.values if v.label_of is not None]
        items += [v.column for v in s.values if v.column is not None]
        items += [c.column for c in s.comparisons if c.column is not None]
        items += [h for _, h in s.dates if h is not None]
        for item in items:
            if item.kind != "schema":
                continue
            top = max(c.strength for c in item.cands)
            tables = {c.table for c in item.cands if c.strength == top}
            if len(tables) == 1:
                self.r.anchors |= tables
        for vf in s.values:
            for item in vf.items:
                tables = {h.column.table for h in item.hits}
                if len(tables) == 1:
                    self.r.anchors |= tables

    # -- assembly -----------------------------------------------------------------------
    def intent(self) -> Intent:
        s = self.s
        tables = [it for it in s.free if names_table(it)]
        columns = [it for it in s.free if names_column(it)]
        flags = [c for c in columns if self._is_bool(c)]
        columns = [c for c in columns if c not in flags]
        ranking = s.sup is not None or s.top_desc is not None
        if ranking and s.aggs:
            raise refuse("rank by several aggregates at once")
        boss = self._boss_table(tables) if s.self_link is not None else None
        plain = not (ranking or s.measure or s.agg or s.groups or tables or columns)
        if boss is not None and plain:
            intent = self._rows_of(boss, [], [], self._order(boss, []), None, None)
        elif ranking:
            intent = self._ranked(tables, columns)
        elif self._count_of_a_named_row():
            assert s.measure is not None  # `how many calories does Duck Burger have`: its value
            intent = self._rows(tables, [s.measure, *columns])
            s.agg = None
        elif s.measure is not None or s.agg is not None:
            intent = self._aggregate(tables, columns)
        elif s.groups:
            intent = self._implicit_count(tables, columns)
        else:
            intent = self._rows(tables, columns)
        unnamed = not self.index.tables[intent.subject].label
        if intent.kind == "rows" and not intent.select and not s.wide and unnamed:
            person = self._person_of(intent.subject)
            if person is not None:
                # `list all the gymnasts`: a gymnast row is a person's; their name says who
                label = self.index.tables[person].label
                intent.select = tuple(ColumnRef(person, c) for c in label)
                unnamed = False
        pk = self.index.tables[intent.subject].pk
        plain = intent.kind == "rows" and not intent.select and not s.wide
        if s.which and plain and unnamed and len(pk) == 1:
            # `which document was received last`: the one that is meant, by its key
            intent.select = (ColumnRef(intent.subject, pk[0]),)
            unnamed = False
        if s.who and intent.kind == "rows" and not intent.select and unnamed:
            # `who won the match held in Australia`: rows of match name nobody
            raise refuse(f"tell who, of the rows of {intent.subject}, is meant")
        if s.when and intent.kind == "rows" and not intent.select:
            # `when was the competition held`: its date, not the row
            dates = self.r.dates_of(intent.subject)
            if len(dates) != 1:
                raise refuse(f"tell which date of {intent.subject} is meant")
            intent.select = (ColumnRef(intent.subject, dates[0]),)
        intent.filters = (*intent.filters, *self._filters(intent, flags))
        pinned = [
            f.column
            for f in intent.filters
            if f.op in {"eq", "in"}
            and f.joined != "all"
            and (f.column.table == intent.subject or self._lookup(intent.subject, f.column.table))
        ]
        if len(pinned) != len(set(pinned)):
            # `houses, apartments and flats`: one row holds one type; both, each, or any?
            col = next(c for c in pinned if pinned.count(c) > 1)
            raise refuse(f"tell how the values of {col.table}.{col.column} go together")
        if boss is not None:
            intent.self_link = self._self_link(intent, boss)
        intent.related = (*intent.related, *self._related(intent))
        self._count_rows_not_the_filtered_column(intent)
        fixed = {f.column for f in intent.filters if f.op == "eq"}
        names = self.index.tables[intent.subject].label
        # `who does Jo Tomas coach?`: who, answered by the name asked with (`customers named
        # Smith` lists those customers)
        labelled = () if intent.wide or not s.who else names
        shown = intent.select or tuple(ColumnRef(intent.subject, c) for c in labelled)
        if intent.kind in {"rows", "distinct"} and shown and set(shown) <= fixed:
            # `names of everyone with a certificate for Boeing 737-800`: the answer would be
            # the name asked with; whose names are meant is unsure
            raise refuse(f"tell what to show besides {shown[0]}, which the question fixes")
        if s.agg is not None and not self._uses_aggregate(intent, s.agg):
            raise refuse(f"tell how '{s.agg_word}' fits the question")
        intent.notes = tuple(self.notes)
        if s.wide:
            if intent.kind != "rows" or intent.select:
                raise refuse("show every column of an aggregate or of chosen columns")
            intent.wide = True
        self._check_tables(intent, tables)
        dated = {f.column for f in intent.filters if f.op == "range"}
        for key in intent.group_by:
            if key.grain is not None and dated and key.column not in dated:
                raise refuse(f"group by {key.grain} of one date and filter on another")
        return intent

    def _person_of(self, table: str) -> str | None:
        """The people table a row of an unnamed table stands for: its key is its link to a
        parent (a professor row extends an employee's), or its one link goes to a table of
        people by that generic name (`candidate.People_ID` -> `people`)."""
        named = self._named_by(table)
        if named != table:
            return named if self.index.tables[named].label else None
        parents = [e for e in self.index.graph.adjacent.get(table, []) if e.to_parent]
        if len(parents) != 1 or not _PEOPLE & set(self.index.tables[parents[0].dst].words):
            return None
        return parents[0].dst if self.index.tables[parents[0].dst].label else None

    def _count_of_a_named_row(self) -> bool:
        """`how many calories does Punjabi Duck Burger have`: a number column of one row named
        by its name is that row's value, not a count."""
        s = self.s
        if s.agg != "count" or s.measure is None or not names_column(s.measure) or s.groups:
            return False
        if self.index.column(self.r.column(s.measure)).kind != "number":
            return False
        return any(vf.owner_of is s.measure for vf in s.values)

    def _named_like(self, table: str) -> ColumnRef | None:
        """The column a table's rows repeat: named like the table (`party.Party`,
        `round.Round_ID`), counted apart when `different` is said or it is one part of the
        table's key."""
        info = self.index.tables[table]
        named = [
            c.ref
            for c in info.columns.values()
            if c.words in {info.words, (*info.words, "id")}
            and c.kind in {"text", "id"}
            and info.pk != (c.ref.column,)  # the key of each row: never repeated
        ]
        if len(named) != 1:
            return None
        apart = self.s.distinct or bool(_APART & set(self.s.agg_word.split()))
        if apart or (len(info.pk) > 1 and named[0].column in info.pk):
            return named[0]
        return None

    @staticmethod
    def _uses_aggregate(intent: Intent, func: str) -> bool:
        """Whether the intent computes the aggregate the question asked for somewhere."""
        measures = [intent.measure, *intent.extra, *(r.measure for r in intent.related)]
        funcs = {m.func for m in measures if m is not None}
        # `total customers` counts them; `the total number of seats` adds Seats up
        return (
            func in funcs
            or (func == "sum" and "count" in funcs)
            or (func == "count" and "sum" in funcs)
            or bool(intent.having)
        )

    def _count_rows_not_the_filtered_column(self, intent: Intent) -> None:
        """`how many main courses`, `books published by X`: the distinct values of a column
        the question also fixes are the values it named (1), never the answer."""
        m = intent.measure
        if m is None or m.func != "count" or not m.distinct or len(m.terms) != 1:
            return
        fixed = {f.column for f in intent.filters if f.op in {"eq", "in"}}
        if m.terms[0] in fixed:
            intent.measure = dataclasses.replace(m, terms=(), distinct=False, label="count")
            self.notes.append(f"counting {m.table} rows, not the {m.terms[0].column} named")

    def _is_bool(self, item: Item) -> bool:
        top = max(c.strength for c in item.cands)
        return all(c.ckind == "bool" for c in item.cands if c.strength == top)

    def _measure(self, item: Item | None, agg: str | None) -> Measure:
        if item is None and agg in {"count", "sum"} and (table := self._valued_table()):
            return Measure("count", table, label="count")  # `how many desserts`
        if item is None:
            raise refuse("tell what to count or add up")
        if item.mkind == "concept":
            if agg not in (None, "sum"):
                raise refuse(f"compute the {agg} of '{item.text}'")
            if item.mval == "revenue":
                table, terms, off = self.r.revenue()
            else:
                (table, terms), off = self.r.sold(), None
            self.r.anchors.add(table)
            return Measure("sum", table, terms, label=item.mval, discount=off)
        if names_table(item):
            table = self.r.table(item)
            means = [
                c.ref
                for c in self.index.tables[table].columns.values()
                if c.kind == "number" and c.words in {("average",), ("avg",), ("mean",)}
            ]
            if agg == "avg" and len(means) == 1:
                # `the average rating of Thai recipes`: a rating {average, count} averaged by
                # its own average
                self.r.anchors.add(table)
                return _of_column("avg", means[0])
            if agg not in (None, "count", "sum"):
                raise refuse(f"compute the {agg} of '{item.text}' itself")
            table = self.r.table(item)
            numbers = [c for c in self.index.tables[table].columns.values() if c.kind == "number"]
            same = [c for c in numbers if c.words == self.index.tables[table].words]
            if agg == "sum" and len(same) == 1:
                # `total degrees` of a table `degrees` counting them in a column `Degrees`
                self.r.anchors.add(table)
                return _of_column("sum", same[0].ref)
            amounts = [c for c in numbers if AMOUNT_WORDS & set(c.words)]
            units = [c for c in numbers if QUANTITY_WORDS & set(c.words)]
            if agg == "sum" and {"amount", "much"} & set(self.s.agg_word.split()):
                if len(amounts) != 1:
                    raise refuse(f"tell which amount of {table} to add up")
                self.r.anchors.add(table)  # `the total amount of refund transactions`
                return _of_column("sum", amounts[0].ref)
            if agg == "sum" and (amounts or units):
                # `total stock` of a table with a Quantity: the rows or the units?
                raise refuse(f"tell whether 'total {item.text}' means how many or how much")
            self.r.anchors.add(table)
            named = self._named_like(table)
            if agg == "count" and named is not None:
                # `how many different parties`: rows of party repeat a Party; `how many rounds`
                # of a table keyed by (member, round) counts the rounds
                return Measure("count", table, (named,), distinct=True, label="count")
            return Measure("count", table, label="count")
        kinds = {"number"} if agg in ("sum", "avg", None) else {"number", "date", "text"}
        col = self.r.column(item, kinds)
        self.r.anchors.add(col.table)
        name = self.index.column(col).column.name
        if agg == "count":
            total = "total" in self.s.agg_word.split()
            if self.index.column(col).kind == "number" and total and not self.s.distinct:
                return _of_column("sum", col)  # `the total number of seats`: seats added up
            if self.index.column(col).kind == "number" and not self.s.distinct:
                # `the total number of games played` adds GamesPlayed up; `the number of
                # distinct prices` counts them: without `distinct`, which is meant is unsure.
                raise refuse(f"tell whether to add up '{item.text}' or count its distinct values")
            return Measure("count", col.table, (col,), distinct=True, label=f"distinct {name}")
        if agg is None:
            if not _ADDITIVE & set(self.index.column(col).words):
                raise refuse(f"tell whether to add up, average or rank '{item.text}'")
            agg = "sum"
        return _of_column(agg, col)

    def _ranked(self, tables: list[Item], columns: list[Item]) -> Intent:
        s = self.s
        assert s.sup is not None or s.top_desc is not None
        desc = s.top_desc if s.top_desc is not None else s.sup.mval.startswith("desc")  # type: ignore[union-attr]
        if s.sup is not None and s.top_desc is not None:
            desc = s.sup.mval.startswith("desc")
        if s.order_desc is not None:
            desc = s.order_desc
        role = s.sup.mval.split(":", 1)[1] if s.sup is not None and ":" in s.sup.mval else ""
        key = s.sup_key or s.order_key or (s.measure if s.top_desc is not None else None)
        entity = tables[0] if tables else None
        if role == "count" and columns:
            entity = columns.pop(0)  # `the most common specialty among doctors`: specialties
        after = s.sup.start if s.sup is not None else 0
        if entity is not None and entity.start > after and entity.lead == "of" and len(tables) == 1:
            keyed = key is not None and names_column(key)
            if s.top_limit is None and (keyed or role in _ROLES):
                # `the lowest price of a product`: a value, not a row
                return self._extreme(desc, role, key, columns, self.r.table(entity))
        if entity is None and columns and (key is not None or role):
            entity = columns.pop(0)
        if entity is None and s.who and key is not None and names_column(key):
            # `who has the highest salary`: a person, not the salary
            col = self.r.column(key, {"number", "date"})
            if not self.index.tables[col.table].label:
                raise refuse(f"tell who, of the rows of {col.table}, is meant")
            return self._rows_of(col.table, [], columns, Order(desc, col), s.top_limit or 1, None)
        if entity is None:
            return self._extreme(desc, role, key, columns)
        limit = s.top_limit
        if limit is None:
            limit = 10 if entity.plural else 1
            if entity.plural:
                self.notes.append("showing 10 (no number given)")
        if names_table(entity):
            table = self.r.table(entity)
            self.r.anchors.add(table)
            if key is not None and names_table(key):
                _own_count(key, table)
            if role in _ROLES or (key is not None and names_column(key) and key.mkind != "concept"):
                if key is not None and names_column(key):
                    col = self.r.column(key, {"number", "date"})
                else:
                    col = self.r.role_column(table, role)
                    desc = desc != self.r.counts_up(col, role)
                if col.table == table and s.agg is None:
                    if s.groups:
                        raise refuse("rank rows within each group")
                    self.context = tables[1:]
                    tied = s.top_limit is None and entity.plural and s.sup is not None
                    if tied and self.index.column(col).kind == "number":
                        # `which stations have the most docks`: all that have the most
                        self.notes.remove("showing 10 (no number given)")
                        intent = self._rows_of(table, tables[1:], columns, None, None, entity)
                        top = Filter(col, "is_max" if desc else "is_min")
                        intent.filters = (*intent.filters, top)
                        return intent
                    intent = self._rows_of(
                        table, tables[1:], columns, Order(desc, col), limit, entity
                    )
                    if s.when and not columns and self.index.column(col).kind == "date":
                        intent.select = (col,)  # `when was the first rental made?`: its date
                    return intent
            measure = self._rank_measure(key, role)
            group = GroupKey(entity=table, shown=self._display(table, entity, columns))
            columns = []
        else:
            col = self.r.column(entity, {"text", "number", "date"})
            self.r.anchors.add(col.table)
            if role == "count" and key is None and {self.r.table(t) for t in tables} <= {col.table}:
                measure = Measure("count", col.table, label="count")  # `most common type`
            else:
                measure = self._rank_measure(key or (tables[0] if tables else None), role)
            group = GroupKey(column=col)
        if columns:
            raise refuse(f"tell how '{columns[0].text}' fits the ranking")
        return Intent("aggregate", measure.table, measure, group_by=(group,),
                      order=Order(desc), limit=limit,
                      rank_only=s.top_limit is None or not s.value_asked)  # fmt: skip

    def _display(self, table: str, entity: Item, columns: list[Item]) -> tuple[str, ...]:
        """`which department has the most employees? Give its name`: columns of the ranked
        table to show it by; one right before the table is not shown but grouped by
        (`country's customers`), so it is refused here."""
        shown: list[str] = []
        for item in columns:
            if item.end == entity.start:
                raise refuse(f"tell how '{item.text}' fits the ranking")
            if all(c.ckind == "date" and c.strength == 1 for c in item.cands):
                continue  # `the customer who placed the most orders`: a verb, not a date
            shown += self._columns_of(table, item)
        return tuple(dict.fromkeys(shown))

    def _columns_of(self, table: str, item: Item) -> list[str]:
        """The columns of `table` an item asks to show: `name` its naming columns, `id` its
        key, else its one strongest column of that table."""
        info = self.index.tables[table]
        word = item.text.lower().split()[-1]
        if word in {"name", "names"} and info.label:
            return list(info.label)
        if word in {"id", "ids"} and info.pk:
            return list(info.pk)
        own = [c for c in item.cands if c.kind == "column" and c.table == table]
        top = max((c.strength for c in own), default=0)
        best = {c.column for c in own if c.strength == top and c.column}
        if len(best) != 1:
            raise refuse(f"tell how '{item.text}' fits the question")
        return [best.pop()]

    def _rank_measure(self, key: Item | None, role: str) -> Measure:
        if role == "sold":
            table, terms = self.r.sold()
            return Measure("sum", table, terms, label="sold")
        if role:
            raise refuse("rank these rows by that")
        if key is None:
            raise refuse("tell what to rank by")
        if key is self.s.measure:
            return self._measure(key, self.s.agg)
        if names_table(key) and key.text.lower() in _MONEY_VERBS:
            # `the customers who paid the most`: the most money, not the most payments
            table = self.r.table(key)
            col = self.r.role_column(table, "money")
            return _of_column("sum", col)
        if self.s.measure is not None and self.s.agg is not None:
            # `the largest capacity and the average budget`: a ranking and an aggregate of
            # something else; one is not read into the other
            raise refuse(f"tell how '{self.s.agg_word} {self.s.measure.text}' fits the ranking")
        return self._measure(key, "count" if names_table(key) else self.s.agg)

    def _extreme(
        self, desc: bool, role: str, key: Item | None, columns: list[Item], table: str | None = None
    ) -> Intent:
        """`the highest price`: the maximum (or minimum) of a column, one value."""
        if self.s.top_limit is not None:
            raise refuse("tell which rows to rank")
        item = key or (columns.pop(0) if columns else None)
        if columns:
            raise refuse(f"tell how '{columns[0].text}' fits the question")
        if item is None and table is not None and role in _ROLES:
            col = self.r.role_column(table, role)
            desc = desc != self.r.counts_up(col, role)
        elif item is None or item.mkind == "concept" or not names_column(item):
            raise refuse("tell which column to take the highest or lowest of")
        else:
            if table is not None:
                self.r.anchors.add(table)
            col = self.r.column(item, {"date"} if role == "date" else {"number", "date"})
        func = "max" if desc else "min"
        measure = Measure(func, col.table, (col,), label=f"{func} {col.column}")
        extra: tuple[Measure, ...] = ()
        if self.s.agg is not None and self.s.measure is not key:
            # `the largest capacity and the average capacity`: both, in the order asked
            more = self._measure(self.s.measure, self.s.agg)
            if self.s.aggs or self.s.more or more.table != col.table:
                raise refuse(f"tell how '{self.s.agg_word}' fits the question")
            extra = (more,)
        return Intent(
            "aggregate", col.table, measure, group_by=self._groups(col.table), extra=extra
        )

    def _aggregate(self, tables: list[Item], columns: list[Item]) -> Intent:
        s = self.s
        measures = [self._one_of_several(f) for f in s.aggs] or [self._measure(s.measure, s.agg)]
        measures += [self._measure(target, func) for func, target in s.more]
        if any(m.table != measures[0].table for m in measures):
            raise refuse("compute aggregates of two kinds of rows in one answer")
        measure = measures[0]
        if measure.func == "count" and not measure.terms and not s.groups:
            self.context = tables
        groups = self._per_row(measure, self._groups(measure.table))
        groups = self._shown_groups(groups, tables, columns)
        grouped = {k.column for k in groups if k.column is not None and k.grain is None}
        # `... per sex? Show the sex and the number of staff.`: the grouping said again
        columns = [c for c in columns if self.r.column(c) not in grouped]
        if columns:
            raise refuse(f"tell how '{columns[0].text}' fits the question")
        order = None
        key = s.order_key
        if key is None and s.order_desc is not None and set(s.order_word.split()) & _DATE_DIRECTION:
            # `sales per year in chronological order`: by the year, never by the total
            plain = [k.column for k in groups if k.column is not None and k.grain is None]
            if len(plain) != 1 or self.index.column(plain[0]).kind not in {"date", "number"}:
                raise refuse(f"sort by time for '{s.order_word}' here")
            order = Order(s.order_desc, plain[0])
        elif key is None and s.order_desc is not None:
            order = Order(s.order_desc)  # `customers per country, highest first`
        if key is not None:
            same = key is s.measure or (key.mkind == "concept" and key.marker == s.measure.marker)  # type: ignore[union-attr]
            if same:
                order = Order(s.order_desc is not False)  # totals: highest first unless asked
            else:
                order = Order(bool(s.order_desc), self.r.column(key))
        return Intent(
            "aggregate", measure.table, measure, group_by=groups, order=order,
            extra=tuple(measures[1:]),
        )  # fmt: skip

    def _shown_groups(
        self, groups: tuple[GroupKey, ...], tables: list[Item], columns: list[Item]
    ) -> tuple[GroupKey, ...]:
        """`How many X does each department have? Show the department name and the count`:
        the group named again with the columns to show it by."""
        entities = [k for k in groups if k.entity is not None]
        if len(entities) != 1 or not columns:
            return groups
        key = entities[0]
        assert key.entity is not None
        pairs = [
            (t, c)
            for t in tables
            for c in columns
            if t.end == c.start and names_table(t) and self.r.table(t) == key.entity
        ]
        own = [c for c in columns if self._names_entity(c, key.entity)]
        if not pairs and not own:
            return groups
        for table_item, column_item in pairs:
            tables.remove(table_item)
            columns.remove(column_item)
        names = [n for _, item in pairs for n in self._columns_of(key.entity, item)]
        for item in own:
            columns.remove(item)
            names += self._names_entity(item, key.entity)
        shown = tuple(dict.fromkeys(names))
        return tuple(dataclasses.replace(k, shown=shown) if k is key else k for k in groups)

    def _names_entity(self, item: Item, entity: str) -> list[str]:
        """The entity's naming or key columns an item names (`the department name`), a
        foreign key to it (`department id` of employees) standing for its key."""
        info = self.index.tables[entity]
        found: list[str] = []
        for d in item.cands:
            if d.kind != "column" or d.column is None:
                continue
            if d.table == entity and d.column in info.label + info.pk:
                found.append(d.column)
            path = self.index.graph.path(d.table, entity) if d.table != entity else None
            if path and len(path) == 1 and path[0].src_columns == (d.column,):
                found += info.pk
        return found

    def _one_of_several(self, func: str) -> Measure:
        """One of `the count, average and total amount`: a count counts rows."""
        target = self.s.measure
        if func == "count" and target is not None and names_table(target):
            return self._measure(target, "count")  # `count and total amount of transactions`
        measure = self._measure(target, "max" if func == "count" else func)
        if func == "count":
            return Measure("count", measure.table, label="count")
        return measure

    def _per_row(self, measure: Measure, groups: tuple[GroupKey, ...]) -> tuple[GroupKey, ...]:
        """`average quantity per order item` is a plain average; per order, an average of
        order totals, which is refused."""
        kept: list[GroupKey] = []
        info = self.index.tables[measure.table]
        for key in groups:
            if key.entity == measure.table:
                if measure.func != "avg":
                    raise refuse(f"group {measure.table} by itself")
                continue
            if key.entity is not None and measure.func == "avg":
                head = self.index.tables[key.entity].words
                path = self.index.graph.path(measure.table, key.entity) or []
                if len(path) == 1 and info.words[: len(head)] == head:
                    raise refuse(f"average per {key.entity} (an average of totals)")
            kept.append(key)
        return tuple(kept)

    def _implicit_count(self, tables: list[Item], columns: list[Item]) -> Intent:
        if not tables:
            raise refuse("tell what to count for each group")
        if columns:
            raise refuse(f"tell how '{columns[0].text}' fits the question")
        measure = self._measure(tables[0], "count")
        return Intent("aggregate", measure.table, measure, group_by=self._groups(measure.table))

    def _groups(self, base: str) -> tuple[GroupKey, ...]:
        keys: list[GroupKey] = []
        for item in self.s.groups:
            if item.mkind == "grain":
                if item.mval not in {"year", "month", "day"}:
                    raise refuse(f"group by {item.mval}")
                hint = self.s.grain_of.get(id(item))
                col = self.r.column(hint, {"date"}) if hint else self.r.date_column(base)
                if self.index.column(col).kind == "number":
                    if item.mval != "year":
                        raise refuse(f"group {col.table}.{col.column}, a year, by {item.mval}")
                    keys.append(GroupKey(column=col))  # `per year` of a year column
                    continue
                keys.append(GroupKey(column=col, grain=item.mval))
            elif names_table(item):
                keys.append(GroupKey(entity=self.r.table(item)))
            else:
                col = self.r.column(item, {"text", "number", "date", "bool"})
                keys.append(GroupKey(column=col))
        return tuple(keys)

    def _rows(self, tables: list[Item], columns: list[Item]) -> Intent:
        shown = {self.r.column(c).table for c in columns}
        if len(shown) == 1 and tables and shown != {self.r.table(tables[0])}:
            table = shown.pop()  # `product names in the Phones category`: products
            self.r.anchors.add(table)
            self.context = tables
            return self._rows_of(table, tables, columns, self._order(table, columns), None, None)
        if tables:
            table = self.r.table(tables[0])
        elif columns:
            table = self.r.column(columns[0]).table
        elif (valued := self._valued_table()) is not None:
            table = valued  # `list the desserts`
        else:
            raise refuse("tell which table to list")
        self.r.anchors.add(table)
        self.context = tables[1:]
        listed = tables[0] if tables else None
        return self._rows_of(table, tables[1:], columns, self._order(table, columns), None, listed)

    def _valued_table(self) -> str | None:
        """`list the desserts`, `how many comedies`: with no table named, a value said in the
        plural stands for the rows holding it, unless it names them (a category table's own
        name: comedies are films of it, not the category)."""
        refs = {h.column for vf in self.s.values for it in vf.items if it.plural for h in it.hits}
        if len(refs) != 1 or any(not it.plural for vf in self.s.values for it in vf.items):
            return None
        (ref,) = refs
        info = self.index.tables[ref.table]
        if not info.label or ref.column in info.label:
            return None
        self.r.anchors.add(ref.table)
        return ref.table

    def _order(self, table: str, columns: list[Item]) -> Order | None:
        s = self.s
        if s.order_key is not None:
            col = self.r.column(s.order_key)
            if col.table != table and not self._lookup(table, col.table):
                # `artists sorted by the year`: a year of their exhibitions would repeat them
                raise refuse(f"sort {table} by a column of its related {col.table} rows")
            # `by age, youngest first`: the youngest have the lowest age
            aged = {"oldest", "youngest"} & set(s.order_word.split())
            role = s.order_role or ("age" if aged else "")
            return Order(bool(s.order_desc) != self.r.counts_up(col, role), col)
        if s.order_desc is None:
            return None
        # A direction with nothing named to sort by: what its words imply, or a refusal
        # (it is never dropped).
        words = set(s.order_word.split())
        if s.order_role in _ROLES - {"date"}:
            col = self.r.role_column(table, s.order_role)
            return Order(s.order_desc != self.r.counts_up(col, s.order_role), col)
        if words & _DATE_DIRECTION:
            dated = [c for c in map(self.r.column, columns) if self.index.column(c).kind == "date"]
            dated += [f.column for f in self._dated_filters(table)]
            col = dated[0] if dated else self.r.date_column(table)
            return Order(s.order_desc, col)
        if words & {"alphabetically", "alphabetical"}:
            label = self.index.tables[table].label
            if columns:
                return Order(s.order_desc, self.r.column(columns[0]))
            if label:
                return Order(s.order_desc, ColumnRef(table, label[0]))
        elif len(columns) == 1 and self.index.column(self.r.column(columns[0])).kind in {
            "number",
            "date",
        }:
            return Order(s.order_desc, self.r.column(columns[0]))
        else:
            # `the id and amount of ..., largest first`: the one number shown
            refs = [self.r.column(c) for c in columns]
            numbers = [c for c in refs if self.index.column(c).kind == "number"]
            if len(numbers) == 1:
                return Order(s.order_desc, numbers[0])
        raise refuse(f"tell what to sort by for '{s.order_word}'")

    def _dated_filters(self, table: str) -> list[Filter]:
        """The date filters the question states on `table` (`hired before 2000`)."""
        found = []
        for _item, hint in self.s.dates:
            if hint is not None and names_column(hint):
                col = self.r.column(hint, {"date"})
                if col.table == table:
                    found.append(Filter(col, "range"))
        return found

    def _rows_of(
        self,
        table: str,
        others: list[Item],
        columns: list[Item],
        order: Order | None,
        limit: int | None,
        listed: Item | None,
    ) -> Intent:
        picked = list(dict.fromkeys(self.r.column(c) for c in columns))
        # A container's documents are keyed by `id` and by the link to their parts (`$`)
        own_key = tuple(c for c in self.index.tables[table].pk if not c.startswith("$"))
        if any(self.index.column(p).kind == "id" and (p.column,) != own_key for p in picked):
            raise refuse("show a key column; links between rows need an LLM translator")
        own_label = bool(self.index.tables[table].label)
        for item in columns:
            ref = self.r.column(item)
            # a parent's columns (one row each) are shown beside the rows; a child's would
            # repeat them; `name` of rows named by their own columns is theirs
            bare = {singular(w) for w in item.text.lower().split()} <= {"name", "title"}
            if ref.table != table and (not self._lookup(table, ref.table) or (own_label and bare)):
                raise refuse("show columns of two tables together")
        if picked and listed is not None and self._with_their(listed, columns):
            # `professors with their hire dates`: the professors (by name), then the dates.
            label = self.index.tables[table].label
            if not label:
                raise refuse(f"tell which columns name each {table}")
            label_refs = [ColumnRef(table, c) for c in label]
            picked = list(dict.fromkeys([*label_refs, *picked]))
            return Intent("rows", table, select=tuple(picked), order=order, limit=limit)
        rows = self.index.tables[table]
        link = all(c.kind == "id" for c in rows.columns.values())
        if not picked and (link or (limit is not None and not rows.label and rows.links_rows)):
            # A link table's rows are pairs of keys: `the advisor of X` asks for a person.
            raise refuse(f"tell what to show of {table}, whose rows only link other rows")
        distinct = self.s.distinct
        if len(picked) == 1 and not distinct and limit is None:
            info = self.index.column(picked[0])
            categorical = bool(info.column.samples) or bool(_CATEGORICAL & set(info.words))
            # Names and titles are listed once per row, even when few are seen yet.
            naming = info.words[-1] in {"name", "title"} or picked[0].column in (
                self.index.tables[table].label
            )
            # `the location of every station`: one per station, not the distinct locations
            every = listed is not None and listed.text.lower().split()[0] in self.s.every
            distinct = info.kind == "text" and categorical and not naming and not every
        kind = "distinct" if distinct else "rows"
        return Intent(kind, table, select=tuple(picked), order=order, limit=limit)

    @staticmethod
    def _with_their(listed: Item, columns: list[Item]) -> bool:
        """Whether the columns come after the table listed, as `with` / `and` its columns."""
        first = min(columns, key=lambda c: c.start)
        return listed.start < first.start and first.lead in {"with", "and"}

    # -- filters ------------------------------------------------------------------------


def _value_or_rows(item: Item, col: ColumnRef, table: str) -> Refusal:
    """The refusal naming both readings of a word: a value of a column, or rows of a table."""
    return refuse(
        f"tell whether '{item.text}' is a value of {col.table}.{col.column} "
        f"or means rows of {table}"
    )


def _own_count(key: Item, table: str) -> None:
    """`the party with the most hosts` where party has Number_of_hosts: the count the rows
    state, not one made by joining hosts."""
    own = [c for c in key.cands if c.kind == "column" and c.table == table and c.ckind == "number"]
    if len(own) == 1:
        key.cands = [dataclasses.replace(own[0], strength=3)]


def _of_column(func: str, col: ColumnRef) -> Measure:
    """`sum amount`: one aggregate of one column of its own table."""
    return Measure(func, col.table, (col,), label=f"{func} {col.column}")
