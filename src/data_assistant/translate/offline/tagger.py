"""Tagging: each stretch of the question becomes a marker, a schema term, a value or a date.

Longest match wins; a word nothing claims is corrected for typos against the known
vocabulary, kept as a proper name when capitalized, or reported as not understood.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from data_assistant.translate.offline.dates import MONTHS, parse_date_phrase
from data_assistant.translate.offline.gazetteer import COUNTRIES
from data_assistant.translate.offline.intent import DateRange
from data_assistant.translate.offline.lexicon import (
    FILLER,
    FUNCTION_WORDS,
    MARKERS,
    PHRASE_SYNONYMS,
    RELATION_VERBS,
    SELF_MARKERS,
    SHORT_FORMS,
    SYNONYMS,
)
from data_assistant.translate.offline.schema_index import Candidate, SchemaIndex
from data_assistant.translate.offline.text import Token, closest, singular, tokenize, variants
from data_assistant.translate.offline.values import ValueHit, ValueIndex

# Markers that are stronger than a sampled value spelled the same way.
_STRUCTURAL = {"group", "sort", "cmp", "post", "neg", "conj", "dir", "named", "agg", "top",
               "sup", "distinct", "money", "self", "like"}  # fmt: skip
_MAX_MARKER = max(len(k) for k in MARKERS)


@dataclass
class Item:
    """A tagged stretch of the question, tokens [start, end)."""

    kind: str  # schema, value, proper, quoted, number, range, date, marker, unknown
    start: int
    end: int
    text: str
    cands: list[Candidate] = field(default_factory=list)
    hits: list[ValueHit] = field(default_factory=list)
    marker: str = ""
    alt_marker: str = ""
    number: float | int | None = None
    upper: float | int | None = None
    date_range: DateRange | None = None
    plural: bool = False
    money: bool = False
    lead: str = ""  # the filler word just before the item ("in", "of"...), if any
    boundary: bool = False  # a sentence ends right before it (`...? First names.`)

    @property
    def mkind(self) -> str:
        """The marker's kind (`agg` of `agg:count`)."""
        return self.marker.split(":", 1)[0]

    @property
    def mval(self) -> str:
        """The marker's payload (`count` of `agg:count`)."""
        return self.marker.split(":", 1)[1] if ":" in self.marker else ""


# Bound on remembered corrections per schema (each entry is a word and its fix).
_MAX_CORRECTIONS = 10_000


class Tagger:
    """Tags questions against one schema's indexes."""

    def __init__(self, index: SchemaIndex, values: ValueIndex) -> None:
        self.index = index
        self.values = values
        # `reports to`, `manager`: only where a table names each row's superior.
        self.self_markers = SELF_MARKERS if any(t.boss for t in index.tables.values()) else {}
        marker_words = {w for phrase in [*MARKERS, *self.self_markers] for w in phrase}
        self.marker_words = marker_words
        country_words = {w for phrase in COUNTRIES for w in phrase}
        # Typos are corrected towards meaningful words only, never into filler.
        self.targets = (
            index.vocabulary | values.vocabulary | marker_words | set(SYNONYMS) | set(MONTHS)
            | country_words
        ) - FILLER  # fmt: skip
        self.vocabulary = self.targets | FILLER | RELATION_VERBS
        self.max_len = max(index.max_len, values.max_len, _MAX_MARKER, 4)
        # Corrections found before: the search compares a word with every target.
        self._corrections: dict[str, str | None] = {}
        self._one_word_columns = {c.words[0] for c in index.columns() if len(c.words) == 1}
        self._abbreviations: dict[str, str | None] = {}
        # `accelerators compatible with a browser`: a word only a link table's name says is
        # the link (accelerator_compatible_browser), like `play` or `attend`
        tables = list(index.tables.values())
        self.link_words = {w for t in tables if t.links_rows for w in t.words} - {
            w for t in tables if not t.links_rows for w in t.words
        }

    def tag(self, question: str, today: date) -> list[Item]:
        """The items of a question, filler words left out."""
        tokens = _not_yet(_agents(_in_total(_plain_with(tokenize(question)))))
        tokens = self._split_negations(_distribute_head(self._comparatives(tokens)))
        tokens = self._when_done(self._correct(tokens))
        words = [_word(t) for t in tokens]
        items: list[Item] = []
        i = 0
        while i < len(tokens):
            item = self._tag_at(question, tokens, words, i, today, items)
            if item is None:
                i += 1
                continue
            item.lead = _lead(tokens, item.start)
            item.boundary = _sentence_break(question, tokens, item.start)
            items.append(item)
            i = item.end
        _money(items)
        items = self._percent_units(items)
        items = _versus_average(_verbs_before_values(_each_listed(items, tokens), tokens))
        _best_before_a_column(items)
        items = _from_one_end_to_the_other(items, tokens)
        _values_before_their_tables(items)
        return _restated_directions(_repeated_aggregates(_same_column_runs(items)))

    def _when_done(self, tokens: list[Token]) -> list[Token]:
        """`when was the college founded?`: the closing verb is what the date asked for
        dates; the reader takes the rows' one date (or refuses)."""
        last = tokens[-1] if len(tokens) > 2 and tokens[0].low == "when" else None
        if (
            last is not None
            and last.kind == "word"
            and (last.low.endswith("ed") or last.low in _PARTICIPLES)
            and last.low not in self.vocabulary
        ):
            return tokens[:-1]
        return tokens

    def _comparatives(self, tokens: list[Token]) -> list[Token]:
        """`older than 20` -> `age over 20` when the schema has an age (younger: under);
        `taller`, `heavier` alike for a height or a weight."""
        known: dict[str, tuple[str, str]] = {}
        for word, options in _COMPARATIVES.items():
            found = [(col, cmp) for col, cmp in options if col in self.index.vocabulary]
            if len(found) == 1:  # `shorter` of a table with a height and a length: unsure
                known[word] = found[0]
        if not known:
            return tokens
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            if tokens[i].low in known and nxt == "than":
                column, cmp = known[tokens[i].low]
                start = tokens[i].start
                out += [Token(column, column, "word", start), Token(cmp, cmp, "word", start)]
                i += 2
                continue
            if "age" not in self.index.vocabulary:
                out.append(tokens[i])
                i += 1
                continue
            unit = tuple(t.low for t in tokens[i + 1 : i + 3])
            if tokens[i].kind == "number" and unit in _YEARS_OLD:
                # `over 20 years old` -> `over 20 age`; `20 years old` -> `age 20`
                age = Token("age", "age", "word", tokens[i].start)
                if any(t.low == "age" for t in out[-2:]):  # `younger than 20 years old`
                    out.append(tokens[i])
                elif out and out[-1].low in self.marker_words:
                    out += [tokens[i], age]
                else:
                    out += [age, tokens[i]]
                i += 3
                continue
            out.append(tokens[i])
            i += 1
        return out

    def _split_negations(self, tokens: list[Token]) -> list[Token]:
        """`inactive` -> `not active` when `active` is a known word and `inactive` is not (a
        typo fix would otherwise drop the prefix and flip the meaning)."""
        out: list[Token] = []
        for tok in tokens:
            low = tok.low
            prefix = next((p for p in _NEGATING if low.startswith(p)), None)
            if tok.kind == "word" and prefix and not _known(low, self.vocabulary):
                stem = low[len(prefix) :].lstrip("-")
                if len(stem) >= 3 and _known(stem, self.targets):
                    out += [
                        Token("not", "not", "word", tok.start),
                        Token(stem, stem, "word", tok.start),
                    ]
                    continue
            out.append(tok)
        return out

    def _correct(self, tokens: list[Token]) -> list[Token]:
        """Replace misspelt words by the one known word a typo away; a word the fix would
        only negate (`available` -> `unavailable`) is read as `not` that word."""
        out: list[Token] = []
        for tok in tokens:
            out.append(tok)
            if tok.kind != "word" or len(tok.low) < 4 or _known(tok.low, self.vocabulary):
                continue
            if tok.low in self._corrections:
                fixed = self._corrections[tok.low]
            else:
                fixed = closest(tok.low, self.targets)
                if len(self._corrections) >= _MAX_CORRECTIONS:
                    self._corrections.clear()
                self._corrections[tok.low] = fixed
            if fixed in MONTHS and len(tok.low) < 6:
                fixed = None  # `Mark` is a name, not a misspelt March
            if fixed is not None and any(fixed == p + tok.low for p in _NEGATING):
                out.insert(-1, Token("not", "not", "word", tok.start))
            if fixed is not None:
                tok.low = fixed
        return out

    def _tag_at(
        self,
        question: str,
        tokens: list[Token],
        words: list,
        i: int,
        today: date,
        items: list[Item],
    ) -> Item | None:
        tok = tokens[i]
        text = tok.text
        if tok.kind == "quoted":
            return Item("quoted", i, i + 1, str(tok.value))
        if items and items[-1].mkind == "like" and items[-1].end == i and tok.kind == "word":
            # `starts with Mc`, `ending in .com`: letters, as written
            dot = "." if question[tok.start - 1 : tok.start] == "." else ""
            return Item("quoted", i, i + 1, dot + tok.text)
        after_cmp = bool(items) and items[-1].mkind in {"cmp", "top", "money"}
        if not after_cmp and (dated := parse_date_phrase(words, i, today)) is not None:
            used, rng = dated
            return Item("date", i, i + used, _span(tokens, i, i + used), date_range=rng)
        if tok.low == "between" and _is_range(tokens, i):
            lo, hi = tokens[i + 1].value, tokens[i + 3].value
            assert isinstance(lo, int | float) and isinstance(hi, int | float)
            return Item("range", i, i + 4, _span(tokens, i, i + 4), number=lo, upper=hi)
        if (
            tok.low in {"member", "members"}
            and items
            and items[-1].end == i
            and names_table(items[-1])
            and ("member" not in self.index.vocabulary or self._people(items[-1]))
        ):
            # `faculty members`, `staff members`: the faculty, the staff (a table of people;
            # `club members` are people of another table)
            return None
        if (
            tok.low in {"located", "based", "situated"}
            and i + 1 < len(tokens)
            and tokens[i + 1].low in {"in", "at", "near"}
        ):
            return None  # `campuses located in LA County`: where they are, not the column
        if tok.low == "first" and i + 1 < len(tokens) and i > 0 and tokens[i - 1].low == "the":
            # `the first rental`: the earliest one (`first name` is a column, found before;
            # `whose first order` is each one's own first, not read)
            following = self._longest(tokens, i + 1)
            if (
                following is not None
                and names_table(following)
                and self._longest(tokens, i) in (None, following)
            ):
                return Item("marker", i, i + 1, text, marker="sup:asc:date")
        if (
            tok.kind == "word"
            and any(f in self.link_words for f in variants(tok.low))
            and self._only_a_link(self._longest(tokens, i))
        ):
            return None  # `compatible with`: the link table's own word
        if after_cmp and tok.kind == "number" and items[-1].mkind == "cmp":
            matched = None  # `more than two orders`: a count, though a column holds `2`
        else:
            matched = self._longest(tokens, i)
        if (
            matched is not None
            and matched.kind == "schema"
            and matched.end == i + 1
            and tok.low in _PREPOSITIONS
            and not (i > 0 and tokens[i - 1].low == "the")
        ):
            matched = None  # `managers from the US`: a preposition, not a column `From`
        if matched is not None:
            return matched
        if tok.kind == "number":
            assert isinstance(tok.value, int | float)
            return Item("number", i, i + 1, text, number=tok.value)
        if tok.kind == "op" and tok.low in {"$", "€", "£"}:
            return Item("marker", i, i + 1, text, marker="money:")
        if tok.low in _KIND_WORDS and items and items[-1].end == i and names_table(items[-1]):
            return self._kind_of(items, i, text)
        if (
            tok.low in {"level", "levels"}
            and items
            and items[-1].end == i
            and names_column(items[-1])
            and "level" not in self.index.vocabulary
        ):
            return None  # `each difficulty level`: the difficulty column's values
        if (
            tok.kind == "word"
            and tok.low in _HAVE_VERBS
            and not any(f in self.index.vocabulary for f in variants(tok.low))
        ):
            return None  # `gymnasts who scored above 50 points`: who have
        if tok.kind == "word" and tok.low in RELATION_VERBS:
            hits = [h for h in self.values.lookup((tok.low,)) if h.sampled]
            after = tokens[i + 1].low if i + 1 < len(tokens) else ""
            if hits and after and after not in FUNCTION_WORDS | RELATION_VERBS:
                # `working documents`: a status of the data before a noun, not a link
                return Item("value", i, i + 1, text, hits=hits)
            return None  # `students who play football`: the schema's link says how
        placed = bool(items) and items[-1].end == i and items[-1].kind in {"value", "proper"}
        if tok.kind == "word" and tok.low == "based" and placed:
            return None  # `US-based companies`: where they are
        pronoun = self.values.pronouns.get((tok.low,))
        if tok.kind == "word" and pronoun and (_acronym(tok) or i == 0):
            return Item("value", i, i + 1, text, hits=pronoun)  # `US companies`, `us firms`
        if tok.kind == "word" and tok.low in FILLER and not _acronym(tok):
            hits = [h for h in self.values.lookup((tok.low,)) if h.sampled]
            if not hits or tok.low in FUNCTION_WORDS:
                return None
            # `recipes tagged quick`: a value of the data, though a word questions use.
            return Item("value", i, i + 1, text, hits=hits)
        if (
            tok.kind == "word"
            and ((tok.low.endswith("ed") and len(tok.low) > 4) or tok.low in _PARTICIPLES)
            and i + 1 < len(tokens)
            and parse_date_phrase(words, i + 1, today) is not None
        ):
            # `invoices issued in March 2010`: what happened on the rows' one date
            return Item("marker", i, i + 1, text, marker="dateverb:")
        if tok.kind == "word" and tok.capitalized:
            end = i + 1
            while (
                end < len(tokens)
                and tokens[end].capitalized
                and self._longest(tokens, end) is None
                and not _sentence_break(question, tokens, end)  # `Carlos Scott? Give ...`
            ):
                end += 1
            return Item("proper", i, end, _span(tokens, i, end))
        return Item("unknown", i, i + 1, text)

    def _people(self, item: Item) -> bool:
        """Whether every table the item names holds people (named by first and last name)."""
        tables = {c.table for c in item.cands if c.kind == "table"}
        return bool(tables) and all(len(self.index.tables[t].label) == 2 for t in tables)

    def _kind_of(self, items: list[Item], i: int, text: str) -> Item:
        """`apartment type`: the one type column of the table just named, merged into its
        item; without exactly one, the word stays not understood (never silently dropped)."""
        prev = items[-1]
        tables = {c.table for c in prev.cands if c.kind == "table"}
        cols = [
            c
            for t in sorted(tables)
            for c in self.index.tables[t].columns.values()
            if c.kind == "text" and _KIND_WORDS & set(c.words)
        ]
        if len(cols) != 1:
            return Item("unknown", i, i + 1, text)
        col = cols[0]
        items.pop()
        cand = Candidate("column", col.ref.table, col.ref.column, 3, col.kind)
        return Item("schema", prev.start, i + 1, f"{prev.text} {text}", cands=[cand])

    def _longest(self, tokens: list[Token], i: int) -> Item | None:
        for length in range(min(self.max_len, len(tokens) - i), 0, -1):
            span = tokens[i : i + length]
            if any(t.kind not in {"word", "number", "op"} for t in span):
                continue
            if length > 1 and any(t.kind == "op" for t in span) and span[0].low != "#":
                continue
            lows = tuple(_low(t) for t in span)
            if any(t.pause for t in span[:-1]):
                # `the five heaviest shipments: id and weight`: no name runs across a colon
                # (a value of the data may: `Humanity: a fact`)
                hits = self.values.lookup(lows)
                if hits:
                    text = _span(tokens, i, i + length)
                    return Item("value", i, i + length, text, hits=hits)
                continue
            item = self._match(lows, i, length, _span(tokens, i, i + length))
            if item is not None and length > 1 and self._verb_of_a_link(item, span[-1]):
                continue  # `players coached by X`: players, then the link, not player_coach
            if item is not None:
                item.plural = span[-1].low != singular(span[-1].low)
                return item
        return None

    def _verb_of_a_link(self, item: Item, last: Token) -> bool:
        """Whether a phrase names a link table only by ending in a verb form of its last
        word (`players coached` of player_coach)."""
        return (
            bool(item.cands)
            and self._links_only(item, below=4)
            and last.low.endswith("ed")
            and last.low not in self.index.vocabulary
        )

    def _match(self, lows: tuple[str, ...], i: int, length: int, text: str) -> Item | None:
        marker = MARKERS.get(lows, "") or self.self_markers.get(lows, "")
        cands = self._schema(lows)
        hits = self.values.lookup(lows) if all(w.isalnum() or w == "&" for w in lows) else []
        if not (marker or cands or hits):
            return None
        end = i + length
        strong = max((c.strength for c in cands), default=0)
        mkind = marker.split(":", 1)[0]
        if cands and (strong >= 2 or not marker):
            kind = "schema" if strong >= 2 or not hits else "value"
            return Item(kind, i, end, text, cands=cands, hits=hits, alt_marker=marker)
        if marker and (mkind in _STRUCTURAL or not any(h.sampled for h in hits)):
            return Item("marker", i, end, text, marker=marker, cands=cands, hits=hits)
        if hits:
            return Item("value", i, end, text, cands=cands, hits=hits, alt_marker=marker)
        return Item("marker", i, end, text, marker=marker, cands=cands)

    def _forms(self, word: str) -> list[str]:
        # `clinic` finds Clinics, which singular() keeps as it is (like physics).
        forms = [*variants(word), word + "s"]
        if word.endswith("s") and len(word) > 2:
            forms.append(word[:-1])  # `ids`, which singular() keeps
        noun = word[:-2] + "ing"
        if word.endswith("ed") and noun in self._one_word_columns:
            return [noun]  # `rated` PG is the rating column, not the rental rate
        if any(f in self.index.vocabulary for f in forms):
            return forms
        nouns = [n for n in _derived(word, forms) if n in self.index.vocabulary]
        if nouns:
            return nouns  # `enrolled` -> enrollment, `paid` -> payment
        short = self._abbreviation(forms[1] if len(forms) > 1 else word)
        if short is not None:
            return [short]  # `vehicles` -> veh, `shipments` -> shpmt
        full = SHORT_FORMS.get(singular(word))
        if full is not None and full in self.index.vocabulary:
            return [full]  # `docs` -> document, `reps` -> representative
        return forms + [syn for f in forms for syn in SYNONYMS.get(f, ()) if " " not in syn]

    def _percent_units(self, items: list[Item]) -> list[Item]:
        """`a share of more than 3 percent`, `over 3% share`: the unit of the number, when a
        column counted in percent is named elsewhere (a fraction column is not read so)."""
        named = any(
            it.kind == "schema"
            and it.text.lower() not in _PERCENT
            and any(
                c.column is not None
                and _PERCENT & set(self.index.tables[c.table].columns[c.column].words)
                for c in it.cands
            )
            for it in items
        )
        return [
            it
            for pos, it in enumerate(items)
            if not (
                named
                and it.text.lower() in _PERCENT
                and pos > 0
                and items[pos - 1].kind == "number"
                and items[pos - 1].end == it.start
            )
        ]

    def _only_a_link(self, item: Item | None) -> bool:
        """Whether a word names nothing, or only part of a link table's name (`reported` of
        news_report)."""
        return item is None or self._links_only(item, below=3)

    def _links_only(self, item: Item, below: int) -> bool:
        """Whether every candidate of an item is a link table, named weaker than `below`."""
        return all(
            c.kind == "table" and c.strength < below and self.index.tables[c.table].links_rows
            for c in item.cands
        )

    def _abbreviation(self, word: str) -> str | None:
        """The schema's abbreviation of a question word: the longest schema word of three or
        more letters that starts like it and whose letters it holds in order (emp, shpmt)."""
        if len(word) < 4 or word in FILLER or word in self.marker_words or not word.isalpha():
            return None
        if word in self._abbreviations:
            return self._abbreviations[word]
        found = [
            a
            for a in self.index.vocabulary
            if 3 <= len(a) < len(word) and a[0] == word[0] and a.isalpha() and _holds(word, a)
        ]
        best = max(found, key=len, default=None)
        if best is not None and sum(len(a) == len(best) for a in found) > 1:
            best = None  # two as long: no guess
        if len(self._abbreviations) < _MAX_CORRECTIONS:
            self._abbreviations[word] = best
        return best

    def _schema(self, lows: tuple[str, ...]) -> list[Candidate]:
        """Schema candidates for a phrase, trying singulars, verb stems and synonyms."""
        if lows in PHRASE_SYNONYMS and not self.index.lookup(lows):
            synonyms: list[Candidate] = []
            for alt in PHRASE_SYNONYMS[lows]:
                synonyms += [c for c in self.index.lookup(tuple(alt.split())) if c not in synonyms]
            return synonyms
        if not all(w.isalpha() for w in lows):
            return []
        forms = [self._forms(w) for w in lows]
        if len(lows) > 3:
            forms = [f[:2] for f in forms]
        found: list[Candidate] = []
        for combo in itertools.product(*forms):
            found.extend(c for c in self.index.lookup(combo) if c not in found)
        if found or len(lows) != 1:
            return found
        for word in variants(lows[0]):
            for syn in SYNONYMS.get(word, ()):
                found.extend(c for c in self.index.lookup(tuple(syn.split())) if c not in found)
            if found:
                break
        return found


_HEADS = {"name", "names", "date", "dates"}

# Verbs whose stems the suffix rules cannot find.
_IRREGULAR = {
    "taught": "teach", "written": "write", "wrote": "write", "paid": "pay", "taken": "take",
    "took": "take", "given": "give", "gave": "give", "held": "hold", "ran": "run",
    "driven": "drive", "drove": "drive", "flown": "fly", "flew": "fly",
}  # fmt: skip
_NOUN_SUFFIXES = ("ment", "ion", "ation", "al", "er", "or", "ing")


def _derived(word: str, forms: list[str]) -> list[str]:
    """Nouns a verb of the question may be named by in a schema: enrolled -> enrollment,
    rented -> rental, taught -> teacher, registered -> registration."""
    stems = [_IRREGULAR[word]] if word in _IRREGULAR else [f for f in forms[1:] if len(f) > 2]
    out: list[str] = []
    for stem in stems:
        bare = stem[:-1] if stem.endswith("e") else stem
        out += [stem, *(bare + suffix for suffix in _NOUN_SUFFIXES)]
        out += [stem + suffix for suffix in _NOUN_SUFFIXES]
    return [w for w in dict.fromkeys(out) if w != word]


_NEGATING = ("non", "un", "in", "dis")
# Past participles not ending in -ed, said before a date: `sent in 2019`, `made in 2020`.
_PARTICIPLES = {"sent", "made", "built", "held", "begun", "done", "paid", "sold", "bought",
                "given", "taken", "written", "won", "lost", "born", "set", "run"}  # fmt: skip
_TAKE = {"take", "takes", "took", "taken", "taking"}
_PREPOSITIONS = {"from", "to", "in", "on", "at", "by", "for", "with", "of", "into", "about", "as"}
_PERCENT = {"percent", "%", "pct", "per cent", "percentage"}
# Verbs saying rows have an amount (`scored 50 points`), unless the schema names them.
_HAVE_VERBS = {"scored", "earned", "gained", "got", "achieved", "obtained", "collected",
               "accumulated", "amassed", "racked"}  # fmt: skip
# Comparatives that name the column they compare: `taller than 2` is `height over 2`.
_COMPARATIVES = {
    "older": [("age", "over")], "younger": [("age", "under")], "taller": [("height", "over")],
    "shorter": [("height", "under"), ("length", "under")], "heavier": [("weight", "over")],
    "lighter": [("weight", "under")], "longer": [("length", "over")],
}  # fmt: skip
_YEARS_OLD = {("years", "old"), ("year", "old"), ("yrs", "old"), ("yr", "old")}


def _plain_with(tokens: list[Token]) -> list[Token]:
    """`names together with their hosts`, `along with how many`: `with`; `took part in`,
    `took place in`: `took` (a link, or the rows' date); `in the year 2002`: `in 2002`."""
    out: list[Token] = []
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if t.low in {"together", "along"} and nxt == "with":
            continue
        if t.low in {"part", "place"} and out and out[-1].low in _TAKE and nxt == "in":
            continue
        ahead = tokens[i + 1] if i + 1 < len(tokens) else None
        yearly = ahead is not None and ahead.kind == "number" and len(ahead.text) == 4
        if t.low == "year" and yearly and out and out[-1].low in {"the", "in"}:
            continue  # `in the year 2002`: in 2002
        out.append(t)
    return out


def _not_yet(tokens: list[Token]) -> list[Token]:
    """`orders that have not shipped yet`, `rentals not returned yet`: the date of it is
    missing (`shipped missing`), not some other status. Only `not <verb> yet` (`not been
    <verb> yet`); anything between the verb and `yet` leaves the word unread."""
    out = list(tokens)
    for i, tok in enumerate(tokens):
        if tok.low != "yet" or i < 2:
            continue
        j = i - 2
        while j >= 0 and tokens[j].low in {"been", "be", "yet"}:
            j -= 1
        if j >= 0 and tokens[j].low in {"not", "never"}:
            out[i] = Token("missing", "missing", "word", tok.start)
            out[j] = Token("", "", "skip", tokens[j].start)
    return [t for t in out if t.kind != "skip"]


def _in_total(tokens: list[Token]) -> list[Token]:
    """`how many reviews are there in total`: `in total` / `in all` restate the count."""
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        if (
            tok.low in {"total", "all"}
            and out
            and out[-1].low == "in"
            and (i + 1 == len(tokens) or tokens[i + 1].kind != "word")
        ):
            out.pop()
            continue
        out.append(tok)
    return out


def _agents(tokens: list[Token]) -> list[Token]:
    """`recipes written by Japanese authors`, `points scored by clubs from the USA`: `by`
    after a linking verb names who, it does not group."""
    return [
        t
        for i, t in enumerate(tokens)
        if not (t.low == "by" and i > 0 and tokens[i - 1].low in RELATION_VERBS | _HAVE_VERBS)
    ]


_LIST_VERBS = frozenset({"show", "list", "display", "give", "get", "print", "return", "find"})


def _each_listed(items: list[Item], tokens: list[Token]) -> list[Item]:
    """`show each delegate with their county`, `the name and location of each station`:
    after a verb of showing or a list of columns, and with nothing to compute, `each` is
    every one listed, not a grouping."""
    if any(it.mkind in {"agg", "sup", "top"} for it in items):
        return items
    out: list[Item] = []
    for item in items:
        before = [t.low for t in tokens[: item.start] if t.low not in {"me", "us", "please"}]
        every = item.mkind == "group" and item.text.lower() in {"each", "every"}
        # `the name and location of each station`: the columns of every station
        of_each = bool(before) and before[-1] == "of" and bool(out)
        of_each = of_each and all(
            (o.kind == "schema" and names_column(o)) or o.mkind == "conj" for o in out
        )
        if not (every and ((len(before) == 1 and before[0] in _LIST_VERBS) or of_each)):
            out.append(item)
    return out


def _from_one_end_to_the_other(items: list[Item], tokens: list[Token]) -> list[Item]:
    """`sorted from the oldest hire date to the newest`: a sort by the column between two
    opposite superlatives, in the direction they go; `from tallest to shortest` is that
    direction alone."""
    out = list(items)
    for pos in range(len(out) - 1):
        first, last = out[pos], out[pos + 1]
        if (
            first.mkind == "sup"
            and last.mkind == "sup"
            and {first.mval.split(":")[0], last.mval.split(":")[0]} == {"asc", "desc"}
            and first.start > 0
            and tokens[first.start - 1].low == "from"
            and tokens[first.end].low == "to"
            and last.start == first.end + 1
        ):
            # `from tallest to shortest`, `from most to least`: a direction, with its role
            turned = Item("marker", first.start, last.end, f"{first.text} to {last.text}")
            turned.marker = f"dir:{first.mval}"
            turned.lead, turned.boundary = first.lead, first.boundary
            out[pos : pos + 2] = [turned]
            return out
    for pos in range(len(out) - 2):
        first, key, last = out[pos], out[pos + 1], out[pos + 2]
        ends = {first.marker.split(":")[:2][-1], last.marker.split(":")[:2][-1]}
        if (
            first.mkind == "sup"
            and last.mkind == "sup"
            and ends == {"asc", "desc"}
            and names_column(key)
            and first.start > 0
            and tokens[first.start - 1].low in {"from", "the"}
            and tokens[key.end].low == "to"
        ):
            direction = first.marker.split(":")[1]
            out[pos + 2] = Item(
                "marker", last.start, last.end, last.text, marker=f"dir:{direction}"
            )
            if pos > 0 and out[pos - 1].mkind == "sort":  # `sorted from the oldest ...`
                del out[pos]
            else:
                out[pos] = Item("marker", first.start, first.end, first.text, marker="sort:")
            break
    return out


def _best_before_a_column(items: list[Item]) -> None:
    """`best rated restaurant`, `top rated song`: `best` right before a column ranks by it,
    like `highest` (with no number of rows given)."""
    for item, nxt in itertools.pairwise(items):
        adjacent = nxt.start == item.end and nxt.kind == "schema"
        if item.marker in {"top:desc", "top:asc"} and adjacent and names_numbers(nxt):
            item.marker = "sup:desc" if item.marker == "top:desc" else "sup:asc"


def _versus_average(items: list[Item]) -> list[Item]:
    """`above the average`, `above-average sales`, `less than average`: a comparison with the
    average of the same column over all rows, one marker."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.marker in {"cmp:gt", "cmp:lt"}
            and item.marker == "agg:avg"
            and prev.end == item.start
        ):
            side = "above" if prev.marker == "cmp:gt" else "below"
            text = f"{prev.text} {item.text}"
            out[-1] = Item("marker", prev.start, item.end, text, marker=f"vsavg:{side}_avg")
            out[-1].lead, out[-1].boundary = prev.lead, prev.boundary
            continue
        out.append(item)
    return out


def _values_before_their_tables(items: list[Item]) -> None:
    """`a billing address` where Billing is a type of Customer_Addresses: the word after a
    value names the value's own table when it may (not the customers' address column)."""
    for prev, item in itertools.pairwise(items):
        tables = {h.column.table for h in prev.hits}
        if prev.kind != "value" or prev.end != item.start or len(tables) != 1:
            continue
        own = [c for c in item.cands if c.kind == "table" and c.table in tables]
        if item.kind == "schema" and own and len(own) < len(item.cands):
            item.cands = own


_VERB_PREPOSITIONS = frozenset({"in", "at", "for", "by", "from", "with", "on", "to"})


def _verbs_before_values(items: list[Item], tokens: list[Token]) -> list[Item]:
    """`competitions hosted in villages`, `players who played for Enrique Osinski`: a verb
    that only resembles a text column (Hosts, Years_Played), followed by a preposition and a
    value found elsewhere, says how the rows relate (the schema's link), not what to show."""
    out: list[Item] = []
    for pos, item in enumerate(items):
        nxt = items[pos + 1] if pos + 1 < len(items) else None
        cols = [c for c in item.cands if c.kind == "column"]
        if (
            item.kind == "schema"
            and item.end - item.start == 1
            and tokens[item.start].low.endswith("ed")
            and cols
            and len(cols) == len(item.cands)
            and all(c.ckind == "text" for c in cols)
            and nxt is not None
            and nxt.kind in {"value", "proper"}
            and nxt.start == item.end + 1
            and tokens[item.end].low in _VERB_PREPOSITIONS
            and not {(h.column.table, h.column.column) for h in nxt.hits}
            & {(c.table, c.column) for c in cols}
        ):
            continue
        out.append(item)
    return out


def _same_column_runs(items: list[Item]) -> list[Item]:
    """`left the university` (date_left_university): words a word apart naming the same one
    column are one mention of it, not two columns."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and item.start - prev.end <= 1
            and same_thing(prev, item)
            and len({(c.table, c.column) for c in prev.cands}) == 1
            and all(c.kind == "column" for c in [*prev.cands, *item.cands])
        ):
            merged = Item("schema", prev.start, item.end, f"{prev.text} {item.text}")
            merged.cands = [max(prev.cands + item.cands, key=lambda c: c.strength)]
            merged.lead, merged.boundary = prev.lead, prev.boundary
            out[-1] = merged
            continue
        out.append(item)
    return out


def same_thing(a: Item | None, b: Item | None) -> bool:
    """Two mentions naming the same tables and columns (`stores` ... `the number of stores`)."""
    if a is None or b is None or a.kind != "schema" or b.kind != "schema":
        return False
    return {(c.table, c.column) for c in a.cands} == {(c.table, c.column) for c in b.cands}


def _repeated_aggregates(items: list[Item]) -> list[Item]:
    """`how many male and how many female students`: the aggregate said once per value;
    `the average number of cows` where cows is a number column: the number is the column's."""
    out: list[Item] = []
    for pos, item in enumerate(items):
        nxt = items[pos + 1] if pos + 1 < len(items) else None
        after = items[pos + 2] if pos + 2 < len(items) else None
        if (
            item.marker == "agg:sum"
            and item.text.lower() == "total"
            and nxt is not None
            and after is not None
            and names_table(nxt)
            and after.marker == "agg:count"
            and item.end == nxt.start
            and nxt.end == after.start
        ):
            continue  # `total patient count`: the count of patients
        if (
            item.marker == "agg:count"
            and item.text.lower() in {"number of", "the number of"}
            and out
            and out[-1].end == item.start
            and (out[-1].mkind == "agg" or out[-1].marker in {"sup:desc", "sup:asc"})
            and out[-1].marker != "agg:count"
            and nxt is not None
            and nxt.start == item.end
            and nxt.kind == "schema"
            and names_numbers(nxt)
            and all(c.kind == "column" for c in nxt.cands)
        ):
            continue
        if (
            len(out) >= 3
            and item.mkind == "agg"
            and out[-1].marker == "conj:and"
            and out[-2].kind == "value"
            and out[-3].marker == item.marker
        ):
            continue
        out.append(item)
    return out


def _restated_directions(items: list[Item]) -> list[Item]:
    """`..., highest rating first`: a ranking word and `first` are a sort direction.

    The ranking said again (`the three cheapest products ..., cheapest first`) says nothing
    more and is dropped; `highest rating first` is `sorted by rating descending`; a bare
    `best first` or `cheapest first` is a direction whose words tell what to sort by.
    """
    out: list[Item] = []
    for item in items:
        if item.kind != "unknown" or item.text.lower() != "first" or not out:
            out.append(item)
            continue
        key = out[-1] if out[-1].kind == "schema" and len(out) > 1 else None
        rank = out[-2] if key is not None else out[-1]
        if rank.mkind not in {"sup", "top"} or (key is not None and not names_column(key)):
            out.append(item)
            continue
        if key is None and any(o.marker == rank.marker for o in out[:-1]):
            out.pop()
            continue
        # The payload keeps a superlative's role: `cheapest first` sorts by the price.
        words = f"{rank.text} first"
        turned = Item("marker", rank.start, item.end, words, marker=f"dir:{rank.mval}")
        turned.lead, turned.boundary = rank.lead, rank.boundary
        if key is None:
            out[-1] = turned
            continue
        out[-2] = Item("marker", rank.start, rank.end, rank.text, marker="sort:")
        out[-2].lead, out[-2].boundary = rank.lead, rank.boundary
        out.append(turned)
    return out


def _distribute_head(tokens: list[Token]) -> list[Token]:
    """`first and last names` -> `first name and last name`: one head word shared by two
    modifiers names two columns."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        window = [t.low for t in tokens[i : i + 4]]
        if (
            len(window) == 4
            and window[1] in {"and", "&"}
            and window[3] in _HEADS
            and all(t.kind == "word" for t in tokens[i : i + 4])
        ):
            first, conj, second, head = tokens[i : i + 4]
            shared = Token(head.text, head.low, "word", first.start)
            out += [first, shared, conj, second, head]
            i += 4
            continue
        out.append(tokens[i])
        i += 1
    return out


# Words that name a category column of the table before them: `apartment type`.
_KIND_WORDS = {"type", "types", "kind", "kinds"}


def strengths(item: Item) -> tuple[int, int]:
    """The strongest table and column readings of an item."""
    tables = max((c.strength for c in item.cands if c.kind == "table"), default=0)
    columns = max((c.strength for c in item.cands if c.kind == "column"), default=0)
    return tables, columns


def names_column(item: Item) -> bool:
    """Whether a schema item names a column more strongly than a table."""
    tables, columns = strengths(item)
    return item.kind == "schema" and columns > tables


def names_table(item: Item) -> bool:
    """Whether a schema item names a table more strongly than a column."""
    tables, columns = strengths(item)
    return item.kind == "schema" and tables > 0 and tables >= columns


def names_numbers(item: Item) -> bool:
    """Whether the item may name columns, and every one of them holds numbers."""
    cols = [c for c in item.cands if c.kind == "column"]
    return bool(cols) and all(c.ckind == "number" for c in cols)


_ARTICLES = {"a", "an", "the", "all", "our", "my", "their", "its", "any", "some", "every", "each"}


def _lead(tokens: list[Token], start: int) -> str:
    """The filler word (or `and`) before position `start`, looking past articles
    (`of a product`, `and their prices`)."""
    j = start - 1
    while j >= 0 and tokens[j].low in _ARTICLES:
        j -= 1
    if j >= 0 and (tokens[j].low in FILLER or tokens[j].low == "and"):
        return tokens[j].low
    return tokens[start - 1].low if start > 0 and tokens[start - 1].low in FILLER else ""


def _holds(word: str, short: str) -> bool:
    """Whether `short` abbreviates `word`: its start (emp, veh, maint), or consonants of it in
    order after the same first letter (shpmt, mgr, dlvr) — never other vowels (fee ≠ female)."""
    if word.startswith(short):
        return True
    if any(ch in "aeiou" for ch in short[1:]):
        return False
    letters = iter(word[1:])
    return all(ch in letters for ch in short[1:])


def _sentence_break(question: str, tokens: list[Token], i: int) -> bool:
    """Whether a sentence ends between token i - 1 and token i."""
    if i == 0 or i >= len(tokens):
        return False
    prev = tokens[i - 1]
    gap = question[prev.start + len(prev.text) : tokens[i].start]
    if prev.low in _HONORIFICS and gap.strip() == ".":
        return False  # `Dr. Carlos Scott`
    return any(mark in gap for mark in ".?!;")


# Titles before a name; they are not part of the name the data holds.
_HONORIFICS = {"dr", "mr", "mrs", "ms", "prof", "miss", "sir"}


def _acronym(tok: Token) -> bool:
    """`IT`, `US`, `OR`: a word every question has, written as a name (`the IT department`)."""
    return len(tok.text) > 1 and tok.text.isupper() and tok.text.isalpha()


def _known(word: str, vocabulary: set[str]) -> bool:
    return any(v in vocabulary for v in variants(word))


def _low(tok: Token) -> str:
    if tok.kind == "number":
        return str(tok.value).lower()
    return tok.low


def _word(tok: Token) -> tuple[str, object]:
    if tok.kind == "number":
        return ("#num", tok.value)
    if tok.kind == "date":
        try:
            return ("#date", date.fromisoformat(_iso(tok.text)))
        except ValueError:
            return ("#baddate", None)
    return (tok.low, None)


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _span(tokens: list[Token], start: int, end: int) -> str:
    return " ".join(t.text for t in tokens[start:end])


def _is_range(tokens: list[Token], i: int) -> bool:
    window = tokens[i + 1 : i + 4]
    return (
        len(window) == 3
        and window[0].kind == "number"
        and window[1].low in {"and", "to", "-"}
        and window[2].kind == "number"
    )


def _money(items: list[Item]) -> None:
    """`$100` and `100 dollars`: mark the number as money and drop the currency marker."""
    for pos, item in enumerate(items):
        if item.mkind != "money":
            continue
        for near in (pos + 1, pos - 1):
            if 0 <= near < len(items) and items[near].kind in {"number", "range"}:
                items[near].money = True
                break
    items[:] = [it for it in items if it.mkind != "money"]
