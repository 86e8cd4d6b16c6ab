"""Driver error text reduced to what a model may read: the error class and no data values.

A database error can carry a value from a row (`invalid input syntax for type integer:
"t2secret"`, an overflow naming the operands), and the reason goes to the client and back
to the model: under a row policy that is a channel to the hidden rows. The message keeps
its first line, its words and any quoted text or number the query itself wrote (a column
name to correct, the author's own literal); every other quoted part and number becomes `…`.
The engine tells the error's class (SQLSTATE, errno), which carries no data.
"""

from __future__ import annotations

import re
from typing import Any

from data_assistant.engines.base import Engine

# '...', "..." and `...` spans (SQL's doubled quotes inside), or a number.
_PART = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`"
    r"|(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])"
)
_HIDDEN = "…"


def describe_error(engine: Engine, error: BaseException | None, sql: str) -> str:
    """One sentence for a query the database rejected: its class and its reduced message."""
    kind = engine.error_class(error)
    where = f" ({kind})" if kind else ""
    message = reduce_message(engine, driver_message(error), sql)
    return f"The database rejected the query{where}: {message}"


def reduce_message(engine: Engine, message: str, sql: str) -> str:
    """`message` with every quoted part and number that `sql` does not hold replaced by `…`."""
    words = {word.casefold() for word in _query_words(engine, sql)}

    def keep_or_hide(match: re.Match[str]) -> str:
        text = match.group(0)
        if text[0] in "'\"`":
            inner = text[1:-1]
            if inner.casefold() in words or all(p.casefold() in words for p in inner.split(".")):
                return text
            return text[0] + _HIDDEN + text[-1]
        return text if text.lstrip("+-") in words else _HIDDEN

    return _one_sentence(_PART.sub(keep_or_hide, message))


def driver_message(error: BaseException | None) -> str:
    """The driver's own primary message, without detail, hint or query context."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary:
        return str(primary)
    args: tuple[Any, ...] = getattr(error, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL: (code, message)
        return str(args[1])
    if len(args) >= 2 and isinstance(args[0], str) and len(args[0]) == 5:  # pyodbc
        return str(args[1])
    return str(args[0]) if args else str(error)


def _query_words(engine: Engine, sql: str) -> set[str]:
    try:
        return {token.text for token in engine.dialect.tokenize(sql)}
    except Exception:
        return set()


def _one_sentence(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return line.rstrip(".!") + "."
