"""Filter bindings: comparisons, dates, values, negations and empty checks, found in the items."""

from __future__ import annotations

from data_assistant.translate.offline.slots import (
    Comparison,
    Having,
    ValueFilter,
    Walk,
    adjective,
    nearest_table,
    refuse_shape,
)
from data_assistant.translate.offline.tagger import Item, names_column, names_numbers, names_table
from data_assistant.translate.offline.text import split_identifier, variants


def bind_comparisons(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if pos in w.used:
            continue
        if item.mkind == "vsavg":
            _versus_average(w, pos, item)
            continue
        if item.mkind == "cmp" and (num := w.at(pos + 1)) is not None and num.kind == "number":
            op, last = item.mval, pos + 1
        elif item.kind == "number" and (post := w.at(pos + 1)) is not None and post.mkind == "post":
            op, last, num = post.mval, pos + 1, item
        elif item.kind == "range":
            op, last, num = "between", pos, item
        else:
            continue
        w.take(*range(pos, last + 1))
        assert num.number is not None
        before, after = w.at(pos - 1), w.at(last + 1)
        counted = last + 1
        while (it := w.at(counted)) is not None and (it.kind == "value" or adjective(it)):
            counted += 1  # `more than 5 female students`: the students, the female ones
        target = w.at(counted) if counted > last + 1 and counted not in w.used else None
        if target is not None and names_table(target) and num.upper is None:
            w.slots.havings.append(Having(target, op, num.number))
            w.take(counted)
            continue
        free_after = after is not None and last + 1 not in w.used
        if (
            after is not None
            and free_after
            and num.upper is None
            and (names_table(after) or after.mkind == "concept")
        ):
            w.slots.havings.append(Having(after, op, num.number))
            w.take(last + 1)
        elif (
            after is not None
            and free_after
            and names_column(after)
            and (
                before is None
                or not names_column(before)
                # `years with more than 4000 working horses`: the column said right after
                # the number is compared, the one before `with` is shown
                or (before.end < item.start and after.start == num.end and names_numbers(after))
            )
        ):
            w.slots.comparisons.append(
                Comparison(after, op, num.number, num.upper, num.money, num.text)
            )
            w.take(last + 1)
        elif (
            before is not None
            and names_table(before)
            and (after is None or after.kind == "marker" or after.boundary)
        ):
            # `transactions over 1500`: the amount of each, when the rows have one money column
            # (`pilots over 30`: their age, when they have no money column)
            w.slots.comparisons.append(
                Comparison(None, op, num.number, num.upper, num.money, num.text)
            )
        elif before is not None and before is w.slots.measure and num.upper is None:
            w.slots.havings.append(Having(before, op, num.number))
        elif before is not None and names_column(before) and pos - 1 not in w.used:
            w.slots.comparisons.append(
                Comparison(before, op, num.number, num.upper, num.money, num.text)
            )
            w.take(pos - 1)
        elif before is not None and before.mkind == "concept" and pos - 1 not in w.used:
            w.slots.havings.append(Having(before, op, num.number))
            w.take(pos - 1)
        elif num.money:
            w.slots.comparisons.append(Comparison(None, op, num.number, num.upper, True, num.text))
        else:
            raise refuse_shape(f"tell what '{item.text} {num.text}' compares")


def bind_values(w: Walk) -> None:
    pos = 0
    while pos < len(w.items):
        item = w.items[pos]
        if pos in w.used or item.kind not in {"value", "proper", "quoted"}:
            pos += 1
            continue
        group, end = [item], pos + 1
        while (
            (conj := w.at(end)) is not None
            and conj.mkind == "conj"
            and (other := w.at(end + 1)) is not None
            and other.kind == item.kind
            and end + 1 not in w.used
        ):
            group.append(other)
            end += 2
        w.take(*range(pos, end))
        vf = ValueFilter(group, joined=w.items[pos + 1].mval if len(group) > 1 else "")
        prev, nxt = w.at(pos - 1), w.at(end)
        if prev is not None and prev.marker == "both:" and vf.joined == "and":
            vf.joined = "all"  # `both ginger and chili`: each of them, not either
            w.take(pos - 1)
            prev = w.at(pos - 2)
        if prev is not None and prev.mkind == "neg" and pos - 1 not in w.used:
            vf.negated = True
            w.take(pos - 1)
            prev = w.at(pos - 2)
        if prev is not None and prev.mkind == "named":
            before = w.at(pos - 2)
            w.take(pos - 1)
            if before is not None and names_table(before):
                vf.label_of = before
            else:
                vf.label_of = nearest_table(w, pos)
        elif (
            prev is not None
            and prev.kind == "schema"
            and item.kind != "value"
            and names_column(prev)
            and not _describes_next_table(item, w.items[end - 1], nxt)
            and not _names_next_row(w.items[end - 1], nxt)
            and (prev.end == item.start or item.lead in {"is", "was", "are", "were", "be"})
        ):
            vf.column = prev
            w.take(pos - 1)
        elif prev is not None and prev.kind == "schema" and item.kind == "value":
            refs = {(h.column.table, h.column.column) for h in item.hits}
            top = max(c.strength for c in prev.cands)
            strong = [c for c in prev.cands if c.kind == "column" and c.strength == top]
            if any((c.table, c.column) in refs for c in strong):
                vf.column = prev
                w.take(pos - 1)
            elif pos - 1 not in w.used and names_column(prev):
                forms = {f for word in prev.text.lower().split() for f in variants(word)}
                # Only a modifier word of the column's name: `ship` of ShipCountry.
                names = {w_ for h in item.hits for w_ in split_identifier(h.column.column)[:-1]}
                if forms & names:
                    vf.modifier = forms
                    w.take(pos - 1)
        if item.kind == "value" and vf.column is None and nxt is not None and nxt.kind == "schema":
            refs = {(h.column.table, h.column.column) for h in item.hits}
            columns = [c for c in nxt.cands if c.kind == "column"]
            if any((c.table, c.column) in refs for c in columns):
                vf.column = nxt  # `the web channel`
                w.take(end)
            elif (
                names_column(nxt)
                and nxt.plural  # `the tennis club description` is the club's own
                and not nxt.boundary
                and nxt.start == w.items[end - 1].end
                and end not in w.used
                and {c.table for c in columns} <= {t for t, _ in refs}
            ):
                # `rooms with king beds`: King is a bed type, and `beds` (a count) is not
                # what the rooms are listed by; which column the words mean is unsure
                raise refuse_shape(f"tell how '{item.text} {nxt.text}' fits the question")
        if item.kind != "value" and vf.column is None and vf.label_of is None:
            last = w.items[end - 1]
            if nxt is not None and names_table(nxt) and nxt.start == last.end and not nxt.boundary:
                vf.label_of = nxt
            elif prev is not None and names_table(prev) and prev.end == item.start:
                vf.label_of = prev
            elif (
                nxt is not None
                and names_column(nxt)
                and nxt.start == last.end
                and not nxt.boundary
                and not nxt.plural  # `Computer Science majors` are not its major
            ):
                vf.owner_of = nxt  # `Raj Adams's email address`
            elif (
                item.lead in {"of", "for"}
                and w.slots.agg is None  # `average salary for Marketing`: a group, maybe
                and (nxt is None or nxt.boundary)
                and prev is not None
                and names_column(prev)
                and item.start - prev.end <= 2  # `of`, `for the`
            ):
                vf.owner_of = prev  # `the phone number of Atlas Pharma`: the row it names
            elif (
                item.lead in {"does", "do", "did"}
                and prev is not None
                and names_column(prev)
                and item.start - prev.end == 1
                and (nxt is None or nxt.boundary)
            ):
                vf.owner_of = prev  # `how many calories does Punjabi Duck Burger have`
            elif item.lead in {"in", "from", "at"}:
                vf.location = True
            else:
                raise refuse_shape(f"tell which column '{item.text}' is in")
        w.slots.values.append(vf)
        pos = end


def _names_next_row(last: Item, nxt: Item | None) -> bool:
    """`the city the Marketing department is in`: a name right before a singular table names
    that row, whatever column came before it."""
    return nxt is not None and names_table(nxt) and nxt.start == last.end and not nxt.plural


def _describes_next_table(item: Item, last: Item, nxt: Item | None) -> bool:
    """`surname of Finnish drivers`: the name describes the drivers; the surname is what is
    shown, not the column that holds 'Finnish'."""
    return item.lead == "of" and nxt is not None and names_table(nxt) and nxt.start == last.end


def bind_dates(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if item.kind != "date":
            continue
        w.take(pos)
        prev = w.at(pos - 1)
        if prev is not None and prev.mkind == "dateverb":
            w.take(pos - 1)  # `issued in March`: on the rows' one date (checked when resolved)
            w.slots.verb_dates[id(item)] = prev.text
            prev = w.at(pos - 2)
            pos -= 1
        if prev is not None and prev.mkind == "neg":
            raise refuse_shape(f"exclude the dates '{item.text}'")
        hint = None
        # `tracks that opened before 1960`: a year column (Year_Opened) dates them too
        dated = prev is not None and any(
            c.ckind == "date" or (c.ckind == "number" and "year" in (c.column or "").lower())
            for c in prev.cands
        )
        dated = dated and not names_table(prev)  # type: ignore[arg-type]
        if prev is not None and pos - 1 not in w.used and dated:
            hint = prev
            prev.kind = "schema"
            w.take(pos - 1)
        elif prev is not None and names_table(prev):
            hint = prev
            verb = w.at(pos - 2)
            tables = {c.table for c in prev.cands if c.kind == "table"}
            if (
                verb is not None
                and prev.lead != "of"  # `dates of invoices from 1980`: the dates are shown
                and pos - 2 not in w.used
                and verb.cands
                and all(c.ckind == "date" and c.table in tables for c in verb.cands)
            ):
                # `customers who opened an account before 2010`: the account's opened date.
                verb.kind = "schema"
                hint = verb
                w.take(pos - 2)
        w.slots.dates.append((item, hint))


def bind_negations(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if pos in w.used or item.mkind != "neg":
            continue
        nxt = w.at(pos + 1)
        if nxt is None or pos + 1 in w.used or nxt.kind != "schema":
            raise refuse_shape(f"tell what '{item.text}' applies to")
        w.take(pos, pos + 1)
        if names_column(nxt) and not names_table(nxt):
            w.slots.flags.append((nxt, False))
            if item.text.lower() in {"no", "without", "none"}:
                w.slots.lacking.append(nxt)
        elif names_table(nxt):
            linked = w.at(pos + 2)
            if (
                linked is not None
                and pos + 2 not in w.used
                and names_table(linked)
                and linked.start - nxt.end <= 1
                and not linked.boundary
            ):
                # `not assigned to any project`, `never taught a course`: no link row
                # (AssignedTo, teaches), named with what it links to
                w.take(pos + 2)
                w.slots.absent_objects.append((nxt, linked))
            w.slots.absent.append(nxt)
        else:
            raise refuse_shape(f"tell what '{item.text} {nxt.text}' means")


def bind_patterns(w: Walk) -> None:
    """`last name begins with Mc`, `titles containing 'love'`: a text column right before,
    the letters right after."""
    for pos, item in enumerate(w.items):
        if pos in w.used or item.mkind != "like":
            continue
        prev, nxt = w.at(pos - 1), w.at(pos + 1)
        if nxt is None or nxt.kind not in {"quoted", "value", "proper"} or nxt.start != item.end:
            raise refuse_shape(f"tell what '{item.text}' is followed by")
        if prev is None or not names_column(prev) or pos - 1 in w.used:
            # `orders containing Chai`: a link between rows, not letters of a column
            raise refuse_shape(f"tell which column '{item.text} {nxt.text}' is about")
        w.take(pos, pos + 1)
        if any(names_table(it) for it in w.items):
            w.take(pos - 1)  # `customers whose name starts with A`: the customers are listed
        w.slots.patterns.append((prev, item.mval, str(nxt.text)))


def bind_nulls(w: Walk) -> None:
    for pos, item in enumerate(w.items):
        if pos in w.used or item.mkind not in {"null", "notnull"}:
            continue
        is_null = item.mkind == "null"
        prev, nxt = w.at(pos - 1), w.at(pos + 1)
        if prev is not None and names_column(prev) and pos - 1 not in w.used:
            w.take(pos, pos - 1)
            w.slots.nulls.append((prev, is_null))
        elif nxt is not None and names_column(nxt) and pos + 1 not in w.used:
            w.take(pos, pos + 1)
            w.slots.nulls.append((nxt, is_null))
        else:
            raise refuse_shape(f"tell what is '{item.text}'")


def bind_rated_numbers(w: Walk) -> None:
    """`5-star reviews`, `4 stars`: a number right before a number column naming it, then
    (a table, the end, or a break) — the column equals the number."""
    for pos, item in enumerate(w.items):
        col, after = w.at(pos + 1), w.at(pos + 2)
        number = item.number
        if item.kind != "number" or number is None or pos in w.used or col is None:
            continue
        if pos + 1 in w.used:
            continue
        if col.start != item.end or not names_column(col) or col.boundary:
            continue
        if not all(c.ckind == "number" for c in col.cands if c.kind == "column"):
            continue
        if after is not None and not (names_table(after) or after.boundary):
            continue
        w.take(pos, pos + 1)
        w.slots.comparisons.append(Comparison(col, "eq", number, None, False))


def bind_keyed_numbers(w: Walk) -> None:
    """`order 5`, `zip code 94107`, `department number 1 or 4`: a number right after a
    table (its key) or a column (its value), several joined by `or`."""
    for pos, item in enumerate(w.items):
        prev = w.at(pos - 1)
        digits = item.kind == "value" and item.text.isdigit() and prev is not None
        if digits and not names_table(prev):  # type: ignore[arg-type]
            continue  # a sampled value written in digits, after a column, stays a value
        if (item.kind != "number" and not digits) or pos in w.used or prev is None:
            continue
        if pos - 1 in w.used:
            continue
        if digits:
            item.number = int(item.text)
        if prev.kind != "schema" or prev.end != item.start or item.boundary:
            continue
        if names_table(prev) and prev.plural:
            continue
        if max(c.strength for c in prev.cands) < 2:
            continue  # `number` alone is only part of phone_number's name
        numbers, end = [item.number], pos + 1
        while (
            (conj := w.at(end)) is not None
            and conj.marker in {"conj:or", "conj:and"}
            and (other := w.at(end + 1)) is not None
            and (other.kind == "number" or (other.kind == "value" and other.text.isdigit()))
            and end + 1 not in w.used
        ):
            numbers.append(other.number if other.kind == "number" else int(other.text))
            end += 2
        if any(n is None for n in numbers):
            continue
        w.take(pos - 1, *range(pos, end))
        w.slots.keyed.append((prev, [n for n in numbers if n is not None]))


def _versus_average(w: Walk, pos: int, item: Item) -> None:
    """`sales above the average`, `above-average sales`: the number column said right after
    the words, else right before them."""
    before, after = w.at(pos - 1), w.at(pos + 1)
    if (
        after is not None
        and after.start == item.end
        and names_numbers(after)
        and pos + 1 not in w.used
    ):
        target, at = after, pos + 1
    elif before is not None and names_column(before) and pos - 1 not in w.used:
        target, at = before, pos - 1
    else:
        raise refuse_shape(f"tell what '{item.text}' compares")
    w.take(pos, at)
    w.slots.comparisons.append(Comparison(target, item.mval, 0))
