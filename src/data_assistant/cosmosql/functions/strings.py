"""String functions. Arguments of the wrong type give undefined, as in Cosmos."""

from __future__ import annotations

import json
from typing import Any

from ..errors import CosmosQueryError
from ..limits import MAX_DOCUMENT_DEPTH, MAX_REPLICATE_LENGTH, MAX_STRING_LENGTH
from ..regex import regex_matcher
from ..values import (
    UNDEFINED,
    depth_exceeds,
    format_number,
    is_finite,
    is_integer_value,
    to_json_text,
)
from .registry import builtin


def built(text: str, name: str) -> str:
    """`text`, unless a function built it past MAX_STRING_LENGTH."""
    if len(text) > MAX_STRING_LENGTH:
        raise too_long(name)
    return text


def too_long(name: str) -> CosmosQueryError:
    """The error for a string the query would build past MAX_STRING_LENGTH."""
    return CosmosQueryError(
        f"{name} would build a string of more than {MAX_STRING_LENGTH:,} characters."
    )


def _strings(*values: Any) -> bool:
    return all(type(v) is str for v in values)


def _flag(value: Any) -> bool | None:
    """An optional boolean flag argument: None when it is not a boolean."""
    return value if type(value) is bool else None


def _int_arg(value: Any) -> int | None:
    if type(value) in (int, float) and is_integer_value(value):
        return int(value)
    return None


@builtin("CONCAT", 2, None)
def concat(*args: Any) -> Any:
    """Join strings; undefined if any argument is not a string."""
    if not _strings(*args):
        return UNDEFINED
    if sum(map(len, args)) > MAX_STRING_LENGTH:
        raise too_long("CONCAT")
    return "".join(args)


def _case_compare(name: str, op: Any) -> None:
    @builtin(name, 2, 3)
    def impl(text: Any, part: Any, ignore_case: Any = False) -> Any:
        flag = _flag(ignore_case)
        if not _strings(text, part) or flag is None:
            return UNDEFINED
        if flag:
            text, part = text.lower(), part.lower()
        return op(text, part)

    impl.__doc__ = f"{name}(string, string [, ignoreCase])."


_case_compare("CONTAINS", lambda t, p: p in t)
_case_compare("STARTSWITH", lambda t, p: t.startswith(p))
_case_compare("ENDSWITH", lambda t, p: t.endswith(p))
_case_compare("STRINGEQUALS", lambda t, p: t == p)


@builtin("INDEX_OF", 2, 3)
def index_of(text: Any, part: Any, start: Any = 0) -> Any:
    """Position of the first occurrence (from `start`), or -1."""
    begin = _int_arg(start)
    if not _strings(text, part) or begin is None:
        return UNDEFINED
    return text.find(part, max(begin, 0))


@builtin("LASTINDEXOF", 2, 2)
def last_index_of(text: Any, part: Any) -> Any:
    """Position of the last occurrence, or -1."""
    return text.rfind(part) if _strings(text, part) else UNDEFINED


@builtin("LEFT", 2)
def left(text: Any, count: Any) -> Any:
    """The first `count` characters."""
    n = _int_arg(count)
    if type(text) is not str or n is None or n < 0:
        return UNDEFINED
    return text[:n]


@builtin("RIGHT", 2)
def right(text: Any, count: Any) -> Any:
    """The last `count` characters."""
    n = _int_arg(count)
    if type(text) is not str or n is None or n < 0:
        return UNDEFINED
    return text[len(text) - n :] if n else ""


@builtin("SUBSTRING", 3)
def substring(text: Any, start: Any, length: Any) -> Any:
    """`length` characters from the 0-based `start`."""
    if type(text) is not str or type(start) not in (int, float) or type(length) not in (int, float):
        return UNDEFINED
    if not (is_finite(start) and is_finite(length)):
        return UNDEFINED
    begin, n = max(int(start), 0), int(length)
    return text[begin : begin + n] if n > 0 else ""


@builtin("LENGTH", 1)
def length(text: Any) -> Any:
    """Number of characters of a string."""
    return len(text) if type(text) is str else UNDEFINED


@builtin("LOWER", 1)
def lower(text: Any) -> Any:
    """Lower-case copy."""
    return text.lower() if type(text) is str else UNDEFINED


@builtin("UPPER", 1)
def upper(text: Any) -> Any:
    """Upper-case copy."""
    return text.upper() if type(text) is str else UNDEFINED


def _trim(name: str, method: str) -> None:
    @builtin(name, 1, 2)
    def impl(text: Any, chars: Any = None) -> Any:
        if type(text) is not str or (chars is not None and type(chars) is not str):
            return UNDEFINED
        if chars == "":
            return text
        return getattr(text, method)(chars)

    impl.__doc__ = f"{name}(string [, characters]): strip whitespace or the given characters."


_trim("LTRIM", "lstrip")
_trim("RTRIM", "rstrip")
_trim("TRIM", "strip")


@builtin("REPLACE", 3)
def replace(text: Any, old: Any, new: Any) -> Any:
    """Replace every occurrence of `old` with `new`."""
    if not _strings(text, old, new):
        return UNDEFINED
    if not old:
        return text
    # Check the size before building it: nested REPLACEs grow geometrically.
    if len(new) > len(old) and len(text) + text.count(old) * (len(new) - len(old)) > (
        MAX_STRING_LENGTH
    ):
        raise too_long("REPLACE")
    return text.replace(old, new)


@builtin("REPLICATE", 2)
def replicate(text: Any, times: Any) -> Any:
    """`text` repeated `times` times (undefined past MAX_REPLICATE_LENGTH characters)."""
    if type(text) is not str or type(times) not in (int, float) or not is_finite(times):
        return UNDEFINED
    n = int(times)
    if n < 0 or (text and n > MAX_REPLICATE_LENGTH) or len(text) * n > MAX_REPLICATE_LENGTH:
        return UNDEFINED
    return text * n if text else ""


@builtin("REVERSE", 1)
def reverse(text: Any) -> Any:
    """The characters in reverse order."""
    return text[::-1] if type(text) is str else UNDEFINED


@builtin("TOSTRING", 1)
def to_string(value: Any) -> Any:
    """Text of any value: numbers as Cosmos prints them, arrays and objects as JSON."""
    t = type(value)
    if value is UNDEFINED:
        return UNDEFINED
    if t is str:
        return value
    if t is int or t is float:
        return format_number(value)
    return to_json_text(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(text: Any) -> Any:
    if type(text) is not str:
        return UNDEFINED
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # bad JSON, an integer of 4,300+ digits, deep
        return UNDEFINED
    return UNDEFINED if depth_exceeds(value, MAX_DOCUMENT_DEPTH) else value


@builtin("STRINGTOARRAY", 1)
def string_to_array(text: Any) -> Any:
    """Parse JSON text holding an array."""
    value = _parse_json(text)
    return value if type(value) is list else UNDEFINED


@builtin("STRINGTOOBJECT", 1)
def string_to_object(text: Any) -> Any:
    """Parse JSON text holding an object."""
    value = _parse_json(text)
    return value if type(value) is dict else UNDEFINED


@builtin("STRINGTOBOOLEAN", 1)
def string_to_boolean(text: Any) -> Any:
    """Parse "true" or "false" (surrounding whitespace allowed)."""
    value = _parse_json(text)
    return value if type(value) is bool else UNDEFINED


@builtin("STRINGTONULL", 1)
def string_to_null(text: Any) -> Any:
    """Parse "null" (surrounding whitespace allowed)."""
    if type(text) is not str or text.strip() != "null":
        return UNDEFINED
    return None


@builtin("STRINGTONUMBER", 1)
def string_to_number(text: Any) -> Any:
    """Parse a JSON number (surrounding whitespace allowed)."""
    value = _parse_json(text)
    return value if type(value) in (int, float) else UNDEFINED


@builtin("REGEXMATCH", 2, 3)
def regex_match(text: Any, pattern: Any, modifiers: Any = "") -> Any:
    """True when the regular expression matches somewhere in the string (RE2, linear time)."""
    if not _strings(text, pattern, modifiers):
        return UNDEFINED
    matcher = regex_matcher(pattern, modifiers)
    return UNDEFINED if matcher is None else matcher(text)


@builtin("STRINGJOIN", 2)
def string_join(items: Any, separator: Any) -> Any:
    """Join an array of strings with a separator."""
    if type(items) is not list or type(separator) is not str or not _strings(*items):
        return UNDEFINED
    size = sum(map(len, items)) + len(separator) * max(len(items) - 1, 0)
    if size > MAX_STRING_LENGTH:
        raise too_long("StringJoin")
    return separator.join(items)


@builtin("STRINGSPLIT", 2)
def string_split(text: Any, delimiter: Any) -> Any:
    """Split a string on a delimiter."""
    if not _strings(text, delimiter) or delimiter == "":
        return UNDEFINED
    return text.split(delimiter)
