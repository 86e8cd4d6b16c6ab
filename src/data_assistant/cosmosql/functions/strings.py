"""String functions. Arguments of the wrong type give undefined, as in Cosmos."""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

from ..values import UNDEFINED, format_number, is_integer_value, to_json_text
from .registry import builtin

# Cosmos refuses to build longer strings with REPLICATE.
MAX_REPLICATE_LENGTH = 10_000


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
    return "".join(args) if _strings(*args) else UNDEFINED


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
    return text.replace(old, new) if old else text


@builtin("REPLICATE", 2)
def replicate(text: Any, times: Any) -> Any:
    """`text` repeated `times` times (undefined past 10,000 characters)."""
    if type(text) is not str or type(times) not in (int, float) or not math.isfinite(times):
        return UNDEFINED
    n = int(times)
    if n < 0 or len(text) * n > MAX_REPLICATE_LENGTH:
        return UNDEFINED
    return text * n


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
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return UNDEFINED


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


@lru_cache(maxsize=256)
def _regex(pattern: str, modifiers: str) -> re.Pattern[str] | None:
    flags = 0
    for m in modifiers:
        if m == "i":
            flags |= re.IGNORECASE
        elif m == "m":
            flags |= re.MULTILINE
        elif m == "s":
            flags |= re.DOTALL
        elif m == "x":
            flags |= re.VERBOSE
        else:
            return None
    try:
        return re.compile(pattern, flags)
    except re.error:
        return None


@builtin("REGEXMATCH", 2, 3)
def regex_match(text: Any, pattern: Any, modifiers: Any = "") -> Any:
    """True when the regular expression matches somewhere in the string."""
    if not _strings(text, pattern, modifiers):
        return UNDEFINED
    compiled = _regex(pattern, modifiers)
    if compiled is None:
        return UNDEFINED
    return compiled.search(text) is not None


@builtin("STRINGJOIN", 2)
def string_join(items: Any, separator: Any) -> Any:
    """Join an array of strings with a separator."""
    if type(items) is not list or type(separator) is not str or not _strings(*items):
        return UNDEFINED
    return separator.join(items)


@builtin("STRINGSPLIT", 2)
def string_split(text: Any, delimiter: Any) -> Any:
    """Split a string on a delimiter."""
    if not _strings(text, delimiter) or delimiter == "":
        return UNDEFINED
    return text.split(delimiter)
