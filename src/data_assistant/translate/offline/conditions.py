"""Conditions of an intent: filters, conditions on linked rows, and the checks that every
table the question names plays a part."""

from __future__ import annotations

import re
from dataclasses import replace

from data_assistant.translate.offline.gazetteer import COUNTRIES, country_key
from data_assistant.translate.offline.intent import (
    ColumnRef,
    Filter,
    GroupKey,
    Intent,
    Measure,
    Related,
    SelfLink,
)
from data_assistant.translate.offline.lexicon import MONEY_WORDS
from data_assistant.translate.offline.resolve import Resolver, refuse
from data_assistant.translate.offline.schema_index import SchemaIndex
from data_assistant.translate.offline.shape import Slots, names_column, names_table
from data_assistant.translate.offline.slots import ValueFilter
from data_assistant.translate.offline.tagger import Item
from data_assistant.translate.offline.text import in_unit

_SIGNS = {"gt": "gt", "ge": "ge", "lt": "lt", "le": "le", "eq": "eq", "ne": "ne"}


# Words of the column a place after `to` or `from` is in.
_DIRECTION_WORDS = {
    "to": {"destination", "dest", "to", "arrival"},
    "from": {"origin", "orig", "source", "from", "departure"},
}
_LIST_SEPARATORS = re.compile(r"\s+and\s+|\s*[,;/&]\s*")
# Columns that hold place names other than a city's.
_PLACES = {"state", "district", "region", "province", "county", "country", "area"}


class Conditions:
    """The filter-building half of the reader (mixed into its assembly)."""

    index: SchemaIndex
    s: Slots
    r: Resolver
    notes: list[str]
    context: list[Item]
    absent_tables: list[str]  # related tables the question says there are none of

    def _measure(self, item: Item | None, agg: str | None) -> Measure:
        raise NotImplementedError  # the assembly's

    def _bare_number_column(self, table: str, money: bool) -> ColumnRef:
        """`transactions over 1500`: their one money column; `pilots over 30`, of named rows
        with an age and no money column, their age."""
        info = self.index.tables[table]
        numbers = [c for c in info.columns.values() if c.kind == "number"]
        ages = [c.ref for c in numbers if "age" in c.words]
        named = any("name" in c.lower().split("_") for c in info.label)  # people, by name
        if (
            not money
            and named
            and len(ages) == 1
            and not any(MONEY_WORDS & set(c.words) for c in numbers)
        ):
            return ages[0]
        return self.r.role_column(table, "money")

    def _filters(self, intent: Intent, flags: list[Item]) -> list[Filter]:
        s, r = self.s, self.r
        out: list[Filter] = []
        for vf in s.values:
            if vf.items[0].kind == "value":
                hint = [r.column(vf.column)] if vf.column is not None else None
                # `trains to Guruvayur`: of origin and destination, the one `to` points at.
                toward = _DIRECTION_WORDS.get(vf.items[0].lead, set())
                ref, literals = r.value(vf.items, hint, vf.modifier | toward)
            else:
                if vf.location:
                    ref = self._city(intent.subject, str(vf.items[0].text))
                elif vf.owner_of is not None or vf.label_of is not None:
                    owner = self._named_by(
                        r.column(vf.owner_of).table
                        if vf.owner_of is not None
                        else r.table(vf.label_of)  # type: ignore[arg-type]
                    )
                    split = self._full_name(owner, vf)
                    if split:
                        out += split
                        r.anchors.add(owner)
                        continue
                    held = self._holding(owner, [str(i.text) for i in vf.items])
                    ref = held or self._label_column(owner)
                    named = vf.label_of
                    if named is not None and vf.items[-1].end <= named.start and named.plural:
                        self._only_place_for_a_name(ref, vf.items[0].text)
                else:
                    assert vf.column is not None
                    ref = r.column(vf.column, {"text"})
                literals = self._known(ref, tuple(str(i.text) for i in vf.items))
            r.anchors.add(ref.table)
            quoted = vf.items[0].kind == "quoted"  # `whose client is 'user'`: that value
            listed = not quoted and len(literals) == 1 and not vf.negated
            if listed and self._listed_in_others(ref, literals[0]):
                # `stations served by the Metropolitan line`, where others read `Metropolitan
                # line and Chiltern Railways`: every value that lists it
                out.append(Filter(ref, "contains", (literals[0],)))
                self.notes.append(f"'{literals[0]}' is also matched inside lists of values")
            elif len(literals) == 1:
                out.append(Filter(ref, "ne" if vf.negated else "eq", literals))
            elif vf.joined == "all" and not vf.negated:
                # `both X and Y`: on rows of a list, each value on a row of its own
                out += [Filter(ref, "eq", (v,), joined="all") for v in literals]
            else:
                op = "not_in" if vf.negated else "in"
                out.append(Filter(ref, op, literals, joined=vf.joined))
        for cmp in s.comparisons:
            if cmp.column is None:
                ref = self._bare_number_column(intent.subject, cmp.money)
            else:
                ref = r.column(cmp.column, {"number"})
            if cmp.op == "between":
                out.append(Filter(ref, "between", (cmp.number, cmp.upper)))
            elif cmp.op in {"above_avg", "below_avg"}:
                out.append(Filter(ref, cmp.op))
            else:
                unit = self.index.column(ref).words[-1]
                out.append(Filter(ref, _SIGNS[cmp.op], (in_unit(cmp.number, cmp.said, unit),)))
        for item, numbers in s.keyed:
            out.append(self._keyed(item, numbers))
        dated: set[ColumnRef] = set()
        for item, near_item in s.dates:
            if near_item is not None and names_table(near_item):
                ref = self._date_of(intent.subject, r.table(near_item))
            elif near_item is not None:
                ref = r.column(near_item, {"date", "number"})
                if ref != r.year_column(ref.table) and self.index.column(ref).kind != "date":
                    raise refuse(f"tell which date of {ref.table} '{near_item.text}' is")
            elif (near := self._table_before(item)) is not None:
                ref = self._date_of(intent.subject, r.table(near))
            else:
                ref = r.date_column(intent.subject)
            verb = s.verb_dates.get(id(item))
            if verb is not None and r.dates_of(ref.table) != (ref.column,):
                # `issued`, `founded`: unnamed by the schema, so only a table's one date
                raise refuse(f"tell which date of {ref.table} '{verb}' is")
            if ref in dated:
                raise refuse("combine two date ranges on the same date")
            dated.add(ref)
            assert item.date_range is not None
            if item.date_range.relative:
                self.notes.append(f"'{item.date_range.text}' is counted back from today")
            out.append(Filter(ref, "range", date_range=item.date_range))
        for item, is_null in s.nulls:
            out.append(Filter(r.column(item), "null" if is_null else "not_null"))
        for item, kind, letters in s.patterns:
            out.append(Filter(r.column(item, {"text"}), kind, (letters,)))
        for item, positive in [*((f, True) for f in flags), *s.flags]:
            ref = r.column(item)
            kind = self.index.column(ref).kind
            if (
                not positive
                and ref.table != intent.subject
                and not self._lookup(intent.subject, ref.table)
            ):
                if not any(item is lacking for lacking in s.lacking):
                    # `drivers who are not full time`: on which of their related rows?
                    raise refuse(f"tell which {ref.table} rows '{item.text}' is negated on")
                # `students with no allergies`: no related row, not a related row left empty.
                self.absent_tables.append(ref.table)
                continue
            if kind == "bool":
                out.append(Filter(ref, "true" if positive else "false"))
            elif positive:
                raise refuse(f"tell what '{item.text}' should be")
            else:
                out.append(Filter(ref, "zero" if kind == "number" else "null"))
        return out

    def _table_before(self, item: Item) -> Item | None:
        """The closest table the question names before `item`."""
        before = [t for t in self.s.tables if t.start < item.start]
        return before[-1] if before else None

    def _date_of(self, base: str, named: str) -> ColumnRef:
        """A date said after a table: that table's when it is on the many side of `base`
        (customers who ordered in 2025), else `base`'s own (orders from customers in 2025)."""
        path = self.index.graph.path(base, named) or []
        if named != base and any(not e.to_parent for e in path):
            ref = self.r.date_column(named)
            if ref.table == base:
                # `students who enrolled in 2024`, enrollments undated: not the birth date.
                raise refuse(f"find a date of {named}")
            return ref
        try:
            return self.r.date_column(base)
        except Exception:
            return self.r.date_column(named)

    def _lookup(self, subject: str, table: str) -> bool:
        """Whether `table` is reached from `subject` through parents only (a lookup)."""
        path = self.index.graph.path(subject, table)
        return path is not None and all(e.to_parent for e in path)

    def _city(self, subject: str, place: str) -> ColumnRef:
        """`in Berlin`: the city column closest to the subject."""
        cities = [c.ref for c in self.index.columns("text") if {"city", "town"} & set(c.words)]
        # Only a place of the subject itself or of what it belongs to: `actors in X` is not
        # the city of a store holding a copy of their films.
        cities = [c for c in cities if c.table == subject or self._lookup(subject, c.table)]
        options = sorted((self.index.distance(subject, c.table) or 99, str(c), c) for c in cities)
        if not options or (len(options) > 1 and options[0][0] == options[1][0]):
            raise refuse("tell which column holds that place name")
        city = options[0][2]
        # `addresses in California`: a state or district column beside the city could hold it
        # as well, unless its values are all known (and the name is not among them).
        path = self.index.graph.path(subject, city.table) or []
        near = {subject, city.table} | {e.dst for e in path}
        others = [
            c.column.name
            for t in sorted(near)
            for c in self.index.tables[t].columns.values()
            if c.kind == "text"
            and _PLACES & set(c.words)
            and not c.column.samples
            # A country column cannot hold a name that is not a country's.
            and not ("country" in c.words and country_key(place) not in COUNTRIES)
        ]
        if others:
            raise refuse(f"tell whether that place is a {city.column} or a {others[0]}")
        return city

    def _known(self, ref: ColumnRef, literals: tuple[str, ...]) -> tuple[str, ...]:
        """A column with samples holds no other values: a name not among them is refused."""
        samples = {v.lower(): v for v in self.index.column(ref).column.samples}
        if not samples:
            return literals
        missing = [v for v in literals if v.lower() not in samples]
        if missing:
            raise refuse(f"find '{missing[0]}' among the values of {ref}")
        return tuple(samples[v.lower()] for v in literals)

    def _only_place_for_a_name(self, ref: ColumnRef, text: str) -> None:
        """`Darioush wines`: a name before a plural table may be its maker, region or brand as
        much as its own name (`the Darioush wine` is one); unless the table has no other open
        text column, refuse and name them."""
        info = self.index.tables[ref.table]
        others = [
            c.column.name
            for c in info.columns.values()
            if c.kind == "text" and c.ref != ref and not c.column.samples
        ]
        if others:
            where = ", ".join([ref.column, *others[:2]])
            raise refuse(f"tell which column of {ref.table} holds '{text}' ({where}?)")

    def _keyed(self, item: Item, numbers: list[float | int]) -> Filter:
        """`order 5`: the table's one-column key; `zip code 94107`: that column."""
        if names_table(item):
            table = self.r.table(item)
            pk = self.index.tables[table].pk
            if len(pk) != 1 or self.index.tables[table].columns[pk[0]].column.type is None:
                raise refuse(f"tell which column of {table} '{item.text}' numbers")
            ref = ColumnRef(table, pk[0])
        else:
            ref = self.r.column(item, {"number", "id", "text"})
        self.r.anchors.add(ref.table)
        values: tuple[object, ...] = tuple(numbers)
        if any(t in (self.index.column(ref).column.type or "").upper() for t in ("CHAR", "TEXT")):
            values = tuple(str(n) for n in numbers)  # a code written in digits
        return Filter(ref, "eq", values) if len(values) == 1 else Filter(ref, "in", values)

    def _full_name(self, table: str, vf: ValueFilter) -> list[Filter]:
        """`Steven King` of a table named by first and last name: both, one each."""
        label = self.index.tables[table].label
        words = str(vf.items[0].text).split()
        if len(label) != 2 or len(vf.items) != 1 or len(words) != 2 or vf.negated:
            return []
        return [
            Filter(ref, "eq", self._known(ref, (w,)))
            for ref, w in zip((ColumnRef(table, c) for c in label), words, strict=True)
        ]

    def _groups_having(self, intent: Intent, measure: Measure, op: str, number: float) -> bool:
        """`majors with more than 5 students`: the values of the columns named, each counted
        over the rows that hold it, kept when the count compares so (GROUP BY ... HAVING)."""
        named = [it for it in self.s.free if names_column(it)]
        if (
            intent.kind not in {"rows", "distinct"}
            or not named
            or any(names_table(it) for it in self.s.free)
            or len(named) != len(intent.select)
            or any(c.table != intent.subject for c in intent.select)
            or any(self.index.column(c).kind == "id" for c in intent.select)
            or intent.self_link is not None
            or intent.related
        ):
            return False
        intent.kind, intent.measure, intent.rank_only = "aggregate", measure, True
        intent.group_by = tuple(GroupKey(column=c) for c in intent.select)
        intent.select, intent.having = (), (op, number)
        return True

    def _boss_table(self, tables: list[Item]) -> str:
        """The table whose rows have a superior among its rows: the one named, or the only one."""
        named = {self.r.table(t) for t in tables}
        found = {t for t in named if self.index.tables[t].boss is not None}
        if not found and not named:
            found = {k for k, t in self.index.tables.items() if t.boss is not None}
        if len(found) != 1:
            raise refuse("tell which rows have the superior the question names")
        return found.pop()

    def _self_link(self, intent: Intent, table: str) -> SelfLink:
        """`X's manager` (up) or `the rows under X` (down) as a link between rows of `table`."""
        if intent.subject != table:
            raise refuse(f"tell how {intent.subject} relates to the superior in {table}")
        boss = self.index.tables[table].boss
        assert self.s.self_link is not None and boss is not None
        direction, names = self.s.self_link
        fk, key = boss
        outer, inner = (fk, key) if direction == "down" else (key, fk)
        self.r.anchors.add(table)
        filters = tuple(self._name_filters(table, names))
        return SelfLink(ColumnRef(table, outer), ColumnRef(table, inner), filters)

    def _name_filters(self, table: str, names: list[Item]) -> list[Filter]:
        """The name of one row: values of its name columns, or a name split into first and
        last name (`Franklin Wong`)."""
        label = list(self.index.tables[table].label)
        if len(names) == 1 and names[0].kind != "value":
            split = self._full_name(table, ValueFilter(names))
            if split:
                return split
        out: list[Filter] = []
        for item in names:
            if item.kind == "value":
                hits = [h for h in item.hits if h.column.table == table]
                hits = [h for h in hits if h.column.column in label]
                if len(hits) != 1:
                    raise refuse(f"tell which name column of {table} holds '{item.text}'")
                out.append(Filter(hits[0].column, "eq", (hits[0].values[0],)))
                label.remove(hits[0].column.column)
        for item in names:
            if item.kind != "value":
                if len(label) != 1:
                    raise refuse(f"tell which name column of {table} holds '{item.text}'")
                ref = ColumnRef(table, label.pop())
                out.append(Filter(ref, "eq", self._known(ref, (str(item.text),))))
        return out

    def _named_by(self, table: str) -> str:
        """The table whose names name `table`'s rows: itself, or, when it has no name and its
        key is its link to one parent (a professor row extends an employee row; a recipe's
        nutrition part), that parent's."""
        info = self.index.tables[table]
        if info.label or not info.pk:
            return table
        edges = self.index.graph.adjacent.get(table, [])
        parents = [e.dst for e in edges if e.to_parent and set(e.src_columns) == set(info.pk)]
        if all(c.startswith("$") for c in info.pk) and len(edges) == 1 and not edges[0].to_parent:
            parents = [edges[0].dst]  # a document's nested object, one per document
        return self._named_by(parents[0]) if len(parents) == 1 else table

    def _listed_in_others(self, ref: ColumnRef, value: str) -> bool:
        """Whether another sampled value of the column is a list (`A and B`, `A, B`, `A/B`)
        that names this value as one of its items."""
        low = value.strip().lower()
        for sample in self.index.column(ref).column.samples:
            items = [i.strip().lower() for i in _LIST_SEPARATORS.split(str(sample))]
            if len(items) > 1 and low in items:
                return True
        return False

    def _holding(self, table: str, literals: list[str]) -> ColumnRef | None:
        """`documents with the status 'working'`: the one column of the table whose samples
        hold every value said (a code, where the name column is a description)."""
        label = self.index.tables[table].label
        if len(label) == 1 and not self.index.column(ColumnRef(table, label[0])).column.samples:
            return None  # the name column's values are not all known: it may hold them
        wanted = {v.lower() for v in literals}
        found = [
            c.ref
            for c in self.index.tables[table].columns.values()
            if c.column.samples and wanted <= {str(v).lower() for v in c.column.samples}
        ]
        return found[0] if len(found) == 1 else None

    def _label_column(self, table: str) -> ColumnRef:
        label = self.index.tables[table].label
        if len(label) != 1:
            raise refuse(f"tell which column of {table} holds that name")
        return ColumnRef(table, label[0])

    def _related(self, intent: Intent) -> list[Related]:
        s, r = self.s, self.r
        out: list[Related] = []
        for having in s.havings:
            if having.target is s.measure and intent.kind == "aggregate" and intent.group_by:
                raise refuse("filter groups by their total")
            measure = self._measure(having.target, "count" if names_table(having.target) else None)
            op = _SIGNS.get(having.op)
            if op is None:
                raise refuse("compare a total with a range")
            if measure.table == intent.subject:
                if self._groups_having(intent, measure, op, having.number):
                    continue
                raise refuse(f"compare {intent.subject} with its own rows")
            out.append(Related("having", measure.table, measure, op, having.number))
        for item in s.absent:
            out.append(Related("none", r.table(item)))
        for table in self.absent_tables:
            out.append(Related("none", table))
        steps = {self._first_step(intent.subject, rel.table) for rel in out}
        filtered = {f.column.table for f in intent.filters}
        for item in self.context:
            table = r.table(item)
            linked = any(rel.table == table for rel in out)
            if table in filtered or table == intent.subject or linked:
                continue
            path = self.index.graph.path(intent.subject, table)
            if path is None:
                raise refuse(f"find one clear way to link {table} to {intent.subject}")
            if len(path) > 2:
                # three joins away (faculty -> their activities -> the students' link to
                # them): too far to be what the question means by naming it
                raise refuse(f"tell how {table} relates to {intent.subject}")
            step = self._first_step(intent.subject, table)
            if step is None or step in steps:
                continue  # a plain lookup, or already linked
            absent = next((rel.table for rel in out if rel.kind == "none"), None)
            if absent is not None and self.index.tables[table].links_rows:
                # `instructors who teach no course`: no course through the link they teach
                # by, not some teaching and no course of their department
                raise refuse(f"tell how {table} and the missing {absent} go together")
            steps.add(step)
            out.append(Related("some", table))
        return self._absorb(intent, out)

    def _first_step(self, subject: str, table: str) -> object:
        path = self.index.graph.path(subject, table) or []
        return next((e for e in path if not e.to_parent), None)

    def _absorb(self, intent: Intent, related: list[Related]) -> list[Related]:
        """Filters on the linked rows of a condition belong inside it (`no orders in 2025`)."""
        out: list[Related] = []
        kept = list(intent.filters)
        for rel in related:
            step = self._first_step(intent.subject, rel.table)
            mine = [
                f for f in kept
                if step is not None and (
                    self._first_step(intent.subject, f.column.table) == step
                    or self._hangs_off(intent.subject, rel.table, f.column.table)
                )
            ]  # fmt: skip
            kept = [f for f in kept if f not in mine]
            out.append(replace(rel, filters=(*rel.filters, *mine)))
        intent.filters = tuple(kept)
        return out

    def _hangs_off(self, subject: str, related: str, table: str) -> bool:
        """`patients with appointments with Dr Reid`: the physician named is the one of the
        appointments the question names, not the patient's own (another link)."""
        graph = self.index.graph
        return table not in {subject, related} and graph.distance(related, table) == 1

    def _check_tables(self, intent: Intent, tables: list[Item]) -> None:
        """Every table the question names must play a part: shown, counted, filtered, grouped
        or sorted by (a parent merely named is a word left unread)."""
        used = {intent.subject} | {f.column.table for f in intent.filters}
        used |= {r.table for r in intent.related}
        used |= {f.column.table for r in intent.related for f in r.filters} | {
            c.table for c in intent.select
        }
        used |= {
            k.entity or (k.column.table if k.column else "")
            for k in intent.group_by
            if k.entity or k.column
        }
        if intent.measure is not None:
            used.add(intent.measure.table)
        if intent.order is not None and intent.order.column is not None:
            used.add(intent.order.column.table)
        if intent.self_link is not None:
            used |= {f.column.table for f in intent.self_link.filters}
        for link, thing in self.s.absent_objects:
            distance = self.index.graph.distance(self.r.table(link), self.r.table(thing))
            if distance is None or distance > 2:
                raise refuse(f"tell how '{thing.text}' fits the question")
        for item in tables:
            if self.r.table(item) not in used:
                raise refuse(f"tell how '{item.text}' fits the question")
