"""Glossary terms for the offline translator, used as it uses column names.

The snapshot carries the terms (`SchemaSnapshot.terms`). A filter term ("active customer")
is read as its table's name and its condition added to each SELECT that reads the table; an
expression term ("net revenue") is offered as a column of its table named after the term,
and that column is replaced by the expression in the query written. Everything here works
on sqlglot trees.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from data_assistant.schema.model import Column, GlossaryTerm, SchemaSnapshot


@dataclass(frozen=True)
class TermUse:
    """Where a question says a glossary term."""

    term: GlossaryTerm
    start: int
    end: int


def term_column(term: GlossaryTerm) -> str:
    """The name of the column an expression term is offered as (`net_revenue`)."""
    return re.sub(r"[^a-z0-9]+", "_", term.name.lower()).strip("_")


def find_terms(question: str, terms: Sequence[GlossaryTerm]) -> list[TermUse]:
    """The terms the question says (or a synonym, singular or plural), longest first, not
    overlapping, in the order they appear."""
    phrases = sorted(
        ((phrase, term) for term in terms for phrase in term.phrases),
        key=lambda item: -len(item[0]),
    )
    uses: list[TermUse] = []
    for phrase, term in phrases:
        for found in _phrase_pattern(phrase).finditer(question):
            if any(found.start() < u.end and u.start < found.end() for u in uses):
                continue
            uses.append(TermUse(term, found.start(), found.end()))
    return sorted(uses, key=lambda u: u.start)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.lower().split()
    last = words[-1]
    stem = last[:-1] if last.endswith("y") and len(last) > 3 else last
    ending = "(?:y|ies)" if stem != last else "(?:s|es)?"
    body = r"\s+".join(re.escape(w) for w in words[:-1])
    tail = re.escape(stem) + ending
    return re.compile(r"\b" + (body + r"\s+" if body else "") + tail + r"\b", re.IGNORECASE)


def plain_question(question: str, uses: Sequence[TermUse]) -> str:
    """The question with each filter term said as its table's name ("active customers" ->
    "customers") and each expression term as its column's words."""
    out, index = [], 0
    for use in uses:
        out.append(question[index : use.start])
        if use.term.kind == "filter":
            out.append(use.term.table.rsplit(".", 1)[-1].replace("_", " "))
        else:
            out.append(term_column(use.term).replace("_", " "))
        index = use.end
    out.append(question[index:])
    text = "".join(out)
    # "active customers" in "customers who are active customers" leaves a repeat.
    return re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text, flags=re.IGNORECASE)


def with_term_columns(snapshot: SchemaSnapshot, uses: Sequence[TermUse]) -> SchemaSnapshot:
    """The snapshot with each used expression term offered as a column of its table."""
    extra: dict[str, list[Column]] = {}
    for use in uses:
        if use.term.kind == "expression":
            column = Column(name=term_column(use.term), type="NUMERIC", comment=use.term.name)
            extra.setdefault(use.term.table.lower(), []).append(column)
    if not extra:
        return snapshot
    tables = tuple(
        dataclasses.replace(t, columns=t.columns + tuple(extra.get(t.name.lower(), ())))
        if t.name.lower() in extra or t.qualified_name.lower() in extra
        else t
        for t in snapshot.tables
    )
    return dataclasses.replace(snapshot, tables=tables)


def apply_terms(query: str, uses: Sequence[TermUse], dialect: str) -> str:
    """The query with the used terms' meaning put in: filters added to each SELECT reading
    their table, term columns replaced by their expressions. ValueError when a filter's
    table is not read by the query."""
    tree = sqlglot.parse_one(query, read=dialect)
    for use in uses:
        definition = sqlglot.parse_one(use.term.sql, read=dialect)
        if use.term.kind == "filter":
            _add_filter(tree, use.term, definition)
        else:
            _expand_column(tree, use.term, definition)
    return tree.sql(dialect=dialect)


def _reads(select: exp.Select, table: str) -> list[exp.Table]:
    """The references to `table` in the FROM and JOINs of this SELECT itself."""
    sources = []
    if from_ := select.args.get("from") or select.args.get("from_"):
        sources.append(from_.this)
    sources += [join.this for join in select.args.get("joins") or []]
    name = table.rsplit(".", 1)[-1].lower()
    return [s for s in sources if isinstance(s, exp.Table) and s.name.lower() == name]


def _requalified(definition: exp.Expr, table: str, alias: str) -> exp.Expr:
    """The definition with its columns of `table` (outside its own subqueries) named by
    `alias`, the name the query knows the table by."""
    name = table.rsplit(".", 1)[-1].lower()
    copy = definition.copy()
    for column in copy.find_all(exp.Column):
        if column.find_ancestor(exp.Select) is not None:
            continue
        if not column.table or column.table.lower() == name:
            column.set("table", exp.to_identifier(alias))
            column.set("db", None)
    return copy


def _add_filter(tree: exp.Expr, term: GlossaryTerm, definition: exp.Expr) -> None:
    applied = False
    for select in list(tree.find_all(exp.Select)):
        for ref in _reads(select, term.table):
            condition = _requalified(definition, term.table, ref.alias_or_name)
            select.where(exp.paren(condition, copy=False), append=True, copy=False)
            applied = True
    if not applied:
        raise ValueError(f"the query does not read {term.table}, which '{term.name}' is about")


def _expand_column(tree: exp.Expr, term: GlossaryTerm, definition: exp.Expr) -> None:
    wanted = term_column(term)
    for column in list(tree.find_all(exp.Column)):
        if column.name.lower() != wanted:
            continue
        alias = column.table or term.table.rsplit(".", 1)[-1]
        column.replace(exp.paren(_requalified(definition, term.table, alias), copy=False))
