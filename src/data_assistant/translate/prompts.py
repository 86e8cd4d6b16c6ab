"""The messages sent to a chat model to write one query."""

from __future__ import annotations

from data_assistant import engines
from data_assistant.schema.context import relevant_terms, render_context
from data_assistant.translate.base import Example, TranslationRequest

SYSTEM = """You write one read-only {dialect} query that answers the user's question about \
the database described below.
Rules:
- Exactly one SELECT statement (WITH ... SELECT is fine); never modify data or schema.
- Use only the tables and columns listed; quote identifiers the way {dialect} does when needed.
- Write {dialect} syntax and functions only.
- Return the rows that answer the question; name computed columns with clear aliases.
- Answer with the query in one ```sql code block and nothing else.
- If the question cannot be answered from these tables, answer CANNOT_ANSWER: and one
  sentence saying why."""


def build_messages(request: TranslationRequest, *, token_budget: int) -> list[dict[str, str]]:
    """System and user messages for a SQL translation, with earlier failures fed back."""
    dialect = display_name(request.dialect)
    context = render_context(request.schema, request.question, token_budget=token_budget)
    about = f"Database '{request.source_name}'"
    if request.description:
        about += f": {request.description}"
    parts = [about, context]
    if terms := relevant_terms(request.schema, request.question):
        lines = ["Business terms of this organisation (use these definitions when asked):"]
        for term in terms:
            what = "rows of" if term.kind == "filter" else "a value of"
            line = f"- {term.name} ({what} {term.table}): {term.sql}"
            lines.append(line + (f" -- {term.description}" if term.description else ""))
        parts.append("\n".join(lines))
    if request.examples:
        parts.append(render_examples(request.examples, "sql"))
    parts.append(f"Question: {request.question}")
    user = "\n\n".join(parts)
    messages = [
        {"role": "system", "content": SYSTEM.format(dialect=dialect)},
        {"role": "user", "content": user},
    ]
    for attempt in request.attempts:
        messages.append({"role": "assistant", "content": f"```sql\n{attempt.query}\n```"})
        messages.append(
            {
                "role": "user",
                "content": f"That query failed: {attempt.error}\nWrite a corrected query.",
            }
        )
    return messages


def render_examples(examples: tuple[Example, ...], fence: str) -> str:
    """Golden queries of similar questions, as patterns for the model."""
    lines = ["Verified queries for similar questions (follow their patterns):"]
    for example in examples:
        lines.append(f"Question: {example.question}\n```{fence}\n{example.query}\n```")
    return "\n".join(lines)


def display_name(dialect: str) -> str:
    """What the prompt calls the engine of `dialect`: its display name, else the name."""
    try:
        return engines.get(dialect).display_name
    except ValueError:
        return dialect
