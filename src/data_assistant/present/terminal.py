"""An answer for people in a terminal: the query, how it was read, the rows as a table."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from data_assistant.answers import Answer, DocumentsResult


def print_answer(answer: Answer, console: Console | None = None) -> None:
    """The query (with its parameters), the explanation, the rows and the count."""
    console = console or Console()
    result = answer.result
    console.print(Syntax(result.query, "sql", word_wrap=True))
    if isinstance(result, DocumentsResult) and result.parameters:
        console.print(f"[dim]parameters: {json.dumps(result.parameters, ensure_ascii=False)}[/dim]")
    if answer.explanation:
        console.print(f"[dim]{answer.explanation}[/dim]")
    if answer.verified or answer.cached:
        said = [w for w, on in (("verified", answer.verified), ("cached", answer.cached)) if on]
        console.print(f"[dim]({', '.join(said)})[/dim]")
    columns, rows = result.table()
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*(cell(v) for v in row))
    console.print(table)
    total = "unknown" if result.row_count is None else str(result.row_count)
    shown = len(rows)
    note = f"{shown} of {total} rows" if result.truncated else f"{shown} rows"
    for extra in result.notes:
        note += f"; {extra}"
    console.print(f"[dim]{note}[/dim]")


def cell(value: Any) -> str:
    """A value as table text: nested values as JSON, nothing for null."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
