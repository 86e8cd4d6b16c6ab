"""Tokenizing questions and splitting schema identifiers into comparable words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_LSQ, _RSQ, _LDQ, _RDQ = "\u2018", "\u2019", "\u201c", "\u201d"  # typographic quotes
_QUOTED = (
    r"""(?:(?<=^)|(?<=[\s=(,:]))"""
    rf"""(?:"[^"]+"|'[^']+'|{_LDQ}[^{_RDQ}]+{_RDQ}|{_LSQ}[^{_RSQ}]+{_RSQ})"""
    r"""(?=$|[\s,.?!;:)])"""
)
_TOKEN_RE = re.compile(
    rf"""
    (?P<quoted>{_QUOTED})
  | (?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}})
  | (?P<quarter>\b[qQ][1-4]\b)
  | (?P<ordinal>\d{{1,2}}(?:st|nd|rd|th)\b)
  | (?P<number>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:k\b)?|\.\d+)
  | (?P<op>>=|<=|!=|<>|=>|=<|=|>|<|\$|€|£|%|\#|(?<=[^\W_])\++)
  | (?P<word>[^\W\d_]+(?:['{_RSQ}][^\W\d_]+)?)
    """,
    re.VERBOSE,
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}  # fmt: skip


@dataclass
class Token:
    """One token of a question: original text, lower-cased form and kind."""

    text: str
    low: str
    kind: str  # word, number, quoted, date, op
    start: int
    value: float | int | str | None = None
    # A colon, semicolon, question or exclamation mark follows: names do not run across it.
    pause: bool = False

    @property
    def capitalized(self) -> bool:
        """Whether the original starts with an upper-case letter (a likely proper name)."""
        return self.kind == "word" and self.text[:1].isupper()


def _number(text: str) -> int | float:
    raw = text.replace(",", "")
    scale = 1000 if raw.endswith("k") else 1
    raw = raw.rstrip("k")
    value = float(raw) * scale
    return int(value) if value.is_integer() and "." not in raw else value


def tokenize(question: str) -> list[Token]:
    """Split a question into words, numbers, quoted strings, ISO dates and operators."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(question):
        kind = match.lastgroup or "word"
        text = match.group()
        if kind == "quoted":
            inner = text[1:-1].strip()
            tokens.append(Token(text, inner.lower(), "quoted", match.start(), inner))
        elif kind == "quarter":
            tokens.append(Token(text, text.lower(), "word", match.start()))
        elif kind == "ordinal":
            tokens.append(Token(text, text.lower(), "ordinal", match.start(), int(text[:-2])))
        elif kind == "number":
            tokens.append(Token(text, text.lower(), "number", match.start(), _number(text)))
        elif kind == "word" and (scale := _SCALES.get(text.lower())) and _after_number(tokens):
            num = tokens[-1]  # `1.5 million`: one number
            value = float(num.value) * scale  # type: ignore[arg-type]
            num.value = int(value) if value.is_integer() else value
            num.text, num.low = f"{num.text} {text}", str(num.value)
        elif kind == "word":
            tokens.extend(_word_tokens(text, match.start()))
        else:
            low = {"=>": ">=", "=<": "<=", "<>": "!="}.get(text, text)
            tokens.append(Token(text, low.lower(), kind, match.start()))
    for prev, nxt in itertools.pairwise(tokens):
        gap = question[prev.start + len(prev.text) : nxt.start]
        prev.pause = any(mark in gap for mark in ":;?!")
    return tokens


_SCALES = {"thousand": 1_000, "million": 1_000_000, "millions": 1_000_000, "mln": 1_000_000,
           "billion": 1_000_000_000, "bn": 1_000_000_000}  # fmt: skip


def in_unit(number: float | int, said: str, unit: str) -> float | int:
    """`over 1000 billion` against a column counted in billions: 1000, not 10**12; `over
    1.5 million` against it: 0.0015. A number said without a scale is in the column's unit."""
    scale = said.split()[-1].lower() if said.split() else ""
    if scale in _SCALES and singular(unit) in _SCALES:
        scaled = number / _SCALES[singular(unit)]
        return int(scaled) if float(scaled).is_integer() else scaled
    return number


def _after_number(tokens: list[Token]) -> bool:
    return bool(tokens) and tokens[-1].kind == "number" and tokens[-1].value is not None


def _word_tokens(text: str, start: int) -> list[Token]:
    text = text.replace(_RSQ, "'")
    low = text.lower()
    if low.endswith("n't"):
        head = {"can't": "can", "won't": "will"}.get(low, low[:-3])
        return [Token(head, head, "word", start), Token("not", "not", "word", start)]
    if low.endswith("'s"):
        text, low = text[:-2], low[:-2]
    elif low.split("'")[-1] in {"d", "m", "ve", "ll", "re"}:
        # `I'd like`, `we're`: the pronoun; never the `Id` column
        head = low.split("'")[0]
        return [Token(head, head, "word", start)]
    elif "'" in low:
        text, low = text.replace("'", ""), low.replace("'", "")
    if low in NUMBER_WORDS:
        return [Token(text, low, "number", start, NUMBER_WORDS[low])]
    return [Token(text, low, "word", start)]


_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(name: str) -> list[str]:
    """`InvoiceLineId` -> [invoice, line, id]; `unit_price` -> [unit, price]."""
    words: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        words.extend(w.lower() for w in _CAMEL_RE.findall(part))
    return words


_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman",
    "data": "data", "series": "series", "news": "news", "analyses": "analysis",
    "indices": "index", "statuses": "status", "addresses": "address",
    "campuses": "campus", "buses": "bus", "bonuses": "bonus", "viruses": "virus",
    "syllabuses": "syllabus", "censuses": "census",
}  # fmt: skip
_KEEP = ("ss", "us", "is", "ics", "ous", "sis")


def singular(word: str) -> str:
    """A small English singularizer, good enough for table and column names."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_KEEP):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


def plural(word: str) -> str:
    """A small English pluralizer: `item` -> `items`, `box` -> `boxes`, `city` -> `cities`."""
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def variants(word: str) -> list[str]:
    """Forms to look a question word up by: itself, singular, and verb stems."""
    forms = [word, singular(word)]
    if word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        forms += [word[:-1], stem]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        forms += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    return list(dict.fromkeys(forms))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance, cut short once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, vocabulary: set[str]) -> str | None:
    """The single vocabulary word within a typo's distance of `word`, else None."""
    if len(word) < 4:
        return None
    limit = 1 if len(word) < 8 else 2
    best: list[tuple[int, str]] = []
    for cand in vocabulary:
        if abs(len(cand) - len(word)) > limit or (cand[:1] != word[:1] and len(word) < 6):
            continue
        dist = edit_distance(word, cand, limit)
        if dist <= limit:
            best.append((dist, cand))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    return best[0][1]
