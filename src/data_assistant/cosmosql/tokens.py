"""Tokenizer for the Cosmos DB for NoSQL query language."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .errors import CosmosSyntaxError


class Kind(Enum):
    """Token kinds; keywords are NAME tokens recognised by the parser."""

    NAME = "name"
    NUMBER = "number"
    STRING = "string"
    PARAMETER = "parameter"
    OP = "operator"
    EOF = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    """One token with its 1-based position in the query text."""

    kind: Kind
    text: str
    value: Any
    line: int
    column: int
    offset: int

    def describe(self) -> str:
        """How an error message names this token."""
        if self.kind is Kind.EOF:
            return "the end of the query"
        return repr(self.text)


# Case-insensitive keywords from the service grammar. ALL, FIRST and LAST are keywords only
# before "(" and stay usable as names.
KEYWORDS = frozenset(
    {
        "AND", "ARRAY", "AS", "ASC", "BETWEEN", "BY", "DESC", "DISTINCT", "ESCAPE",
        "EXISTS", "FROM", "GROUP", "IN", "JOIN", "LEFT", "LIKE", "LIMIT", "NOT", "OFFSET",
        "OR", "ORDER", "RANK", "RIGHT", "SELECT", "TOP", "VALUE", "WHERE",
    }
)  # fmt: skip
# Case-sensitive keywords: `True` is an ordinary name, `true` is the literal.
CASED_KEYWORDS = frozenset({"true", "false", "null", "undefined", "udf"})


def is_reserved(name: str) -> bool:
    """True when `name` cannot be used as an identifier."""
    return name.upper() in KEYWORDS or name in CASED_KEYWORDS


# Longest first, so "||" wins over "|" and "??" over "?".
_OPERATORS = (
    ">>>", "<<", ">>", "||", "??", "<=", ">=", "!=", "<>",
    "(", ")", "[", "]", "{", "}", ",", ".", ":", "?", "*", "/", "%", "+", "-",
    "<", ">", "=", "&", "|", "^", "~",
)  # fmt: skip
_ESCAPES = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_INT64_MAX = 2**63 - 1


def _is_name_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        # Offsets of the line breaks, so a token's line is a binary search, not a count
        # from the start (which made long queries quadratic).
        self.breaks: list[int] = []
        at = text.find("\n")
        while at >= 0:
            self.breaks.append(at)
            at = text.find("\n", at + 1)

    def where(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        before = bisect.bisect_left(self.breaks, offset)
        line_start = self.breaks[before - 1] + 1 if before else 0
        return before + 1, offset - line_start + 1

    def error(self, message: str, offset: int | None = None) -> CosmosSyntaxError:
        line, column = self.where(self.pos if offset is None else offset)
        return CosmosSyntaxError(f"Syntax error: {message}", line=line, column=column)

    def token(self, kind: Kind, start: int, value: Any) -> Token:
        line, column = self.where(start)
        return Token(kind, self.text[start : self.pos], value, line, column, start)

    def skip_space_and_comments(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            ch = text[self.pos]
            if ch.isspace():
                self.pos += 1
            elif text.startswith("--", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end + 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.error("the comment opened here is never closed")
                self.pos = end + 2
            else:
                return

    def number(self) -> Token:
        text, start = self.text, self.pos
        n = len(text)
        while self.pos < n and text[self.pos].isdigit():
            self.pos += 1
        is_float = False
        if self.pos < n and text[self.pos] == ".":
            is_float = True
            self.pos += 1
            while self.pos < n and text[self.pos].isdigit():
                self.pos += 1
        if self.pos < n and text[self.pos] in "eE":
            mark = self.pos
            self.pos += 1
            if self.pos < n and text[self.pos] in "+-":
                self.pos += 1
            if self.pos < n and text[self.pos].isdigit():
                is_float = True
                while self.pos < n and text[self.pos].isdigit():
                    self.pos += 1
            else:
                self.pos = mark
        if self.pos < n and _is_name_char(text[self.pos]):
            raise self.error(f"invalid number {text[start : self.pos + 1]!r}", start)
        literal = text[start : self.pos]
        if not is_float:
            as_int = int(literal)
            # Numbers are doubles in Cosmos; keep exact ints only where int64 holds them.
            return self.token(Kind.NUMBER, start, as_int if as_int <= _INT64_MAX else float(as_int))
        return self.token(Kind.NUMBER, start, float(literal))

    def string(self) -> Token:
        text, start = self.text, self.pos
        quote = text[start]
        self.pos += 1
        out: list[str] = []
        n = len(text)
        while True:
            if self.pos >= n:
                raise self.error("the string starting here is never closed", start)
            ch = text[self.pos]
            if ch == quote:
                self.pos += 1
                break
            if ch == "\\":
                nxt = text[self.pos + 1 : self.pos + 2]
                if nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                    self.pos += 2
                elif nxt == "u":
                    digits = text[self.pos + 2 : self.pos + 6]
                    if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
                        raise self.error("invalid \\u escape in string", self.pos)
                    out.append(chr(int(digits, 16)))
                    self.pos += 6
                else:
                    raise self.error(f"invalid escape '\\{nxt}' in string", self.pos)
                continue
            if ch == "\n":
                raise self.error("line break inside a string literal", self.pos)
            out.append(ch)
            self.pos += 1
        value = "".join(out)
        # JSON strings may hold surrogate pairs as two \u escapes; join them.
        if any("\ud800" <= c <= "\udfff" for c in value):
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return self.token(Kind.STRING, start, value)

    def next(self) -> Token:
        self.skip_space_and_comments()
        text, start = self.text, self.pos
        if start >= len(text):
            return self.token(Kind.EOF, start, None)
        ch = text[start]
        if _is_name_start(ch):
            self.pos += 1
            while self.pos < len(text) and _is_name_char(text[self.pos]):
                self.pos += 1
            return self.token(Kind.NAME, start, text[start : self.pos])
        if ch.isdigit() or (ch == "." and text[start + 1 : start + 2].isdigit()):
            return self.number()
        if ch in "\"'":
            return self.string()
        if ch == "@":
            self.pos += 1
            if self.pos >= len(text) or not _is_name_start(text[self.pos]):
                raise self.error("'@' must be followed by a parameter name", start)
            while self.pos < len(text) and _is_name_char(text[self.pos]):
                self.pos += 1
            return self.token(Kind.PARAMETER, start, text[start : self.pos])
        for op in _OPERATORS:
            if text.startswith(op, start):
                self.pos += len(op)
                return self.token(Kind.OP, start, op)
        raise self.error(f"unexpected character {ch!r}", start)


def tokenize(text: str) -> list[Token]:
    """Split query text into tokens, ending with one EOF token."""
    scanner = _Scanner(text)
    tokens = []
    while True:
        tok = scanner.next()
        tokens.append(tok)
        if tok.kind is Kind.EOF:
            return tokens
