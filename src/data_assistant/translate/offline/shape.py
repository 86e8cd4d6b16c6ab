"""Question shapes: bind markers to the items they govern, before anything is resolved.

`read_shape(items)` walks the tagged items and fills `Slots`: the aggregation and what it
applies to, group keys, ranking, comparisons, value and date filters, negations. Items
nothing claims are left for the reader (subject table, projections), and anything the
shapes cannot place is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from data_assistant.translate.offline.bindings import (
    bind_comparisons,
    bind_dates,
    bind_keyed_numbers,
    bind_negations,
    bind_nulls,
    bind_patterns,
    bind_rated_numbers,
    bind_values,
)
from data_assistant.translate.offline.schema_index import Candidate
from data_assistant.translate.offline.slots import (
    Slots,
    Walk,
    adjective,
    refuse_shape,
)
from data_assistant.translate.offline.tagger import (
    Item,
    names_column,
    names_numbers,
    names_table,
    same_thing,
)
from data_assistant.translate.offline.text import split_identifier

Distance = Callable[[str, str], int | None]

__all__ = ["Slots", "names_column", "names_table", "read_shape"]


def read_shape(items: list[Item], distance: Distance | None = None) -> Slots:
    """Bind the markers of a tagged question to what they govern; `distance(a, b)` is the
    number of joins between two tables (None: not linked)."""
    w = Walk(items)
    unknown = [it.text for it in items if it.kind == "unknown"]
    if unknown:
        words = ", ".join(f"'{u}'" for u in unknown[:3])
        raise refuse_shape(f"understand {words} in this question")
    _reinterpret_alt_markers(w)
    _compounds(w, distance)
    _grain_dates(w)
    _tops(w)
    _aggregation_list(w)
    _aggregations(w)
    _superlatives(w)
    _groups_and_sorting(w)
    _self_links(w)
    bind_patterns(w)
    bind_comparisons(w)
    bind_rated_numbers(w)
    bind_keyed_numbers(w)
    bind_dates(w)
    bind_values(w)
    _per_value(w)
    bind_negations(w)
    bind_nulls(w)
    _rest(w)
    w.slots.tables = [it for it in w.items if names_table(it)]
    return w.slots


_NAME_KINDS = {"proper", "value", "quoted"}


def _self_links(w: Walk) -> None:
    """`employees who report to Franklin Wong`, `Bruce Ernst's manager`, `the supervisor of
    Joyce English`, `whose manager is X`, `X's subordinates`: a row's superior, or the rows
    under one, in the same table, named by a name right after (or right before) the word."""
    for pos, item in enumerate(w.items):
        if item.mkind != "self" or pos in w.used:
            continue
        if w.slots.self_link is not None:
            raise refuse_shape("follow two links between rows of one table")
        after = _name_run(w, pos + 1, 1)
        before = _name_run(w, pos - 1, -1)
        if item.mval == "down" or (item.mval == "up" and item.lead == "whose"):
            names, direction = after, "down"
        elif item.mval == "below":
            names, direction = (before or after), "down"
        else:
            names, direction = (after if after and item.lead != "whose" else before), "up"
        if not names:
            raise refuse_shape(f"tell whose '{item.text}' is meant")
        w.take(pos, *(w.items.index(n) for n in names))
        w.slots.self_link = (direction, names)


def _name_run(w: Walk, start: int, step: int) -> list[Item]:
    """The name items next to position `start - step`, going by `step`: `Franklin Wong`."""
    run: list[Item] = []
    j = start
    edge = w.at(start - step)
    while (it := w.at(j)) is not None and it.kind in _NAME_KINDS and j not in w.used:
        assert edge is not None
        gap = it.start - edge.end if step > 0 else edge.start - it.end
        # `manager of the X` / `X's manager`: a word or two before the name; none inside it.
        allowed = 0 if run else (2 if step > 0 else 1)
        if gap > allowed:
            break
        run.append(it)
        edge = it
        j += step
    return run if step > 0 else run[::-1]


def _per_value(w: Walk) -> None:
    """`the number of female and male patients`: a row holds one value of its own column, so
    an aggregate over `A and B` of it is one figure per value (a breakdown), not of both."""
    s = w.slots
    target = s.measure
    if s.agg is None or s.groups or target is None or target.kind != "schema":
        return
    if s.sup is not None or s.top_desc is not None:
        return
    owner = {c.table for c in target.cands if c.strength == max(x.strength for x in target.cands)}
    for vf in s.values:
        if vf.joined != "and" or vf.negated or vf.column is not None or len(vf.items) < 2:
            continue
        columns = set.intersection(*({h.column for h in i.hits} for i in vf.items))
        if len(columns) != 1:
            continue
        (ref,) = columns
        first, last = vf.items[0], vf.items[-1]
        after = next((i for i in w.items if i.start == last.end), None)
        # Only values describing the rows right after them (`female and male patients`):
        # `students in BAL and PIT` may well mean them all together.
        if after is None or not names_table(after) or ref.table not in _tables_of(after):
            continue
        if target is not after and {ref.table} != owner:
            continue
        s.groups.append(
            Item("schema", first.start, last.end, ref.column,
                 cands=[Candidate("column", ref.table, ref.column, 3, "text")])
        )  # fmt: skip
        return


def _reinterpret_alt_markers(w: Walk) -> None:
    """`total revenue`: a column named `total` acts as a marker before a measure."""
    for pos, item in enumerate(w.items):
        nxt, prev = w.at(pos + 1), w.at(pos - 1)
        if item.kind != "schema" or not item.alt_marker:
            continue
        if item.alt_marker.startswith("agg:") and w.is_measure_like(nxt):
            item.kind, item.marker = "marker", item.alt_marker
        elif item.alt_marker.startswith("agg:") and _listed_with_aggregate(w, pos):
            # `average and highest cost`: one of several aggregates, not a column `average`.
            item.kind, item.marker = "marker", item.alt_marker
        elif (
            item.alt_marker.startswith("agg:count")
            and nxt is None
            and prev is not None
            and names_table(prev)
        ):
            # `recipe count` counts recipes, not a column named count.
            item.kind, item.marker = "marker", item.alt_marker
        elif item.alt_marker.startswith("neg:") and nxt is not None and names_table(nxt):
            # `no wine`: a negation before a table, not a column named No.
            item.kind, item.marker = "marker", item.alt_marker


def _listed_with_aggregate(w: Walk, pos: int) -> bool:
    """Whether `and` or a comma joins the item to an aggregate or superlative word."""
    item, nxt = w.items[pos], w.at(pos + 1)
    if nxt is not None and nxt.marker == "conj:and":
        nxt = w.at(pos + 2)
    elif nxt is not None and nxt.start != item.end:  # the tokens drop a comma between them
        return False
    if nxt is None:
        return False
    marker = nxt.marker or nxt.alt_marker
    return marker.split(":", 1)[0] in {"agg", "sup"} and not marker.startswith("agg:count")


def _compounds(w: Walk, distance: Distance | None) -> None:
    """`customer segment` is a column of customers; `product categories` are categories
    (of products: the two tables are joined directly, else the first word is not explained)."""
    merged: list[Item] = []
    for item in w.items:
        prev = merged[-1] if merged else None
        adjacent = prev is not None and prev.end == item.start and not prev.plural
        if adjacent and names_table(prev) and item.kind == "schema":  # type: ignore[arg-type]
            tables = {c.table for c in prev.cands if c.kind == "table"}  # type: ignore[union-attr]
            own = [c for c in item.cands if c.table in tables]
            if names_column(item) and any(c.kind == "column" for c in own):
                item.cands = [c for c in own if c.kind == "column"]
                item.start, item.text, item.lead = prev.start, f"{prev.text} {item.text}", prev.lead  # type: ignore[union-attr]
                merged[-1] = item
                continue
            linked = distance is None or any(
                distance(a, c.table) == 1 for a in tables for c in item.cands if c.kind == "table"
            )
            if names_table(item) and (not linked or prev.hits):  # type: ignore[union-attr]
                # `purchase transactions` where a type reads 'Purchase': of that type, or
                # those with a row in Purchases?
                raise refuse_shape(f"tell how '{prev.text}' and '{item.text}' go together")  # type: ignore[union-attr]
            if names_table(item):
                item.start, item.lead = prev.start, prev.lead  # type: ignore[union-attr]
                item.text = f"{prev.text} {item.text}"  # type: ignore[union-attr]
                merged[-1] = item
                continue
        if (
            prev is not None
            and item.lead == "of"
            and item.start - prev.end <= 3  # `of the`, `of every`, `of all the`
            and names_table(item)
            and names_column(prev)
        ):
            # `the ids of organisations`: of the columns `ids` may be, the organisations' own;
            # `ids and names of products`: every column listed before it
            tables = {c.table for c in item.cands if c.kind == "table"}
            j = len(merged) - 1
            while j >= 0 and names_column(merged[j]):
                own = [c for c in merged[j].cands if c.kind == "column" and c.table in tables]
                if own:
                    merged[j].cands = own
                if j < 2 or merged[j - 1].marker != "conj:and":
                    break
                j -= 2
        merged.append(item)
    w.items[:] = merged


def _grain_dates(w: Walk) -> None:
    """`products launched per year`: the date column right before a grain is its date."""
    for pos, item in enumerate(w.items):
        prev = w.at(pos - 1)
        if item.mkind != "grain" or prev is None or pos - 1 in w.used or names_table(prev):
            continue
        if prev.kind in {"schema", "value"} and any(c.ckind == "date" for c in prev.cands):
            prev.kind = "schema"
            w.slots.grain_of[id(item)] = prev
            w.take(pos - 1)


def _tops(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if item.mkind == "top":
            nxt = w.at(pos + 1)
            w.slots.top_desc = item.mval == "desc"
            w.take(pos)
            if nxt is not None and nxt.kind == "number":
                w.slots.top_limit = _count(nxt)
                w.take(pos + 1)
        elif item.kind == "number" and (nxt := w.at(pos + 1)) is not None and nxt.mkind == "sup":
            w.slots.top_limit = _count(item)
            w.take(pos)
        elif (
            item.kind == "number"
            and (nxt := w.at(pos + 1)) is not None
            and names_table(nxt)
            and nxt.plural
            and any(it.mkind == "sup" for it in w.items[pos + 2 :])
        ):
            w.slots.top_limit = _count(item)  # `the 3 products with the lowest price`
            w.take(pos)


def _count(item: Item) -> int:
    value = item.number
    if not isinstance(value, int) or not 0 < value <= 1000:
        raise refuse_shape(f"use '{item.text}' as a number of rows")
    return value


def _aggregation_list(w: Walk) -> None:
    """`the average, minimum and maximum age`: several aggregates of one measure, named in a
    row (`and` or commas between them), the measure right after the row or right before it."""
    for pos, item in enumerate(w.items):
        if _as_aggregate(item) is None or pos in w.used:
            continue
        run, j, joined = [pos], pos + 1, False
        while (nxt := w.at(j)) is not None:
            after = w.at(j + 1)
            if nxt.marker == "conj:and" and after is not None and _as_aggregate(after):
                run.append(j + 1)
                j, joined = j + 2, True
            elif _as_aggregate(nxt):
                run.append(j)
                j += 1
            else:
                break
        # `the highest average length` ranks an average: a superlative right before an
        # aggregate is part of a list only when the list says `and`.
        ranks = any(
            w.items[a].mkind == "sup" and w.items[b].mkind == "agg" and b == a + 1
            for a, b in pairwise(run)
        )
        if len(run) < 2 or (ranks and not joined):
            continue
        funcs = [_as_aggregate(w.items[k]) or "" for k in run]
        following = w.at(j + 1)
        if following is not None and names_table(following) and following.start == w.items[j].end:
            continue  # `the highest and lowest rated films` lists films
        if len(set(funcs)) != len(funcs):
            raise refuse_shape("compute the same aggregate twice")
        target, before = w.at(j), w.at(pos - 1)
        if w.is_measure_like(target) and target.mkind != "concept":  # type: ignore[union-attr]
            w.take(j)
        elif w.is_measure_like(before) and before.mkind != "concept" and pos - 1 not in w.used:  # type: ignore[union-attr]
            target = before
            w.take(pos - 1)
        else:
            raise refuse_shape("tell what to compute the aggregates of")
        aged = any(w.items[k].marker.endswith(":age") for k in run)
        if aged and not names_numbers(target):  # type: ignore[arg-type]
            # `the oldest and youngest birth dates`: the oldest is the earliest date
            raise refuse_shape("tell whether 'oldest' means the largest age or the earliest date")
        w.take(*range(pos, j))
        w.slots.aggs, w.slots.agg, w.slots.measure = funcs, funcs[0], target
        w.slots.agg_word = " ".join(w.items[k].text.lower() for k in run)
        return


# Superlatives that read as an aggregate in a list of them: `the lowest, highest and average`.
_EXTREMES = {
    "sup:desc": "max",
    "sup:asc": "min",
    "sup:desc:length": "max",
    "sup:asc:length": "min",
    "sup:asc:age": "max",
    "sup:desc:age": "min",
    "sup:asc:date": "min",
    "sup:desc:date": "max",
    "sup:asc:price": "min",
    "sup:desc:price": "max",
    "sup:asc:weight": "min",
    "sup:desc:weight": "max",
    "sup:desc:height": "max",
}  # fmt: skip  (an age: oldest is most)


def _as_aggregate(item: Item) -> str | None:
    if item.mkind == "agg":
        return item.mval
    return _EXTREMES.get(item.marker)


def _aggregations(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if item.mkind != "agg" or pos in w.used:
            continue
        if w.slots.agg is not None:
            again = w.at(pos + 1)
            if item.mval == w.slots.agg and (
                not w.is_measure_like(again) or same_thing(again, w.slots.measure)
            ):
                # `... Show the department name and the count (of stores).`: said again
                w.take(pos, *([pos + 1] if w.is_measure_like(again) else []))
                continue
            prev, target = w.at(pos - 1), w.at(pos + 1)
            if (
                prev is not None
                and prev.marker == "conj:and"
                and w.is_measure_like(target)
                and pos + 1 not in w.used
                and not w.slots.aggs
            ):
                # `the number of transactions and the total amount`
                w.slots.more.append((item.mval, target))  # type: ignore[arg-type]
                w.take(pos - 1, pos, pos + 1)
                continue
            raise refuse_shape("compute two aggregates in one question")
        w.slots.agg, w.slots.agg_word = item.mval, item.text.lower()
        w.take(pos)
        j = pos + 1
        while (nxt := w.at(j)) is not None and (
            nxt.kind in {"value", "proper", "date"}
            or nxt.mkind in {"distinct", "neg"}
            or (nxt.mkind == "conj" and j > pos + 1 and _between_values(w, j))
            or adjective(nxt)
        ):
            if nxt.mkind == "distinct":
                w.slots.distinct = True
                w.take(j)
            j += 1
        rated = w.at(j + 1)
        if (
            (num := w.at(j)) is not None
            and num.kind == "number"
            and rated is not None
            and names_column(rated)
            and rated.start == num.end
        ):
            j += 2  # `how many 5-star reviews`: the reviews are counted
        target = w.at(j)
        if target is not None and (w.is_measure_like(target)):
            w.slots.measure = target
            w.take(j)
        elif w.is_measure_like(prev := w.at(pos - 1)) and pos - 1 not in w.used:
            w.slots.measure = prev
            w.take(pos - 1)


def _tables_of(item: Item) -> set[str]:
    top = max(c.strength for c in item.cands)
    return {c.table for c in item.cands if c.kind == "table" and c.strength == top}


def _between_values(w: Walk, j: int) -> bool:
    """`female and male`: a conjunction joining two values."""
    before, after = w.at(j - 1), w.at(j + 1)
    return before is not None and after is not None and before.kind == after.kind == "value"


def _superlatives(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if item.mkind != "sup" or pos in w.used:
            continue
        if w.slots.sup is not None:
            raise refuse_shape("rank by two things at once")
        w.slots.sup = item
        w.take(pos)
        role = item.mval.split(":", 1)[1] if ":" in item.mval else ""
        nxt, prev = w.at(pos + 1), w.at(pos - 1)
        after = w.at(pos + 2)
        if (
            nxt is not None
            and after is not None
            and names_table(nxt)
            and names_column(after)
            and after.start == nxt.end
            and not after.boundary
            and not role
            and pos + 2 not in w.used
        ):
            # `the highest savings balance`: the balance of SAVINGS, not the most SAVINGS rows
            tables = {c.table for c in nxt.cands if c.kind == "table"}
            own = [c for c in after.cands if c.kind == "column" and c.table in tables]
            if own:
                after.cands = own
                w.slots.sup_key = after
                w.take(pos + 1, pos + 2)
                continue
        if role == "count":
            continue  # `the most common visit type`: the type is ranked, by how many rows
        if role:
            if nxt is not None and names_column(nxt) and pos + 1 not in w.used:
                w.slots.sup_key = nxt
                w.take(pos + 1)
            continue
        if w.is_measure_like(nxt) and pos + 1 not in w.used:
            w.slots.sup_key = nxt
            w.take(pos + 1)
        elif nxt is not None and nxt.mkind == "agg" and w.slots.measure is not None:
            w.slots.sup_key = w.slots.measure
        elif w.is_measure_like(prev) and pos - 1 not in w.used:
            w.slots.sup_key = prev
            w.take(pos - 1)
        elif w.slots.measure is not None and w.slots.agg is None:
            w.slots.sup_key = w.slots.measure
        else:
            raise refuse_shape(f"tell what '{item.text}' refers to")


def _groups_and_sorting(w: Walk) -> None:
    ranking = w.slots.top_desc is not None or w.slots.sup is not None
    ranking = ranking or any(it.mkind == "dir" for it in w.items)
    for pos, item in enumerate(w.items):
        if pos in w.used or item.mkind not in {"group", "sort", "dir"}:
            continue
        if item.mkind == "dir":
            direction, _, w.slots.order_role = item.mval.partition(":")
            w.slots.order_desc = direction == "desc"
            w.slots.order_word = item.text.lower()
            w.take(pos)
            continue
        nxt = w.at(pos + 1)
        if item.text.lower() == "by" and nxt is not None and nxt.kind in {"value", "proper"}:
            w.take(pos)  # `recipes by Arjun Mehta`: who made them, not a grouping
            continue
        is_sort = item.mkind == "sort" or (item.text.lower() == "by" and ranking)
        if is_sort:
            if nxt is None or not (w.is_measure_like(nxt) or nxt.mkind == "agg"):
                if nxt is not None and nxt.mkind == "dir":
                    continue
                raise refuse_shape(f"tell what to sort by after '{item.text}'")
            if nxt.mkind == "agg":
                w.slots.order_key = w.slots.measure
            else:
                w.slots.order_key = nxt
                w.take(pos + 1)
            w.take(pos)
            continue
        keys = []
        j = pos + 1
        while (key := w.at(j)) is not None and (key.kind == "schema" or key.mkind == "grain"):
            keys.append(key)
            w.take(j)
            conj = w.at(j + 1)
            if conj is None or conj.marker != "conj:and":
                break
            following = w.at(j + 2)
            if following is None or not (following.kind == "schema" or following.mkind == "grain"):
                break
            w.take(j + 1)
            j += 2
        if not keys:
            if nxt is not None and nxt.mkind == "agg":
                continue
            if item.text.lower() == "each" and nxt is None and w.slots.top_limit is not None:
                w.take(pos)  # `the top 5 actors ..., with how many films each was in`
                continue
            raise refuse_shape(f"tell what to group by after '{item.text}'")
        w.take(pos)
        w.slots.groups.extend(keys)


def _rest(w: Walk) -> None:
    """Leftovers: free schema items, implicit measures, grains; refuse stray markers."""
    for pos, item in enumerate(w.items):
        if pos in w.used:
            continue
        if item.kind == "schema":
            compared = [c.column for c in w.slots.comparisons if c.column is not None]
            near = [
                c
                for c in compared
                if same_thing(item, c) and max(c.start - item.end, item.start - c.end) <= 4
            ]
            if (
                near
                and item.lead != "and"  # `name and capacity`: shown as well
                and not item.boundary
                and any(names_table(it) for it in w.items if it is not item)
            ):
                continue  # `tickets with an SLA of more than 24 hours`: one column, said twice
            w.slots.free.append(item)
        elif item.mkind == "concept":
            measure = w.slots.measure
            if (
                item.mval == "sold"
                and measure is not None
                and any(
                    c.column and "quantity" in split_identifier(c.column) for c in measure.cands
                )
            ):
                continue  # `quantity ... sold`
            if w.slots.measure is not None:
                raise refuse_shape(f"tell how '{item.text}' relates to the rest of the question")
            w.slots.measure = item
        elif item.mkind == "grain":
            w.slots.groups.append(item)
        elif item.mkind == "distinct":
            w.slots.distinct = True
        elif item.mkind == "wide":
            w.slots.wide = True
        elif item.marker == "conj:or":
            raise refuse_shape("combine conditions with 'or'")
        elif item.mkind in {"conj", "named", "dir"}:
            continue
        elif item.kind == "number":
            raise refuse_shape(f"tell what the number {item.text} refers to")
        else:
            raise refuse_shape(f"place '{item.text}' in the question")
