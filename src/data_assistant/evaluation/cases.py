"""Evaluation cases: one JSON object a line, a question with its gold answer.

The gold answer is one of: `sql` (run on the database), `rows` (a list of lists), `query`
(a Cosmos DB query, run on the container) or `documents` (a list of JSON values). A case may
name its database (`db`) and the constructs it exercises (`constructs`, a list of tags).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_GOLD = ("sql", "rows", "query", "documents")


class EvalFileError(ValueError):
    """A line of an evaluation file is not a valid case."""


@dataclass(frozen=True)
class EvalCase:
    """A question and its expected answer: gold `sql` or `rows` for a database, gold
    `query` or `documents` for a container (with `rows` and `documents`, `ordered` says
    whether their order matters)."""

    question: str
    sql: str | None = None
    rows: tuple[tuple, ...] | None = None
    id: str | None = None
    ordered: bool = False
    query: str | None = None
    documents: tuple[Any, ...] | None = None
    db: str | None = None
    constructs: tuple[str, ...] = ()

    @property
    def on_documents(self) -> bool:
        """Whether the case is about a document container (results are JSON values)."""
        return self.query is not None or self.documents is not None


def parse_case(data: object, where: str = "case") -> EvalCase:
    """One case from its decoded JSON object."""
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        raise EvalFileError(f"{where}: needs a 'question' string")
    sql, rows = data.get("sql"), data.get("rows")
    query, documents = data.get("query"), data.get("documents")
    if sum(data.get(key) is not None for key in _GOLD) != 1:
        raise EvalFileError(f"{where}: needs exactly one of 'sql', 'rows', 'query' or 'documents'")
    for key, text in (("sql", sql), ("query", query)):
        if text is not None and not isinstance(text, str):
            raise EvalFileError(f"{where}: '{key}' must be a string")
    if rows is not None and not (isinstance(rows, list) and all(isinstance(r, list) for r in rows)):
        raise EvalFileError(f"{where}: 'rows' must be a list of lists")
    if documents is not None and not isinstance(documents, list):
        raise EvalFileError(f"{where}: 'documents' must be a list")
    constructs = data.get("constructs", [])
    if not isinstance(constructs, list) or not all(isinstance(c, str) for c in constructs):
        raise EvalFileError(f"{where}: 'constructs' must be a list of strings")
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise EvalFileError(f"{where}: 'db' must be a string")
    ident = data.get("id")
    return EvalCase(
        question=data["question"],
        sql=sql,
        rows=tuple(tuple(r) for r in rows) if rows is not None else None,
        id=str(ident) if ident is not None else None,
        ordered=bool(data.get("ordered", False)),
        query=query,
        documents=tuple(documents) if documents is not None else None,
        db=db,
        constructs=tuple(constructs),
    )


def load_cases(path: str | Path) -> list[EvalCase]:
    """Every case of a JSONL file; blank lines and lines starting with `//` are skipped."""
    cases: list[EvalCase] = []
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        cases.append(parse_case(data, f"{path}:{number}"))
    return cases
