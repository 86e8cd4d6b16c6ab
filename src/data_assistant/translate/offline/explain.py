"""Explanations: one line saying how the question was read."""

from __future__ import annotations

from datetime import date, timedelta

from data_assistant.translate.offline.intent import Filter, GroupKey, Intent, Related

_PATTERNS = {"starts": "starts with", "ends": "ends with", "contains": "contains"}
_SIGNS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def _value(v: object) -> str:
    return repr(v) if isinstance(v, str) else str(v)


def describe_filter(f: Filter) -> str:
    """`customers.country = 'Germany'`, `orders.order_date in 2024 (2024-01-01 to 2024-12-31)`."""
    col = str(f.column)
    if f.op in _SIGNS:
        return f"{col} {_SIGNS[f.op]} {_value(f.values[0])}"
    if f.op in {"in", "not_in"}:
        values = ", ".join(_value(v) for v in f.values)
        return f"{col} {'not in' if f.op == 'not_in' else 'in'} ({values})"
    if f.op in _PATTERNS:
        return f"{col} {_PATTERNS[f.op]} {_value(f.values[0])} (any case)"
    if f.op == "between":
        return f"{col} between {_value(f.values[0])} and {_value(f.values[1])}"
    if f.op == "range" and f.date_range is not None:
        rng = f.date_range
        text = (
            rng.text
            if rng.text.startswith(("since", "after", "before", "up to"))
            else f"in {rng.text}"
        )
        if rng.start is not None and rng.end is not None:
            last = rng.end - timedelta(days=1)
            span = rng.start.isoformat() if last == rng.start else f"{rng.start} to {last}"
            if span != rng.text:
                text += f" ({span})"
        return f"{col} {text}"
    words = {
        "null": "is empty", "not_null": "is set", "true": "is true", "false": "is false",
        "zero": "is 0 or empty", "above_avg": "above its average over all rows",
        "below_avg": "below its average over all rows",
        "is_max": "is its highest value (all rows that have it)",
        "is_min": "is its lowest value (all rows that have it)",
    }  # fmt: skip
    return f"{col} {words.get(f.op, f.op)}"


def _group(key: GroupKey) -> str:
    if key.entity is not None:
        return key.entity
    if key.grain is not None:
        return f"{key.grain} of {key.column}"
    return str(key.column)


def _related(rel: Related) -> str:
    where = " and ".join(describe_filter(f) for f in rel.filters)
    where = f" where {where}" if where else ""
    if rel.kind == "none":
        return f"that have no {rel.table}{where}"
    if rel.kind == "some":
        return f"that have {rel.table}{where}"
    assert rel.measure is not None and rel.op is not None
    return f"whose {rel.measure.describe()}{where} {_SIGNS[rel.op]} {rel.value}"


def explain(intent: Intent, today: date | None = None, reference: str = "today") -> str:
    """One line: what is computed, over what, grouped and filtered how, in what order."""
    if intent.kind == "aggregate" and intent.measure is not None and intent.rank_only:
        groups = ", ".join(_group(k) for k in intent.group_by)
        head = f"{groups} ranked by {intent.measure.describe()} (not shown)"
        if intent.order is None:
            head = f"distinct {groups}"
    elif intent.kind == "aggregate" and intent.measure is not None:
        head = ", ".join(m.describe() for m in (intent.measure, *intent.extra))
        if intent.group_by:
            head += " grouped by " + ", ".join(_group(k) for k in intent.group_by)
    elif intent.select:
        cols = ", ".join(str(c) for c in intent.select)
        head = f"{'distinct ' if intent.kind == 'distinct' else ''}{cols}"
    elif intent.wide:
        head = f"every column of {intent.subject}"
    else:
        head = f"rows of {intent.subject}"
    parts = [head]
    conditions = [describe_filter(f) for f in intent.filters]
    if conditions:
        parts.append("where " + " and ".join(conditions))
    if intent.having is not None and intent.measure is not None:
        op, number = intent.having
        parts.append(f"keeping groups whose {intent.measure.describe()} {_SIGNS[op]} {number}")
    parts += [_related(r) for r in intent.related]
    if intent.self_link is not None:
        link = intent.self_link
        where = " and ".join(describe_filter(f) for f in link.filters)
        parts.append(f"whose {link.outer.column} is the {link.inner.column} of the row where")
        parts[-1] += f" {where}"
    if intent.order is not None:
        key = str(intent.order.column) if intent.order.column is not None else "that value"
        parts.append(f"sorted by {key} {'highest' if intent.order.desc else 'lowest'} first")
    if intent.limit is not None:
        parts.append(f"first {intent.limit}")
    line = ", ".join(parts)
    notes = list(intent.notes)
    if today is not None:
        marker = "counted back from today"
        notes = [n.replace(marker, f"counted back from {reference} ({today})") for n in notes]
    if notes:
        line += "; " + "; ".join(notes)
    return line
