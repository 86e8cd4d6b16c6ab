"""Golden queries reused for a question: exact and near-exact matches, literals rebound.

Questions are compared as normalised words (text.py). A golden question's words that
stand for a literal of its query are slots: a year (`revenue in 2023` with
`'2023-01-01'` in the query), a number (`top 5` with `LIMIT 5`) or a value (`orders from
Germany` with `'Germany'`). A new question that says the same around the slots reuses the
query with the new values bound in the syntax tree, never by editing query text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from data_assistant.knowledge.model import GoldenQuery
from data_assistant.knowledge.text import SAME, STOPWORDS, norm_word, tokens
from data_assistant.schema.model import SchemaSnapshot

_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
MAX_VALUE_WORDS = 3
PATTERNS = {
    "year": r"((?:19|20)\d\d)",
    "number": r"(\d+(?:\.\d+)?)",
    "text": r"([^ ]+(?: [^ ]+){0,2})",  # up to MAX_VALUE_WORDS words
}


@dataclass(frozen=True)
class Word:
    """A word of a question: as compared, and as written."""

    norm: str
    text: str


@dataclass(frozen=True)
class Slot:
    """Words of a golden question that a literal of its query stands for."""

    kind: str  # year, number, text
    start: int
    end: int
    value: str  # as written in the golden question


@dataclass(frozen=True)
class GoldenMatch:
    """A golden query that answers a question, with the values that were rebound."""

    golden: GoldenQuery
    query: str
    # Value in the golden question -> value bound for this question.
    bound: dict[str, str] = field(default_factory=dict)


def words(question: str) -> list[Word]:
    """The question's words that matter, normalised, with their written form."""
    text = question
    for pattern, replacement in SAME:
        text = pattern.sub(replacement, text)
    return [Word(norm_word(t), t) for t in tokens(text) if t.lower() not in STOPWORDS]


class GoldenTemplate:
    """One golden query made ready for matching: its words, slots and parsed query."""

    def __init__(self, golden: GoldenQuery, dialect: str) -> None:
        self.golden = golden
        self.dialect = dialect
        self.words = words(golden.question)
        self.tree: exp.Expr | None = None
        if dialect != "cosmos":
            # Cosmos DB queries are matched exactly, their values never rebound.
            try:
                self.tree = sqlglot.parse_one(golden.query, read=dialect)
            except SqlglotError:
                self.tree = None
        self.slots = self._slots() if self.tree is not None else []
        self.pattern = self._pattern()

    def _slots(self) -> list[Slot]:
        assert self.tree is not None
        literals = list(self.tree.find_all(exp.Literal))
        numbers = {_num(lit.this) for lit in literals if lit.is_number}
        strings = [lit.this for lit in literals if lit.is_string]
        slots: list[Slot] = []
        taken: set[int] = set()
        # Text values first, longest first, so that "New York" is one slot.
        for size in range(MAX_VALUE_WORDS, 0, -1):
            for start in range(len(self.words) - size + 1):
                span = range(start, start + size)
                if taken & set(span):
                    continue
                said = " ".join(w.text for w in self.words[start : start + size]).lower()
                if any(value.lower() == said for value in strings) and not _NUMBER.fullmatch(said):
                    written = " ".join(w.text for w in self.words[start : start + size])
                    slots.append(Slot("text", start, start + size, written))
                    taken |= set(span)
        for index, word in enumerate(self.words):
            if index in taken:
                continue
            if _YEAR.fullmatch(word.text) and (
                _num(word.text) in numbers
                or any(v == word.text or v.startswith(word.text + "-") for v in strings)
            ):
                slots.append(Slot("year", index, index + 1, word.text))
            elif _NUMBER.fullmatch(word.text) and _num(word.text) in numbers:
                slots.append(Slot("number", index, index + 1, word.text))
        return sorted(slots, key=lambda s: s.start)

    def _pattern(self) -> re.Pattern[str] | None:
        parts: list[str] = []
        index = 0
        fixed = 0
        for slot in self.slots:
            parts += [re.escape(w.norm) for w in self.words[index : slot.start]]
            fixed += slot.start - index
            parts.append(PATTERNS[slot.kind])
            index = slot.end
        parts += [re.escape(w.norm) for w in self.words[index:]]
        fixed += len(self.words) - index
        if not fixed:
            # A question that is only values says nothing to match on.
            return None
        return re.compile(" ".join(parts))

    def match(self, asked: Sequence[Word], snapshot: SchemaSnapshot | None) -> GoldenMatch | None:
        """The golden query for the asked words, values rebound; None when it does not fit."""
        if self.tree is None:
            same = [w.norm for w in asked] == [w.norm for w in self.words]
            return GoldenMatch(self.golden, self.golden.query) if same and asked else None
        if self.pattern is None:
            return None
        joined, starts = _joined(asked)
        found = self.pattern.fullmatch(joined)
        if found is None:
            return None
        bound: dict[Slot, str] = {}
        for number, slot in enumerate(self.slots, start=1):
            begin, end = found.span(number)
            first, last = starts.index(begin), _last_word(starts, end)
            value = " ".join(w.text for w in asked[first : last + 1])
            if value.lower() != slot.value.lower():
                bound[slot] = value
        if not bound:
            return GoldenMatch(self.golden, self.golden.query)
        tree = self.tree.copy()
        for slot, value in bound.items():
            if not _rebind(tree, slot, value, snapshot):
                return None
        return GoldenMatch(
            self.golden,
            tree.sql(dialect=self.dialect),
            {slot.value: value for slot, value in bound.items()},
        )


def best_match(
    templates: Sequence[GoldenTemplate], question: str, snapshot: SchemaSnapshot | None = None
) -> GoldenMatch | None:
    """The golden query answering `question`: an exact match first, else the near-exact one
    with the fewest values rebound."""
    asked = words(question)
    matches = [m for t in templates if (m := t.match(asked, snapshot)) is not None]
    if not matches:
        return None
    return min(matches, key=lambda m: len(m.bound))


def _joined(asked: Sequence[Word]) -> tuple[str, list[int]]:
    starts, offset = [], 0
    for word in asked:
        starts.append(offset)
        offset += len(word.norm) + 1
    return " ".join(w.norm for w in asked), starts


def _last_word(starts: list[int], end: int) -> int:
    return max(i for i, start in enumerate(starts) if start < end)


def _num(text: str) -> float:
    return float(text)


def _rebind(tree: exp.Expr, slot: Slot, value: str, snapshot: SchemaSnapshot | None) -> bool:
    """Replace the slot's literals in `tree` (in place); whether any was replaced."""
    replaced = False
    for literal in list(tree.find_all(exp.Literal)):
        new = _new_literal(literal, slot, value, snapshot)
        if new is not None:
            literal.replace(new)
            replaced = True
    return replaced


def _new_literal(
    literal: exp.Literal, slot: Slot, value: str, snapshot: SchemaSnapshot | None
) -> exp.Expr | None:
    old = slot.value
    if slot.kind in ("year", "number") and literal.is_number and _num(literal.this) == _num(old):
        return exp.Literal.number(value)
    if slot.kind == "year" and literal.is_string:
        text = literal.this
        if text == old or text.startswith(old + "-"):
            return exp.Literal.string(value + text[len(old) :])
        # The end of a one-year range: [2023-01-01, 2024-01-01).
        after = str(int(old) + 1)
        if text.startswith(after + "-01-01"):
            return exp.Literal.string(str(int(value) + 1) + text[len(after) :])
        return None
    if slot.kind == "text" and literal.is_string and literal.this.lower() == old.lower():
        written = _as_stored(literal, value, snapshot)
        return exp.Literal.string(written) if written is not None else None
    return None


def _as_stored(literal: exp.Literal, value: str, snapshot: SchemaSnapshot | None) -> str | None:
    """`value` as the compared column stores it: a sample value's spelling when the column
    has samples (None when it is not one of them), else as the question wrote it."""
    parent = literal.parent
    column = None
    if isinstance(parent, (exp.EQ, exp.NEQ, exp.Like, exp.ILike)):
        column = next((c for c in parent.find_all(exp.Column)), None)
    elif isinstance(parent, exp.In):
        column = parent.this if isinstance(parent.this, exp.Column) else None
    if column is None or snapshot is None:
        return value
    samples = [
        s
        for table in snapshot.tables
        if (col := table.column(column.name)) is not None
        for s in col.samples
    ]
    if not samples:
        return value
    return next((s for s in samples if s.lower() == value.lower()), None)
