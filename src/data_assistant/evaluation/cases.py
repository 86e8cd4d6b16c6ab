"""Evaluation cases: one JSON object a line, a question with gold SQL or gold rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class EvalFileError(ValueError):
    """A line of an evaluation file is not a valid case."""


@dataclass(frozen=True)
class EvalCase:
    """A question and its expected answer: gold `sql`, or gold `rows` (then `ordered` says
    whether their order matters)."""

    question: str
    sql: str | None = None
    rows: tuple[tuple, ...] | None = None
    id: str | None = None
    ordered: bool = False


def parse_case(data: object, where: str = "case") -> EvalCase:
    """One case from its decoded JSON object."""
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        raise EvalFileError(f"{where}: needs a 'question' string")
    sql, rows = data.get("sql"), data.get("rows")
    if (sql is None) == (rows is None):
        raise EvalFileError(f"{where}: needs exactly one of 'sql' or 'rows'")
    if sql is not None and not isinstance(sql, str):
        raise EvalFileError(f"{where}: 'sql' must be a string")
    if rows is not None and not (isinstance(rows, list) and all(isinstance(r, list) for r in rows)):
        raise EvalFileError(f"{where}: 'rows' must be a list of lists")
    ident = data.get("id")
    return EvalCase(
        question=data["question"],
        sql=sql,
        rows=tuple(tuple(r) for r in rows) if rows is not None else None,
        id=str(ident) if ident is not None else None,
        ordered=bool(data.get("ordered", False)),
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
