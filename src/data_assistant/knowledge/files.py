"""Knowledge files: `<folder>/<source>.yaml` and `<folder>/<source>/*.sql`, read at start.

A YAML file holds golden queries, a glossary, table and column descriptions and hidden
columns; a `.sql` file holds one golden query with its question(s) in header comments
(`-- question: ...`). A bad file fails at start with a message naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from data_assistant.errors import ConfigError
from data_assistant.knowledge.model import (
    ColumnNotes,
    GoldenQuery,
    SourceKnowledge,
    TableNotes,
    TermDefinition,
)

QUESTION_PREFIX = "question:"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Golden(_Strict):
    question: str | None = Field(default=None, min_length=1)
    questions: list[str] = Field(default_factory=list)
    query: str = Field(min_length=1)

    @model_validator(mode="after")
    def _has_question(self) -> _Golden:
        if not self.question and not self.questions:
            raise ValueError("give the question (or questions) this query answers")
        return self


class _Term(_Strict):
    filter: str | None = None
    expression: str | None = None
    table: str | None = Field(
        default=None, description="The table the term is about; read from the SQL if unset."
    )
    description: str | None = None
    synonyms: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_definition(self) -> _Term:
        if (self.filter is None) == (self.expression is None):
            raise ValueError("define the term with exactly one of filter or expression")
        return self


class _Column(_Strict):
    description: str | None = None
    note: str | None = None


class _Table(_Strict):
    description: str | None = None
    note: str | None = None
    columns: dict[str, str | _Column] = Field(default_factory=dict)


class _File(_Strict):
    golden: list[_Golden] = Field(default_factory=list)
    glossary: dict[str, _Term] = Field(default_factory=dict)
    tables: dict[str, _Table] = Field(default_factory=dict)
    hidden_columns: list[str] = Field(default_factory=list)


def knowledge_sources(folder: Path) -> set[str]:
    """The source names the folder has knowledge about."""
    names = {p.stem for p in folder.glob("*.yaml")} | {p.stem for p in folder.glob("*.yml")}
    names |= {p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.sql"))}
    return names


def load_source_knowledge(folder: Path, source: str) -> SourceKnowledge:
    """Everything the folder says about `source` (empty when it says nothing)."""
    golden: list[GoldenQuery] = []
    terms: list[TermDefinition] = []
    tables: dict[str, TableNotes] = {}
    hidden: dict[str, set[str]] = {}
    files: list[str] = []
    for path in (folder / f"{source}.yaml", folder / f"{source}.yml"):
        if not path.is_file():
            continue
        files.append(str(path))
        parsed = _read(path)
        for entry in parsed.golden:
            for question in [entry.question, *entry.questions]:
                if question:
                    golden.append(
                        GoldenQuery(source, question.strip(), entry.query.strip(), origin="file")
                    )
        for name, term in parsed.glossary.items():
            terms.append(_term(path, name, term))
        for table, notes in parsed.tables.items():
            tables[table.lower()] = TableNotes(
                description=notes.description,
                note=notes.note,
                columns={
                    column.lower(): ColumnNotes(description=value)
                    if isinstance(value, str)
                    else ColumnNotes(description=value.description, note=value.note)
                    for column, value in notes.columns.items()
                },
            )
        for index, hidden_name in enumerate(parsed.hidden_columns):
            table, dot, column = hidden_name.rpartition(".")
            if not dot or not table or not column:
                raise ConfigError(
                    f"{path}: hidden_columns.{index}: write the column as table.column"
                )
            hidden.setdefault(table.lower(), set()).add(column.lower())
    sql_folder = folder / source
    if sql_folder.is_dir():
        for path in sorted(sql_folder.glob("*.sql")):
            files.append(str(path))
            golden.extend(_sql_file(path, source))
    return SourceKnowledge(
        source=source,
        golden=tuple(golden),
        terms=tuple(terms),
        tables=tables,
        hidden={table: frozenset(columns) for table, columns in hidden.items()},
        files=tuple(files),
    )


def _read(path: Path) -> _File:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping (golden, glossary, tables, hidden_columns)")
    try:
        return _File.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        # Union members appear in locations as type names; the user never writes them.
        loc = [str(p) for p in first["loc"] if str(p) not in ("str", "_Column")]
        raise ConfigError(f"{path}: {'.'.join(loc) or '(top level)'}: {first['msg']}") from None


def _term(path: Path, name: str, term: _Term) -> TermDefinition:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from data_assistant.knowledge.dates import check_relative_dates

    kind = "filter" if term.filter is not None else "expression"
    sql = (term.filter or term.expression or "").strip()
    where = f"{path}: glossary.{name}.{kind}"
    try:
        tree = sqlglot.parse_one(sql, into=exp.Condition if kind == "filter" else None)
        check_relative_dates(tree)
    except (SqlglotError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "not a SQL expression"
        raise ConfigError(f"{where}: {message}") from None
    table = term.table
    if table is None:
        outer = {
            c.table.lower()
            for c in tree.find_all(exp.Column)
            if c.table and c.find_ancestor(exp.Select) is None
        }
        if len(outer) != 1:
            raise ConfigError(
                f"{path}: glossary.{name}: say which table it is about (table: ...), or "
                "qualify its columns with one table"
            )
        table = outer.pop()
    return TermDefinition(
        name=name.strip(),
        kind=kind,
        sql=sql,
        table=table,
        description=term.description,
        synonyms=tuple(s.strip() for s in term.synonyms if s.strip()),
    )


def _sql_file(path: Path, source: str) -> list[GoldenQuery]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({type(exc).__name__})") from None
    questions: list[str] = []
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("--"):
            comment = stripped[2:].strip()
            if comment.lower().startswith(QUESTION_PREFIX):
                question = comment[len(QUESTION_PREFIX) :].strip()
                if question:
                    questions.append(question)
            continue
        if stripped or body:
            body.append(line)
    query = "\n".join(body).strip().rstrip(";").strip()
    if not questions:
        raise ConfigError(f"{path}: question: start the file with `-- question: ...`")
    if not query:
        raise ConfigError(f"{path}: query: the file holds no query after its questions")
    return [GoldenQuery(source, q, query, origin="file") for q in questions]
