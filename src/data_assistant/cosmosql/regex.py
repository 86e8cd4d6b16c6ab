"""RegexMatch and LIKE on RE2: matching takes time linear in the text, whatever the pattern.

A backtracking engine (Python's `re`, PCRE) can take exponential time on a pattern such
as `^(a+)+$`, holding the interpreter while it runs; RE2 cannot. Cosmos DB reads
RegexMatch patterns as PCRE with the modifiers m, s, i and x; RE2 accepts the same
syntax except what needs backtracking (backreferences, lookahead and lookbehind, atomic
groups, possessive quantifiers, conditionals). Such a pattern is refused with a
CosmosQueryError, never handed to a backtracking engine. Two PCRE rules RE2 lacks are
applied here: the x modifier (white space and `#` comments dropped outside classes), and
`$` without m also matching before a final line break.

LIKE patterns of plain text with `%` only at the ends use str methods; the rest become
RE2 patterns.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import lru_cache

from re2 import _re2

from .errors import CosmosQueryError

Matcher = Callable[[str], bool]

_OPTIONS = _re2.RE2.Options()
_OPTIONS.log_errors = False  # errors are reported to the query's author, not to stderr
_OPTIONS.never_capture = True  # only "does it match" is ever asked
_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_ANCHOR_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH
_FLAGS = {"i": "i", "m": "m", "s": "s"}
# What RE2's complaint means, for the few constructs it leaves out on purpose.
_UNSUPPORTED = (
    (tuple("invalid escape sequence: \\" + d for d in "123456789"), "a backreference"),
    (("invalid perl operator: (?=", "invalid perl operator: (?!"), "a lookahead"),
    (("invalid perl operator: (?<=", "invalid perl operator: (?<!"), "a lookbehind"),
    (("invalid perl operator: (?>",), "an atomic group"),
    (("bad repetition operator: ++", "bad repetition operator: *+",
      "bad repetition operator: ?+", "bad repetition operator: }+"), "a possessive quantifier"),
    (("invalid perl operator: (?(",), "a conditional"),
)  # fmt: skip


class _Regex:
    """One compiled RE2 program and how to apply it."""

    __slots__ = ("_anchor", "_program")

    def __init__(self, pattern: str, anchor: object) -> None:
        program = _re2.RE2(pattern.encode("utf-8"), _OPTIONS)
        if not program.ok():
            complaint = program.error()
            if isinstance(complaint, bytes):
                complaint = complaint.decode("utf-8", "replace")
            raise ValueError(complaint)
        self._program = program
        self._anchor = anchor

    def __call__(self, text: str) -> bool:
        data = text.encode("utf-8", "surrogatepass")
        return self._program.Match(self._anchor, data, 0, len(data))[0][0] >= 0


@lru_cache(maxsize=256)
def regex_matcher(pattern: str, modifiers: str) -> Matcher | None:
    """A matcher for RegexMatch(text, pattern, modifiers), or None when a modifier is
    not one of m, s, i, x; raise CosmosQueryError for a pattern RE2 cannot run."""
    if any(m not in "msix" for m in modifiers):
        return None
    flags = "".join(sorted({_FLAGS[m] for m in modifiers if m in _FLAGS}))
    body = _pcre_to_re2(pattern, extended="x" in modifiers, multiline="m" in modifiers)
    try:
        return _Regex(f"(?{flags}){body}" if flags else body, _UNANCHORED)
    except ValueError as exc:
        raise CosmosQueryError(_refusal(pattern, str(exc))) from None


def _refusal(pattern: str, complaint: str) -> str:
    shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
    for markers, construct in _UNSUPPORTED:
        if any(m in complaint for m in markers):
            return (
                f"RegexMatch cannot run the pattern {shown!r}: it uses {construct}, and "
                "regular expressions here run on RE2, in linear time, without backtracking."
            )
    return f"RegexMatch cannot run the pattern {shown!r}: {complaint}."


def _pcre_to_re2(pattern: str, *, extended: bool, multiline: bool) -> str:
    """Apply the PCRE rules RE2 lacks: the x modifier, and `$` before a final newline."""
    if not extended and (multiline or "$" not in pattern):
        return pattern
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if pattern.startswith("\\Q", i):  # \Q...\E quotes everything up to \E
            end = pattern.find("\\E", i + 2)
            end = n if end < 0 else end + 2
            out.append(pattern[i:end])
            i = end
        elif ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif in_class:
            in_class = ch != "]"
            out.append(ch)
            i += 1
        elif ch == "[":
            # A "]" first in the class (after an optional "^") is a literal.
            start = i + 1 + (pattern.startswith("^", i + 1))
            start += pattern.startswith("]", start)
            out.append(pattern[i:start])
            i = start
            in_class = True
        elif extended and ch.isspace():
            i += 1
        elif extended and ch == "#":
            end = pattern.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch == "$" and not multiline:
            out.append("(?:\\n?\\z)")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def like_matcher(pattern: str, escape: str | None = None) -> Matcher:
    """A matcher for `text LIKE pattern [ESCAPE escape]`: % any run, _ one character,
    [set] and [^set] one character of (or not of) a set."""
    if escape is None and not any(ch in pattern for ch in "_["):
        inner = pattern.strip("%")
        if "%" not in inner:
            starts, ends = pattern.startswith("%"), pattern.endswith("%")
            if not inner:
                return (lambda text: True) if starts else (lambda text: text == "")
            if starts and ends:
                return lambda text: inner in text
            if starts:
                return lambda text: text.endswith(inner)
            if ends:
                return lambda text: text.startswith(inner)
            return lambda text: text == inner
    return _Regex(_like_to_re2(pattern, escape), _ANCHOR_BOTH)


def _like_to_re2(pattern: str, escape: str | None) -> str:
    out: list[str] = ["(?s)"]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if escape is not None and ch == escape and i + 1 < n:
            out.append(_quote(pattern[i + 1]))
            i += 2
            continue
        if ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        elif ch == "[" and (end := pattern.find("]", i + 2)) >= 0:
            body = pattern[i + 1 : end]
            negate = body.startswith("^")
            if negate:
                body = body[1:]
            # Keep ranges (a-f) and quote everything else inside the set.
            parts = []
            j = 0
            while j < len(body):
                if j + 2 < len(body) and body[j + 1] == "-":
                    parts.append(f"{_quote(body[j])}-{_quote(body[j + 2])}")
                    j += 3
                else:
                    parts.append(_quote(body[j]))
                    j += 1
            out.append("[" + ("^" if negate else "") + "".join(parts) + "]")
            i = end + 1
            continue
        else:
            out.append(_quote(ch))
        i += 1
    return "".join(out)


def _quote(ch: str) -> str:
    """One character as an RE2 literal, also inside a class."""
    if ch.isalnum() or ch == "_":
        return ch
    if ch in string.punctuation:
        return "\\" + ch
    return f"\\x{{{ord(ch):x}}}"
