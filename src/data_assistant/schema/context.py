"""The schema context a translator sees: the tables a question needs, within a token budget."""

from __future__ import annotations

import re

from sqlglot import exp

from data_assistant import engines
from data_assistant.schema.model import SchemaSnapshot, Table

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words(text: str) -> set[str]:
    """Lower-case word stems of a name or a question: snake_case and camelCase split."""
    found = set()
    for token in _WORD.findall(_CAMEL.sub(" ", text).lower()):
        found.add(token)
        if len(token) > 3 and token.endswith("ies"):
            found.add(token[:-3] + "y")
        elif len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            found.add(token[:-1])
    return found


def rank_tables(snapshot: SchemaSnapshot, question: str) -> list[Table]:
    """Tables ordered by how much of the question they mention; neighbours by key get a share."""
    asked = words(question)
    scores: dict[str, float] = {}
    for table in snapshot.tables:
        score = 3.0 * len(words(table.name) & asked)
        if words(table.name.lower().rstrip("s")) <= asked:
            # The question names the table itself, not just a part of its name.
            score += 2.0
        for col in table.columns:
            score += len(words(col.name) & asked)
            score += 2.0 * sum(1 for v in col.samples if words(v) and words(v) <= asked)
        if table.comment:
            score += 0.5 * len(words(table.comment) & asked)
        scores[table.qualified_name] = score
    bonus: dict[str, float] = dict.fromkeys(scores, 0.0)
    for table in snapshot.tables:
        for fk in table.foreign_keys:
            ref = snapshot.table(fk.ref_table)
            if ref is None:
                continue
            bonus[ref.qualified_name] += 0.5 * scores[table.qualified_name]
            bonus[table.qualified_name] += 0.5 * scores[ref.qualified_name]
    order = {t.qualified_name: i for i, t in enumerate(snapshot.tables)}
    return sorted(
        snapshot.tables,
        key=lambda t: (
            -(scores[t.qualified_name] + bonus[t.qualified_name]),
            order[t.qualified_name],
        ),
    )


def render_table(table: Table, dialect: str | None = None) -> str:
    """One table as a compact CREATE TABLE with comments, keys and sample values.

    Names are quoted the way `dialect` needs them (mixed case, spaces, keywords).
    """

    def _quote(name: str) -> str:
        return quote_identifier(name, dialect)

    def _quote_qualified(schema: str | None, name: str) -> str:
        return ".".join(_quote(part) for part in (schema, name) if part)

    lines = []
    for col in table.columns:
        parts = [f"  {_quote(col.name)} {col.type}"]
        if col.primary_key:
            parts.append("PRIMARY KEY")
        if not col.nullable and not col.primary_key:
            parts.append("NOT NULL")
        notes = []
        if col.comment:
            notes.append(col.comment)
        if col.samples:
            notes.append("values: " + ", ".join(repr(v) for v in col.samples))
        line = " ".join(parts)
        lines.append(line + (f" -- {'; '.join(notes)}" if notes else ""))
    for fk in table.foreign_keys:
        ref = _quote_qualified(fk.ref_schema, fk.ref_table)
        lines.append(
            f"  FOREIGN KEY ({', '.join(map(_quote, fk.columns))}) REFERENCES "
            f"{ref}({', '.join(map(_quote, fk.ref_columns))})"
        )
    name = _quote_qualified(table.schema, table.name)
    head = f"CREATE {'VIEW' if table.kind == 'view' else 'TABLE'} {name} ("
    comment = f"-- {table.comment}\n" if table.comment else ""
    return comment + head + "\n" + ",\n".join(lines) + "\n);"


def render_context(snapshot: SchemaSnapshot, question: str, *, token_budget: int) -> str:
    """The most relevant tables rendered until about `token_budget` tokens are used."""
    budget_chars = token_budget * 4  # about four characters a token for schema text
    parts: list[str] = []
    used = 0
    left_out = 0
    for table in rank_tables(snapshot, question):
        rendered = render_table(table, snapshot.dialect)
        if used + len(rendered) > budget_chars and parts:
            left_out += 1
            continue
        parts.append(rendered)
        used += len(rendered) + 2
    if left_out:
        parts.append(f"-- {left_out} less relevant table(s) left out for space.")
    return "\n\n".join(parts)


def quote_identifier(name: str, dialect: str | None) -> str:
    """`name` as the engine of `dialect` writes it: bare when it is a plain lower-case word."""
    try:
        return engines.get(dialect or "postgres").quote(name)
    except ValueError:
        return exp.to_identifier(name, quoted=True).sql(dialect=dialect)
