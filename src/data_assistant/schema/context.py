"""The schema context a translator sees: the tables a question needs, within a token budget."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict

from sqlglot import exp

from data_assistant import engines
from data_assistant.schema.model import GlossaryTerm, SchemaSnapshot, Table

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


class RankingIndex:
    """The words of every table of a snapshot, built once per snapshot: names, columns,
    descriptions, sample values and glossary terms, with how rare each word is."""

    def __init__(self, snapshot: SchemaSnapshot) -> None:
        self.snapshot = snapshot
        self.tables = snapshot.tables
        self.keys = [t.qualified_name.lower() for t in self.tables]
        self.position = {key: i for i, key in enumerate(self.keys)}
        self.names: dict[str, list[int]] = {}
        self.columns: dict[str, list[int]] = {}
        self.comments: dict[str, list[int]] = {}
        # A sample value's words -> tables holding it, looked up by the value's first word.
        self.values: dict[str, list[tuple[frozenset[str], int]]] = {}
        self.whole_names: list[frozenset[str]] = []
        self.name_sizes: list[int] = []
        df: dict[str, int] = {}
        for i, table in enumerate(self.tables):
            name_words = words(table.name)
            self.name_sizes.append(len(set(_WORD.findall(_CAMEL.sub(" ", table.name).lower()))))
            self.whole_names.append(frozenset(words(table.name.lower().rstrip("s"))))
            column_words: set[str] = set()
            comment_words = words(table.comment) if table.comment else set()
            for col in table.columns:
                column_words |= words(col.name)
                if col.comment:
                    comment_words |= words(col.comment)
                for value in col.samples:
                    said = frozenset(words(value))
                    if said:
                        self.values.setdefault(min(said), []).append((said, i))
            if table.schema:
                comment_words |= words(table.schema)
            for word in name_words:
                self.names.setdefault(word, []).append(i)
            for word in column_words:
                self.columns.setdefault(word, []).append(i)
            for word in comment_words:
                self.comments.setdefault(word, []).append(i)
            for word in name_words | column_words | comment_words:
                df[word] = df.get(word, 0) + 1
        total = max(len(self.tables), 1)
        self.idf = {w: math.log(1.0 + total / n) for w, n in df.items()}
        self.neighbours: list[set[int]] = [set() for _ in self.tables]
        for i, table in enumerate(self.tables):
            for fk in table.foreign_keys:
                ref = self._find(fk.ref_schema or table.schema, fk.ref_table)
                if ref is not None and ref != i:
                    self.neighbours[i].add(ref)
                    self.neighbours[ref].add(i)
        self.term_tables: list[tuple[frozenset[str], set[int]]] = []
        for term in snapshot.terms:
            tables = {j for j in (self._find(None, term.table),) if j is not None}
            for phrase in term.phrases:
                self.term_tables.append((frozenset(words(phrase)), tables))

    def _find(self, schema: str | None, name: str) -> int | None:
        key = f"{schema}.{name}".lower() if schema else name.lower()
        found = self.position.get(key)
        if found is None and "." not in name:
            found = self.position.get(name.lower())
        if found is None:
            table = self.snapshot.table(name)
            found = self.position.get(table.qualified_name.lower()) if table else None
        return found

    def scores(self, question: str) -> list[float]:
        """Each table's score for the question: rare words weigh more; a table's name
        counts most, then its columns, then descriptions; sample values and glossary terms
        said in full count strongly; key neighbours of scored tables get a share."""
        asked = words(question)
        scores = [0.0] * len(self.tables)
        named: dict[int, int] = {}
        for word in asked:
            weight = self.idf.get(word, 0.0)
            for i in self.names.get(word, ()):
                scores[i] += 3.0 * weight
                named[i] = named.get(i, 0) + 1
            for i in self.columns.get(word, ()):
                scores[i] += 1.0 * weight
            for i in self.comments.get(word, ()):
                scores[i] += 0.5 * weight
            for said, i in self.values.get(word, ()):
                if said <= asked:
                    scores[i] += 2.0
        for i, hits in named.items():
            # Of two tables the question names, the one whose name it says more of.
            scores[i] += 2.0 * min(1.0, hits / max(self.name_sizes[i], 1))
        for i, whole in enumerate(self.whole_names):
            if whole and scores[i] and whole <= asked:
                # The question names the table itself, not just a part of its name.
                scores[i] += 2.0
        for phrase, tables in self.term_tables:
            if phrase and phrase <= asked:
                for i in tables:
                    scores[i] += 6.0
        bonus = [0.0] * len(self.tables)
        for i, score in enumerate(scores):
            if score:
                for j in self.neighbours[i]:
                    bonus[j] += 0.5 * score
        return [s + b for s, b in zip(scores, bonus, strict=True)]


_INDEXES: OrderedDict[int, RankingIndex] = OrderedDict()
_INDEX_LOCK = threading.Lock()


def ranking_index(snapshot: SchemaSnapshot) -> RankingIndex:
    """The ranking index of a snapshot, built on first use and kept for the last few."""
    key = id(snapshot)
    with _INDEX_LOCK:
        found = _INDEXES.get(key)
        if found is not None and found.snapshot is snapshot:
            _INDEXES.move_to_end(key)
            return found
    index = RankingIndex(snapshot)
    with _INDEX_LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > 16:
            _INDEXES.popitem(last=False)
    return index


def rank_tables(snapshot: SchemaSnapshot, question: str) -> list[Table]:
    """Tables ordered by how much of the question they mention; neighbours by key get a share."""
    index = ranking_index(snapshot)
    scores = index.scores(question)
    order = sorted(range(len(index.tables)), key=lambda i: (-scores[i], i))
    return [index.tables[i] for i in order]


def relevant_terms(snapshot: SchemaSnapshot, question: str) -> list[GlossaryTerm]:
    """The glossary terms a question says (or says most of), for the prompt."""
    asked = words(question)
    found = []
    for term in snapshot.terms:
        for phrase in term.phrases:
            said = words(phrase)
            if said and len(said & asked) * 2 >= len(said) + 1:
                found.append(term)
                break
    return found


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


# When not every table fits, the most relevant are written in full within this share of
# the budget, and the next ones as a line of column names each, so that more of the
# tables a question may need are in view.
FULL_SHARE = 0.4


def render_compact(table: Table, dialect: str | None = None) -> str:
    """One table as its name and column names, on one line."""
    name = ".".join(quote_identifier(p, dialect) for p in (table.schema, table.name) if p)
    return f"{name}({', '.join(quote_identifier(c.name, dialect) for c in table.columns)})"


def render_context(snapshot: SchemaSnapshot, question: str, *, token_budget: int) -> str:
    """The most relevant tables rendered until about `token_budget` tokens are used: all
    in full when they fit, else the first in full and the next by their columns only."""
    budget_chars = token_budget * 4  # about four characters a token for schema text
    ranked = rank_tables(snapshot, question)
    if len(ranked) <= 64:
        every = [render_table(t, snapshot.dialect) for t in ranked]
        if sum(len(r) + 2 for r in every) <= budget_chars:
            return "\n\n".join(every)
    parts: list[str] = []
    compact: list[str] = []
    used = 0
    left_out = 0
    full_cap = budget_chars * FULL_SHARE
    for position, table in enumerate(ranked):
        if used >= budget_chars - 40:
            # Full: the rest are left out without being written.
            left_out += len(ranked) - position
            break
        if not compact:
            rendered = render_table(table, snapshot.dialect)
            if used + len(rendered) <= full_cap or not parts:
                parts.append(rendered)
                used += len(rendered) + 2
                continue
        line = render_compact(table, snapshot.dialect)
        if used + len(line) + 1 > budget_chars:
            left_out += 1
            continue
        compact.append(line)
        used += len(line) + 1
    if compact:
        parts.append("-- More tables that may matter (columns only):\n" + "\n".join(compact))
    if left_out:
        parts.append(f"-- {left_out} less relevant table(s) left out for space.")
    return "\n\n".join(parts)


def quote_identifier(name: str, dialect: str | None) -> str:
    """`name` as the engine of `dialect` writes it: bare when it is a plain lower-case word."""
    try:
        return engines.get(dialect or "postgres").quote(name)
    except ValueError:
        return exp.to_identifier(name, quoted=True).sql(dialect=dialect)
