"""The schema snapshot of a SQL source: tables, columns, keys and sample values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = True
    primary_key: bool = False
    comment: str | None = None
    # Up to 20 distinct values of a low-cardinality text column, else empty.
    samples: tuple[str, ...] = ()
    # A text column: whether the values read hold ISO dates (`2001-09-09...`); None: unknown.
    iso_dates: bool | None = None


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    ref_schema: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    schema: str | None = None
    kind: str = "table"  # "table" or "view"
    comment: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Qualified names of the tables this one is a partition or inheritance child of.
    parents: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        """`schema.name` when the table lives outside the default schema, else `name`."""
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> Column | None:
        """The column called `name` (case-insensitive), or None."""
        lowered = name.lower()
        return next((c for c in self.columns if c.name.lower() == lowered), None)


@dataclass(frozen=True)
class GlossaryTerm:
    """A business term and what it means in this schema, as SQL of the source's dialect.

    A `filter` is a condition on rows of `table` ("active customer"); an `expression` a
    value computed from columns of `table` ("net revenue"). Relative dates are already
    resolved to literal dates.
    """

    name: str
    kind: str  # "filter" or "expression"
    sql: str
    table: str
    description: str | None = None
    synonyms: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        """The term and its synonyms, as a question may say them."""
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class SchemaSnapshot:
    """What a source holds, as introspected once and cached."""

    source: str
    dialect: str
    tables: tuple[Table, ...] = field(default_factory=tuple)
    # The latest date held in any date column (ISO, never after the day it was read):
    # relative periods such as "last 30 days" count back from it on data that stopped.
    latest_date: str | None = None
    # Business terms of the organisation's glossary (knowledge/), for both translators.
    terms: tuple[GlossaryTerm, ...] = ()

    def table(self, name: str) -> Table | None:
        """The table called `name` or `schema.name` (case-insensitive), or None."""
        lowered = name.lower()
        return next(
            (
                t
                for t in self.tables
                if t.qualified_name.lower() == lowered or t.name.lower() == lowered
            ),
            None,
        )

    def table_names(self) -> set[str]:
        """Qualified names of every table and view, as the catalog spells them."""
        return {t.qualified_name for t in self.tables}

    def to_dict(self) -> dict:
        """A JSON-ready form, for `data-assistant schema` and the API."""
        return asdict(self)
