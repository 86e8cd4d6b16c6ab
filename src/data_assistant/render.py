"""Print an answer for people in a terminal: the query, then the rows as a table."""

from __future__ import annotations

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from data_assistant.pipeline import Answer


def print_answer(answer: Answer, console: Console | None = None) -> None:
    """The SQL, how the question was read, the rows and the count."""
    console = console or Console()
    console.print(Syntax(answer.sql, "sql", word_wrap=True))
    if answer.explanation:
        console.print(f"[dim]{answer.explanation}[/dim]")
    table = Table(*answer.columns, show_lines=False)
    for row in answer.results:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)
    total = "unknown" if answer.row_count is None else str(answer.row_count)
    shown = len(answer.results)
    note = f"{shown} of {total} rows" if answer.truncated else f"{shown} rows"
    console.print(f"[dim]{note}[/dim]")
