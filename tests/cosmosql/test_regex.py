"""RegexMatch and LIKE on RE2: PCRE's meaning kept, linear time, and a clear 400 for the
constructs only a backtracking engine runs."""

from __future__ import annotations

import re

import pytest

from data_assistant.cosmosql import CosmosQueryError, evaluate
from data_assistant.cosmosql.regex import like_matcher, regex_matcher

TEXTS = ["", "abc", "ABC", "abc\n", "a\nb\nc", "a b c", "salt3824908", "über", "x_y%z", "a.b"]
# Patterns both engines read alike; Python's `re` stands in for PCRE as the reference.
PATTERNS = [
    ("^a", ""), ("c$", ""), ("c$", "m"), ("^b$", "m"), ("a.b", ""), ("a.b", "s"),
    ("ABC", "i"), ("[0-9]+", ""), (r"\d{3,}", ""), (r"\bb\b", ""), (r"\w+", ""),
    (r"\s", ""), ("(ab|bc)c?", ""), ("a b c", "x"), ("a\\ b", "x"), ("[ ]b", "x"),
    ("a # comment\n b c", "x"), ("ü", "i"), ("(?i)abc", ""), (r"a\.b", ""), ("[^a-c]", ""),
    (r"^\w+$", "m"), ("salt{1}", ""), ("s....", "i"), ("x_y%", ""), ("$", ""), ("^$", "m"),
]  # fmt: skip
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@pytest.mark.parametrize(("pattern", "modifiers"), PATTERNS)
def test_regexmatch_agrees_with_a_pcre_style_engine(pattern: str, modifiers: str) -> None:
    flags = re.ASCII  # PCRE's classes (\d, \w...) are ASCII, as RE2's are
    for m in modifiers:
        flags |= _FLAGS[m]
    reference = re.compile(pattern, flags)
    matcher = regex_matcher(pattern, modifiers)
    assert matcher is not None
    for text in TEXTS:
        assert matcher(text) is (reference.search(text) is not None), text


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        (r"(a)\1", "backreference"),
        ("a(?=b)", "lookahead"),
        ("a(?!b)", "lookahead"),
        ("(?<=a)b", "lookbehind"),
        ("(?<!a)b", "lookbehind"),
        ("(?>a+)b", "atomic group"),
        ("a++b", "possessive quantifier"),
        ("(a)?(?(1)b|c)", "conditional"),
        ("(", "missing )"),
    ],
)
def test_a_pattern_re2_cannot_run_is_refused_with_the_reason(pattern: str, construct: str):
    with pytest.raises(CosmosQueryError) as caught:
        evaluate("SELECT VALUE RegexMatch('ab', @p)", [], parameters={"@p": pattern})
    assert construct in caught.value.reason
    assert caught.value.status == 400


def test_a_refused_pattern_from_a_document_is_refused_too() -> None:
    with pytest.raises(CosmosQueryError, match="backreference"):
        evaluate("SELECT VALUE RegexMatch(c.s, c.p) FROM c", [{"s": "aa", "p": r"(a)\1"}])


@pytest.mark.parametrize("modifiers", ["g", "ig", "u", "X"])
def test_an_unknown_modifier_gives_undefined(modifiers: str) -> None:
    assert evaluate(f"SELECT VALUE RegexMatch('abc', 'a', '{modifiers}')", []) == []


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        # Each takes a backtracking engine exponential time; RE2 answers at once.
        ("REPLICATE('a', 5000) || '!'", "^(a+)+$"),
        ("REPLICATE('a', 5000) || '!'", "^(a|a)*$"),
        ("REPLICATE('a', 5000) || '!'", "^(a|aa)+$"),
        ("REPLICATE('ab', 2500) || 'c'", "^(ab|a|b)*$"),
        ("REPLICATE('x', 5000)", "(x+x+)+y"),
        ("REPLICATE('a', 5000)", "^(a?){5000}a{5000}$"),
    ],
)
def test_catastrophic_patterns_finish(text: str, pattern: str) -> None:
    query = f"SELECT VALUE RegexMatch({text}, '{pattern}')"
    try:
        result = evaluate(query, [])
    except CosmosQueryError as exc:  # a repetition count past RE2's 1,000
        assert "RegexMatch cannot run" in exc.reason
    else:
        assert result in ([False], [True])


LIKE_TEXTS = ["", "a", "abc", "xabcx", "a_c", "a%c", "ABC", "a\nc", "[x]", "50% off"]
LIKE_PATTERNS = ["", "%", "%%", "abc", "a%", "%c", "%b%", "a_c", "a[_]c", "a[%]c", "[a-b]%",
                 "[^a]%", "%\n%", "a%%c", "%[", "]", "50!%%"]  # fmt: skip


@pytest.mark.parametrize("pattern", LIKE_PATTERNS)
def test_like_fast_paths_agree_with_the_regular_expression(pattern: str) -> None:
    from data_assistant.cosmosql.regex import _ANCHOR_BOTH, _like_to_re2, _Regex

    general = _Regex(_like_to_re2(pattern, None), _ANCHOR_BOTH)
    matcher = like_matcher(pattern)
    for text in LIKE_TEXTS:
        assert matcher(text) == general(text), (pattern, text)


def test_like_with_escape_and_sets() -> None:
    assert evaluate(
        "SELECT VALUE ['50% off' LIKE '50!%%' ESCAPE '!', '500 off' LIKE '50!%%' ESCAPE '!', "
        "'a.c' LIKE 'a.c', 'abc' LIKE 'a.c', 'a\\nc' LIKE 'a_c', 'é' LIKE '_']",
        [],
    ) == [[True, False, True, False, True, True]]
