"""The policies of one source, compiled once and applied to each guarded query.

`SourcePolicy.enforce` is the pipeline's single call between the SQL guard and execution:
column checks, then the rewrite that filters rows and drops or masks columns, returning the
tree to cap and run with the parameters to bind.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from data_assistant import engines
from data_assistant.auth.principal import Principal
from data_assistant.engines import Engine
from data_assistant.errors import ConfigError, GuardRejection
from data_assistant.guard.column_policy import (
    ColumnRules,
    check_columns,
    filter_schema,
    projection,
)
from data_assistant.guard.inheritance import policy_family
from data_assistant.guard.names import matching_keys, real_table_refs
from data_assistant.guard.row_policy import (
    RowPredicate,
    TableRule,
    apply_table_rules,
    compile_predicate,
    predicate_columns,
)
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.settings import SourcePolicies


@dataclass(frozen=True)
class PolicyResult:
    """A query with the source's policies applied, and the values its parameters take."""

    expression: exp.Expression
    params: dict[str, Any]


class SourcePolicy:
    """Row and column policies of one source, in its SQL dialect."""

    def __init__(self, name: str, policies: SourcePolicies, *, dialect: str | Engine) -> None:
        self.name = name
        self.settings = policies
        self.engine = engines.get(dialect)
        self.dialect = self.engine.sqlglot_dialect
        self.predicates: dict[str, RowPredicate] = {}
        self.columns: dict[str, ColumnRules] = {}
        for table, rule in policies.tables.items():
            where = f"sources.{name}.policies.tables.{table}"
            if rule.rows:
                try:
                    self.predicates[table] = compile_predicate(rule.rows, self.engine)
                except ValueError as exc:
                    raise ConfigError(f"{where}.rows: {exc}") from None
            columns = ColumnRules.of(rule.deny_columns, rule.mask_columns, rule.mask)
            if columns:
                self.columns[table] = columns
        self._checked: SchemaSnapshot | None = None
        self._projections: dict[str, tuple[exp.Expression, ...]] = {}
        self._closed_views: dict[str, str] = {}
        # With partitions and inheritance children, which take their parent's rules.
        self._predicates: dict[str, RowPredicate] = {}
        self._columns: dict[str, ColumnRules] = {}
        self._closed_kinds: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return bool(self.predicates or self.columns)

    def schema_for(self, snapshot: SchemaSnapshot) -> SchemaSnapshot:
        """What the translator may see of `snapshot`."""
        if not self.active:
            return snapshot
        self._prepare(snapshot)
        return filter_schema(
            snapshot,
            denied_tables=self._closed_views.keys(),
            denied_columns={t: r.deny for t, r in self._columns.items()},
            masked_columns={t: r.mask.keys() for t, r in self._columns.items()},
            row_filtered_tables=self._predicates.keys(),
        )

    def enforce(
        self,
        expression: exp.Expression,
        *,
        principal: Principal | None = None,
        claims: Mapping[str, Any] | None = None,
        snapshot: SchemaSnapshot,
        copy: bool = True,
    ) -> PolicyResult:
        """`expression` (already guarded) with the policies applied; raises GuardRejection
        for a denied or misused column, Forbidden for a claim the principal lacks.

        `copy=False` rewrites `expression` in place, saving a copy of the whole tree when
        the caller has no further use for the original.
        """
        if not self.active:
            return PolicyResult(expression, {})
        self._prepare(snapshot)
        if claims is None:
            claims = principal.claims if principal is not None else {}
        self._check_views(expression)
        check_columns(expression, dialect=self.engine, rules=self._columns)
        rules = {
            table: TableRule(
                predicate=self._predicates.get(table), projection=self._projections.get(table)
            )
            for table in self._predicates.keys() | self._columns.keys()
        }
        tree, params = apply_table_rules(
            expression,
            dialect=self.engine,
            rules=rules,
            claims=claims,
            copy=copy,
            barrier=self.settings.barrier,
        )
        return PolicyResult(tree, params)

    def _prepare(self, snapshot: SchemaSnapshot) -> None:
        """Check the policies against the tables once per snapshot; a typo fails closed."""
        if self._checked is snapshot:
            return
        with self._lock:
            if self._checked is snapshot:
                return
            where = f"sources.{self.name}.policies.tables"
            for table, predicate in self.predicates.items():
                found = snapshot.table(table)
                missing = sorted(
                    c for c in predicate_columns(predicate) if found and found.column(c) is None
                )
                if missing:
                    raise ConfigError(f"{where}.{table}.rows: no column {', '.join(missing)}")
            # Partitions and inheritance children take their parent's rules; a parent of a
            # ruled table without rules of its own is closed (guard/inheritance.py).
            below, above = policy_family(snapshot, self.predicates.keys() | self.columns.keys())
            predicates, columns = dict(self.predicates), dict(self.columns)
            for child, origin in below.items():
                configured = _configured(origin, self.predicates.keys() | self.columns.keys())
                if configured in self.predicates:
                    predicates[child] = self.predicates[configured]
                if configured in self.columns:
                    columns[child] = self.columns[configured]
            projections = {}
            for table, rules in columns.items():
                found = snapshot.table(table)
                if found is None:
                    raise ConfigError(f"{where}.{table}: no such table")
                unknown = sorted(
                    c for c in rules.deny | rules.mask.keys() if found.column(c) is None
                )
                if unknown:
                    raise ConfigError(f"{where}.{table}: no column {', '.join(unknown)}")
                projections[table] = projection(found, rules)
            # The database expands a view itself, so no rewrite reaches the tables it reads:
            # under policies a view is closed unless it has a policy of its own or is listed
            # as safe.
            open_views = {
                name.lower() for name in (*self.settings.tables, *self.settings.unfiltered_views)
            }
            self._closed_views = {
                t.qualified_name.lower(): t.qualified_name
                for t in snapshot.tables
                if (t.kind == "view" or t.qualified_name in above)
                and t.qualified_name.lower() not in open_views
                and t.name.lower() not in open_views
            }
            self._closed_kinds = {name: "Table" for name in above}
            self._projections = projections
            self._predicates, self._columns = predicates, columns
            self._checked = snapshot

    def _check_views(self, expression: exp.Expression) -> None:
        if not self._closed_views:
            return
        keys = {_key(name): name for name in self._closed_views}
        for table in real_table_refs(expression, dialect=self.engine):
            for key in matching_keys(table, keys):
                name = self._closed_views[keys[key]]
                raise GuardRejection(
                    f"{self._closed_kinds.get(name, 'View')} '{name}' is not available: row "
                    "and column policies cannot reach the tables it reads."
                )


def _key(name: str) -> tuple[str | None, str]:
    db, _, table = name.casefold().rpartition(".")
    return (db or None, table)


def _configured(qualified: str, names: Collection[str]) -> str:
    """The configured name (`orders` or `sales.orders`) a snapshot's qualified name has."""
    folded = qualified.casefold()
    bare = folded.rpartition(".")[2]
    return next((n for n in names if n.casefold() in (folded, bare)), qualified)
