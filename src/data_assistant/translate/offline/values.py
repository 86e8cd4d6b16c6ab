"""The value index: sample values of low-cardinality text columns, found by their words."""

from __future__ import annotations

from dataclasses import dataclass

from data_assistant.translate.offline.gazetteer import (
    COUNTRIES,
    SEX_CODES,
    SEX_WORDS,
    US_STATES,
    country_key,
)
from data_assistant.translate.offline.intent import ColumnRef
from data_assistant.translate.offline.lexicon import FUNCTION_WORDS, MARKERS
from data_assistant.translate.offline.schema_index import ColumnInfo, SchemaIndex
from data_assistant.translate.offline.text import plural, singular, tokenize

_ALL_SEX_WORDS = {w for words in SEX_WORDS.values() for w in words}


@dataclass(frozen=True)
class ValueHit:
    """A phrase of the question found among a column's values (or a known country)."""

    column: ColumnRef
    values: tuple[str, ...]
    sampled: bool  # True when the value was seen in the column's samples


def value_key(text: str) -> tuple[str, ...]:
    """The words of a value as the question tokenizer sees them."""
    return tuple(str(t.value).lower() if t.kind == "number" else t.low for t in tokenize(text))


class ValueIndex:
    """Phrase -> the columns whose samples hold it; countries -> columns named `country`."""

    def __init__(self, index: SchemaIndex) -> None:
        self.hits: dict[tuple[str, ...], list[ValueHit]] = {}
        self.plurals: dict[tuple[str, ...], list[ValueHit]] = {}
        self.pronouns: dict[tuple[str, ...], list[ValueHit]] = {}
        self.country_columns: list[ColumnRef] = []
        worded: set[tuple[str, ...]] = set()  # values a text column spells out
        for info in [*index.columns("text"), *_worded_codes(index)]:
            # A column with samples holds no other values: only unsampled ones may hold it.
            if ("country" in info.words or "nation" in info.words) and not info.column.samples:
                self.country_columns.append(info.ref)
            by_key: dict[tuple[str, ...], list[str]] = {}
            for sample in info.column.samples:
                key = value_key(sample)
                # A value made of words any question uses ("A", "The") would be found in
                # questions that never name it.
                if key and len(key) <= 6 and not all(w in FUNCTION_WORDS for w in key):
                    if len(key) > 1 and (key[0],) in MARKERS and all(w.isdigit() for w in key[1:]):
                        continue  # a value `top3` is never what `top 3` asks for
                    by_key.setdefault(key, []).append(sample)
                if len(key) > 1 and all(w.isalpha() and len(w) <= 3 for w in key):
                    by_key.setdefault(("".join(key),), []).append(sample)  # `phd`: Ph.D.
            for key, samples in by_key.items():
                # Values that differ only where the question's words cannot ("A+", "A-"):
                # which one is meant cannot be told, so none is found.
                if len(samples) == 1 and not (info.kind == "id" and key in worded):
                    self.hits.setdefault(key, []).append(ValueHit(info.ref, (samples[0],), True))
                    worded.update([key] if info.kind == "text" else [])
            for key, samples in by_key.items():
                # `book products` where the category is `Books`, `desserts` of course `dessert`:
                # a value is also found by the other number of its last word, when no value
                # of the column is written that way.
                other = _other_number(key)
                if len(samples) == 1 and other is not None and other not in by_key:
                    self.plurals.setdefault(other, []).append(
                        ValueHit(info.ref, (samples[0],), True)
                    )
            self._countries(info.ref, info.column.samples, by_key)
            self._sexes(info.ref, info.column.samples)
            if "state" in info.words:
                self._states(info.ref, info.column.samples)
        self.max_len = max((len(k) for k in [*self.hits, *self.plurals]), default=1)
        # Words of the data are never typos to fix (`card` of `Discover Card` is not `car`).
        self.vocabulary = {w for key in self.hits for w in key if w.isalpha() and len(w) > 3}
        self.vocabulary |= {key[0] for key in self.hits if key[0] in _ALL_SEX_WORDS}
        self.vocabulary |= {w for key in self.hits if key in US_STATES for w in key}

    def _countries(
        self, ref: ColumnRef, samples: tuple[str, ...], by_key: dict[tuple[str, ...], list[str]]
    ) -> None:
        """`US companies` where the column holds `USA`: a country's other names find it."""
        for sample in samples:
            names = COUNTRIES.get(country_key(sample), ())
            for name in names if len(names) > 1 else ():
                key = country_key(name)
                # `us` is the pronoun unless written `US` or opening the question (tagger)
                found = self.pronouns if all(w in FUNCTION_WORDS for w in key) else self.hits
                if key not in by_key and not any(h.column == ref for h in found.get(key, [])):
                    found.setdefault(key, []).append(ValueHit(ref, (sample,), True))

    def _sexes(self, ref: ColumnRef, samples: tuple[str, ...]) -> None:
        """`female students` where the column holds `F` and `M`: the words find the codes."""
        codes = {str(v).strip().lower() for v in samples}
        if not codes or not codes <= set(SEX_CODES) or len(samples) != len(codes):
            return
        for sample in samples:
            for word in SEX_WORDS[SEX_CODES[str(sample).strip().lower()]]:
                hits = self.hits.setdefault((word,), [])
                if not any(h.column == ref for h in hits):
                    hits.append(ValueHit(ref, (sample,), True))

    def _states(self, ref: ColumnRef, samples: tuple[str, ...]) -> None:
        """`colleges in Louisiana` where the state column holds `LA`, `FL`: the names find
        the codes (only when every sampled value is a state code)."""
        codes = {str(v).strip(): v for v in samples}
        if not codes or not set(codes) <= set(US_STATES.values()):
            return
        for name, code in US_STATES.items():
            if code in codes:
                self.hits.setdefault(name, []).append(ValueHit(ref, (codes[code],), True))

    def lookup(self, phrase: tuple[str, ...]) -> list[ValueHit]:
        """The columns holding this value, sampled ones first, then country columns."""
        found = list(self.hits.get(phrase, ())) or list(self.plurals.get(phrase, ()))
        names = COUNTRIES.get(phrase)
        if names:
            found += [ValueHit(ref, names, False) for ref in self.country_columns]
        return found


def _worded_codes(index: SchemaIndex) -> list[ColumnInfo]:
    """Code columns whose values are words (`working`, `Hard Drive`): a question says them as
    it says any value; letter codes (`AL`, `US`) are left to the columns that spell them out,
    and a code that refers to another table's is found there."""
    referring = {
        ColumnRef(t.key, name)
        for t in index.tables.values()
        for fk in t.table.foreign_keys
        for name in fk.columns
    }
    return [
        c
        for c in index.columns("id")
        if c.column.samples
        and c.ref not in referring  # the table that defines the code holds its values
        and all(
            isinstance(v, str) and all(w.isalpha() and len(w) >= 3 for w in value_key(v))
            for v in c.column.samples
        )
    ]


def _other_number(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The key with its last word in the other number (`books` <-> `book`), if it has one."""
    last = key[-1]
    if not last.isalpha() or len(last) < 4 or last in FUNCTION_WORDS:
        return None
    one = singular(last)
    other = one if one != last else plural(last)
    if singular(other) != one:
        return None
    return (*key[:-1], other)
