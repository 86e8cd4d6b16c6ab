"""The messages sent to a chat model to write one Cosmos DB for NoSQL query.

The same conventions as translate/prompts.py, so that one extractor reads both: the query in
a ```sql fence, or CANNOT_ANSWER: and a reason. The container's inferred schema is shown as
the shape of a document, with types, how often a property is present, and example values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from data_assistant.schema.model import Column, Table
from data_assistant.translate.base import TranslationRequest

SYSTEM = """You write one read-only Azure Cosmos DB for NoSQL query that answers the user's \
question about the document container described below.
Rules:
- One SELECT query over this one container, always written FROM c; properties are paths on \
c: c.status, c.customer.country, c["odd-name"]. Use only the properties shown.
- Documents cannot be joined with each other. JOIN only unfolds an array inside the same \
document: SELECT c.id, i.name FROM c JOIN i IN c.items WHERE i.quantity > 2.
- SELECT VALUE returns bare values instead of objects: SELECT VALUE COUNT(1) FROM c.
- A property can be missing (undefined) as well as null. Comparing a missing property is \
never true, so such documents drop out; test with IS_DEFINED(c.p) or IS_NULL(c.p).
- Functions include CONTAINS(c.s, "x", true) (true: ignore case), STARTSWITH, ENDSWITH, \
LOWER, UPPER, LENGTH, ARRAY_CONTAINS(c.tags, "x"), ARRAY_LENGTH, IS_DEFINED, IS_NULL, ROUND, \
DateTimeDiff("dd", c.start, c.end), DateTimePart("yyyy", c.at), DateTimeAdd, \
GetCurrentDateTime(). Dates are ISO 8601 strings and compare as strings.
- Limit rows with TOP n (SELECT TOP 10 ...) or ORDER BY ... OFFSET m LIMIT n; ORDER BY takes \
properties, e.g. ORDER BY c.createdAt DESC.
- Aggregates COUNT(1), SUM, AVG, MIN, MAX take c.prop. With GROUP BY, every selected \
non-aggregate must be grouped: SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status. \
Cosmos DB does not sort a GROUP BY query; to rank groups, wrap it: SELECT TOP 5 g.status, g.n \
FROM (SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status) g ORDER BY g.n DESC.
- Parameters (@name) are filled in by the server; write the literal values instead.
- Name computed values with AS aliases; select the properties that answer the question, not *.
- Answer with the query in one ```sql code block and nothing else.
- If the question cannot be answered from this container, answer CANNOT_ANSWER: and one
  sentence saying why."""

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def build_cosmos_messages(
    request: TranslationRequest, *, token_budget: int
) -> list[dict[str, str]]:
    """System and user messages for a Cosmos DB translation, earlier failures fed back."""
    tables = request.schema.tables
    about = f"Container source '{request.source_name}'"
    if request.description:
        about += f": {request.description}"
    shapes = [render_container(table, token_budget=token_budget) for table in tables]
    context = "\n\n".join(shapes) or "(no documents were found to show the container's shape)"
    parts = [about, context]
    if request.examples:
        from data_assistant.translate.prompts import render_examples

        parts.append(render_examples(request.examples, "sql"))
    user = "\n\n".join([*parts, f"Question: {request.question}"])
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    for attempt in request.attempts:
        messages.append({"role": "assistant", "content": f"```sql\n{attempt.query}\n```"})
        messages.append(
            {
                "role": "user",
                "content": f"That query failed: {attempt.error}\nWrite a corrected query.",
            }
        )
    return messages


# ---------------------------------------------------------------- the document shape


@dataclass
class _Node:
    """One property in the shape: its column (if seen) and the properties below it."""

    column: Column | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    element: _Node | None = None  # what an array holds, when it was seen


def render_container(table: Table, *, token_budget: int) -> str:
    """The container as the shape of one document, within about `token_budget` tokens.

    Example values go first when space is short, then the properties that come last.
    """
    head = f"Container '{table.name}' (query it as FROM c)"
    if table.comment:
        head += f"; {table.comment}"
    root = _tree(table.columns)
    budget = token_budget * 4  # about four characters a token for schema text
    for samples in (True, False):
        lines = _lines(root, 1, samples)
        body = "\n".join(["{", *lines, "}"])
        if len(head) + len(body) <= budget or not samples:
            break
    if len(head) + len(body) > budget:
        kept: list[str] = []
        used = len(head) + 2
        for line in lines:
            if used + len(line) + 1 > budget:
                break
            kept.append(line)
            used += len(line) + 1
        left = len(lines) - len(kept)
        body = "\n".join(["{", *kept, f"  // {left} more lines left out for space", "}"])
    return f"{head}\n{body}"


def _tree(columns: tuple[Column, ...]) -> _Node:
    root = _Node()
    for column in columns:
        node = root
        for part in re.split(r"(\[\])|\.", column.name):
            if not part:
                continue
            if part == "[]":
                node.element = node.element or _Node()
                node = node.element
            else:
                node = node.children.setdefault(part, _Node())
        node.column = column
    return root


def _lines(node: _Node, depth: int, samples: bool) -> list[str]:
    out: list[str] = []
    pad = "  " * depth
    names = list(node.children)
    for i, name in enumerate(names):
        child = node.children[name]
        key = f'"{name}"' if _PLAIN.match(name) else f'"{name}" (write c["{name}"])'
        comma = "," if i < len(names) - 1 else ""
        opening, inner, closing, notes = _value(child, depth, samples)
        note = f"  // {'; '.join(notes)}" if notes else ""
        if inner:
            out.append(f"{pad}{key}: {opening}{note}")
            out.extend(inner)
            out.append(f"{pad}{closing}{comma}")
        else:
            out.append(f"{pad}{key}: {opening}{comma}{note}")
    return out


def _value(node: _Node, depth: int, samples: bool) -> tuple[str, list[str], str, list[str]]:
    """How a property's value reads (a type, or an object / array opened over lines),
    and the notes on it."""
    notes = _notes(node.column, samples)
    kind = node.column.type if node.column else "object"
    if node.children and "object" in kind.split(" | "):
        return "{", _lines(node, depth + 1, samples), "}", notes
    if node.element is not None:
        element = node.element
        if element.children:
            return "[{", _lines(element, depth + 1, samples), "}]", notes
        inner = element.column.type if element.column else "any"
        return f"[{inner}]", [], "", notes + _notes(element.column, samples, element=True)
    return kind, [], "", notes


def _notes(column: Column | None, samples: bool, *, element: bool = False) -> list[str]:
    """Presence when not always there, nulls, example values."""
    if column is None:
        return []
    notes = []
    comment = column.comment or ""
    if not element and "present in 100%" not in comment:
        notes.append(comment.split(";")[0].replace(" of documents", "").strip())
    if "sometimes null" in comment:
        notes.append("sometimes null")
    if samples and column.samples:
        notes.append("values: " + ", ".join(f'"{v}"' for v in column.samples))
    return notes
