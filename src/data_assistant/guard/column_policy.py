"""Column policies: denied columns are never read, masked columns read as a mask.

Both are enforced by the table rewrite of guard/row_policy.py: a protected table becomes a
derived table that lists its columns without the denied ones and with each masked one
replaced by its mask (`'***' AS ssn`). So `SELECT *`, `t.*`, a whole-row reference or a
masked column in WHERE, JOIN, GROUP BY or ORDER BY can show nothing but the mask.

`check_columns` runs first so that a query naming such a column fails with a reason the
translator can act on, instead of quietly filtering on a mask: a denied column may not
appear anywhere, a masked one only as a plain column of a select list.
`mask_rows` masks result rows by column name, for surfaces that cannot rewrite a query.
`filter_schema` keeps denied columns, and the sample values of masked columns and of
row-filtered tables, out of what the translator is shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlglot import exp

from data_assistant.engines import Engine
from data_assistant.errors import GuardRejection
from data_assistant.guard.names import (
    matching_keys,
    policy_key,
    real_table_refs,
    reference_key,
)
from data_assistant.guard.row_policy import POLICY_ALIAS
from data_assistant.schema.model import SchemaSnapshot, Table


@dataclass(frozen=True)
class ColumnRules:
    """The denied and masked columns of one table (names lower-cased)."""

    deny: frozenset[str] = frozenset()
    mask: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, deny: Collection[str] = (), mask: Collection[str] = (), value: str = "***"):
        """Rules from column lists, every masked column reading as `value`."""
        return cls(
            deny=frozenset(c.casefold() for c in deny), mask={c.casefold(): value for c in mask}
        )

    def __bool__(self) -> bool:
        return bool(self.deny or self.mask)


def check_columns(
    expression: exp.Expression, *, dialect: str | Engine, rules: Mapping[str, ColumnRules]
) -> None:
    """Raise GuardRejection if the query names a denied column, or a masked one outside a
    select list, of a protected table it reads."""
    keys = {policy_key(name): name for name, rule in rules.items() if rule}
    if not keys:
        return
    present: dict[str, set[str]] = {}  # table in rules -> names it is known by in the query
    others: set[str] = set()
    for table in real_table_refs(expression, dialect=dialect):
        matched = matching_keys(table, keys)
        for key in matched:
            known = {reference_key(table), table.name.casefold()}
            present.setdefault(keys[key], set()).update(known)
        if not matched:
            others.add(reference_key(table))
    if not present:
        return
    derived = {
        alias.name.casefold()
        for alias in expression.find_all(exp.TableAlias)
        if not isinstance(alias.parent, exp.Table)
    }
    for column in expression.find_all(exp.Column):
        if isinstance(column.this, exp.Star):
            continue
        name, qualifier = column.name.casefold(), column.table.casefold()
        for rule_name, known_as in present.items():
            rule = rules[rule_name]
            if name not in rule.deny and name not in rule.mask:
                continue
            if qualifier in others and qualifier not in known_as and qualifier not in derived:
                continue  # a column of another real table that happens to share the name
            if name in rule.deny:
                raise GuardRejection(f"Column '{name}' of table '{rule_name}' is not available.")
            if not _in_select_list(column):
                raise GuardRejection(
                    f"Column '{name}' of table '{rule_name}' is masked: it may be selected but "
                    "not used to filter, join, group or sort."
                )


def projection(table: Table, rules: ColumnRules) -> tuple[exp.Expression, ...]:
    """The select list of the derived table: visible columns, masks in place of masked ones."""
    out: list[exp.Expression] = []
    for column in table.columns:
        lowered = column.name.casefold()
        if lowered in rules.deny:
            continue
        ident = exp.to_identifier(column.name, quoted=True)
        if lowered in rules.mask:
            out.append(
                cast(exp.Expression, exp.alias_(exp.Literal.string(rules.mask[lowered]), ident))
            )
        else:
            out.append(exp.column(ident, table=exp.to_identifier(POLICY_ALIAS)))
    if not out:
        raise GuardRejection(f"Table '{table.qualified_name}' has no column you may read.")
    return tuple(out)


def mask_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], masks: Mapping[str, str]
) -> list[list[Any]]:
    """Rows with each value of a column named in `masks` (case-insensitive) replaced."""
    lowered = {name.lower(): mask for name, mask in masks.items()}
    where = [(i, lowered[c.lower()]) for i, c in enumerate(columns) if c.lower() in lowered]
    if not where:
        return [list(row) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for index, mask in where:
            if values[index] is not None:
                values[index] = mask
        out.append(values)
    return out


def filter_schema(
    snapshot: SchemaSnapshot,
    denied_tables: Collection[str] = (),
    denied_columns: Mapping[str, Collection[str]] | None = None,
    *,
    masked_columns: Mapping[str, Collection[str]] | None = None,
    row_filtered_tables: Collection[str] = (),
) -> SchemaSnapshot:
    """The snapshot the translator sees: no denied table or column, and no sample values
    from masked columns or row-filtered tables (samples are real values of other rows)."""
    gone = {t.lower() for t in denied_tables}
    deny = _by_table(denied_columns)
    mask = _by_table(masked_columns)
    filtered = {t.lower() for t in row_filtered_tables}
    tables = []
    for table in snapshot.tables:
        names = _names(table)
        if names & gone:
            continue
        hidden = set().union(*(deny.get(n, ()) for n in names))
        masked = set().union(*(mask.get(n, ()) for n in names))
        no_samples = bool(names & filtered)
        columns = tuple(
            dataclasses.replace(c, samples=()) if no_samples or c.name.lower() in masked else c
            for c in table.columns
            if c.name.lower() not in hidden
        )
        keys = tuple(
            fk
            for fk in table.foreign_keys
            if not ({c.lower() for c in fk.columns} & hidden)
            and fk.ref_table.lower() not in gone
            and not ({c.lower() for c in fk.ref_columns} & _hidden_of(fk.ref_table, deny))
        )
        tables.append(dataclasses.replace(table, columns=columns, foreign_keys=keys))
    return dataclasses.replace(snapshot, tables=tuple(tables))


def _in_select_list(column: exp.Column) -> bool:
    node: exp.Expression = column
    if isinstance(node.parent, exp.Alias) and node.arg_key == "this":
        node = node.parent
    return isinstance(node.parent, exp.Select) and node.arg_key == "expressions"


def _names(table: Table) -> set[str]:
    return {table.name.lower(), table.qualified_name.lower()}


def _by_table(mapping: Mapping[str, Collection[str]] | None) -> dict[str, set[str]]:
    return {t.lower(): {c.lower() for c in cols} for t, cols in (mapping or {}).items()}


def _hidden_of(table: str, deny: Mapping[str, set[str]]) -> set[str]:
    return deny.get(table.lower(), set())
