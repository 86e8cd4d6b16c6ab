"""Pull the query out of a model's answer: code fences, JSON, or prose around the SQL."""

from __future__ import annotations

import json
import re

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)```", re.DOTALL)
_START = re.compile(
    r"^\s*(?:sql\s*:\s*)?((?:WITH|SELECT|VALUES|\()\b.*)", re.IGNORECASE | re.DOTALL
)
QUERY_FENCES = ("sql", "tsql", "postgresql", "cosmos", "cosmosdb")
_CANNOT = re.compile(r"CANNOT_ANSWER\s*:?\s*(.*)", re.IGNORECASE | re.DOTALL)


def cannot_answer_reason(answer: str) -> str | None:
    """The model's reason when it said it cannot answer, else None."""
    match = _CANNOT.search(answer)
    if not match:
        return None
    reason = match.group(1).strip().splitlines()[0] if match.group(1).strip() else ""
    return reason or "the model said the question cannot be answered from this data"


def extract_query(answer: str) -> str | None:
    """The query in a model's answer, or None when there is none."""
    text = answer.strip()
    if not text:
        return None
    fences = _FENCE.findall(text)
    if fences:
        # Prefer a block tagged as SQL; a model that shows several usually means the last.
        tagged = [body for lang, body in fences if lang.lower() in QUERY_FENCES]
        body = (tagged or [body for _, body in fences])[-1]
        return _clean(body)
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            for key in ("sql", "query"):
                if isinstance(data.get(key), str):
                    return _clean(data[key])
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = _START.match(line)
        if match:
            tail = [match.group(1)]
            for following in lines[i + 1 :]:
                if not following.strip():
                    break
                tail.append(following)
            return _clean("\n".join(tail))
    # Inline: "Here it is: SELECT ... FROM t."
    inline = re.search(r"\b(SELECT\b.+)", text, re.IGNORECASE | re.DOTALL)
    if inline:
        return _clean(inline.group(1))
    return None


def _clean(sql: str) -> str | None:
    sql = sql.strip().rstrip(";").strip()
    return sql or None
