"""Refuse the text sqlglot cannot represent faithfully, rather than re-render it.

The database runs the guard's rendering of the tree, so what matters is that the tree means
what the author's text means to the engine. Where sqlglot is known to read a form
differently (PostgreSQL's `U&"..."` names become a bitwise AND) the query is refused; where
the text uses a rarely seen token (dollar quoting, bit, hex, byte and escape strings,
parameters), the tree is rendered, read back and rendered again, and any difference
refuses it: a tree that does not survive its own round trip was not read as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from data_assistant.engines import Engine
from data_assistant.errors import GuardRejection

_RARE_TOKENS = frozenset(
    {
        TokenType.HEREDOC_STRING,
        TokenType.RAW_STRING,
        TokenType.NATIONAL_STRING,
        TokenType.NATIONAL_RAW_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
        TokenType.BYTE_STRING,
        TokenType.UNICODE_STRING,
        TokenType.PARAMETER,
        TokenType.SESSION_PARAMETER,
    }
)
_QUOTED = frozenset({TokenType.IDENTIFIER, TokenType.STRING})
# The nodes sqlglot makes of those tokens: the guard's walk notes them as it goes.
RARE_NODES = tuple(
    cls
    for name in (
        "RawString",
        "National",
        "BitString",
        "HexString",
        "ByteString",
        "UnicodeString",
        "Parameter",
        "SessionParameter",
        "Placeholder",
    )
    if isinstance(cls := getattr(exp, name, None), type)
)


def check_faithful(
    root: exp.Expr, tokens: Sequence[Token], engine: Engine, sql: str, *, rare: bool
) -> None:
    """Raise GuardRejection when `root` may not be what the engine reads in `sql`; `rare`
    says that the guard's walk met one of RARE_NODES."""
    if engine.unicode_escapes and "&" in sql:
        _refuse_unicode_names(tokens, sql)
    if rare or ("$" in sql and _has_rare_token(tokens)):
        _round_trip(root, engine, sql)


def _has_rare_token(tokens: Sequence[Token]) -> bool:
    # No rare node was met but the text has a `$`: a dollar-quoted string or parameter
    # that sqlglot folded into another node still triggers the round trip.
    return any(token.token_type in _RARE_TOKENS for token in tokens)


def _refuse_unicode_names(tokens: Sequence[Token], sql: str) -> None:
    # U&"d\0061t" reads as the name `dat` to PostgreSQL and as `U & "d\0061t"` to sqlglot.
    for u, amp, quoted in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            u.text in ("U", "u")
            and amp.token_type is TokenType.AMP
            and quoted.token_type in _QUOTED
            and u.end + 1 == amp.start
            and amp.end + 1 == quoted.start
        ):
            raise GuardRejection(
                'Unicode-escaped names (U&"...") are not supported; write the name as it is.',
                sql=sql,
            )


def _round_trip(root: exp.Expr, engine: Engine, sql: str) -> None:
    dialect = engine.dialect
    first = root.sql(dialect=dialect, comments=False)
    try:
        again = [tree for tree in dialect.parse(first) if tree is not None]
        second = again[0].sql(dialect=dialect, comments=False) if len(again) == 1 else None
    except Exception:
        second = None
    if second != first:
        raise GuardRejection(
            "The query uses quoting or literals that cannot be checked faithfully; write "
            "strings in single quotes and names plainly.",
            sql=sql,
        )
