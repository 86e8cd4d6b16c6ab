"""The schema-linking index: the words that name each table and column, and their roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from data_assistant.schema.documents import ISO_DATES
from data_assistant.schema.model import Column, SchemaSnapshot, Table
from data_assistant.translate.offline.intent import ColumnRef
from data_assistant.translate.offline.joins import JoinGraph
from data_assistant.translate.offline.lexicon import FUNCTION_WORDS, MARKERS
from data_assistant.translate.offline.text import singular, split_identifier, variants

_BOOL_SAMPLES = frozenset({"0", "1", "true", "false", "t", "f", "y", "n", "yes", "no"})
_NUMERIC_TYPES = ("INT", "NUM", "DEC", "REAL", "FLOA", "DOUB", "MONEY", "SERIAL")
_DATE_SUFFIXES = frozenset({"date", "at", "time", "timestamp", "datetime", "on", "day"})
_AUDIT = frozenset({"update", "updated", "modified", "modify", "modification", "changed"})
_TABLE_PREFIXES = frozenset({"tbl", "tb", "dim", "fact", "t"})
# Units a column's name ends with: the words before them name it (`wt_kg` is the weight).
_UNITS = frozenset(
    {"kg", "km", "lb", "lbs", "cm", "mm", "usd", "eur", "gbp", "pct", "percent", "min",
     "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "sec", "secs", "second",
     "seconds", "ms", "millisecond", "milliseconds", "kwh", "mph", "kmh", "meter", "meters",
     "metre", "metres", "feet", "ft", "foot", "mile", "miles", "million", "millions",
     "billion", "billions", "thousand", "thousands", "dollar", "dollars"}
)  # fmt: skip
_GENERIC_HEADS = frozenset({"at", "id", "on", "of", "per", "by", "in", "to", "is", "has"})


@dataclass(frozen=True)
class Candidate:
    """What a phrase may name: a table or a column, and how strongly.

    strength 3: the whole name; 2: the name without its table's prefix or an alias;
    1: a part of the name (its head word, or a date column's verb: `shipped`).
    """

    kind: str  # table, column
    table: str
    column: str | None
    strength: int
    ckind: str = ""  # the column's role: id, number, date, bool, text


@dataclass
class ColumnInfo:
    """A column with its words and role: id, number, date, bool or text."""

    ref: ColumnRef
    column: Column
    words: tuple[str, ...]
    kind: str


@dataclass
class TableInfo:
    """A table with its words, key, label columns and date columns."""

    key: str
    table: Table
    words: tuple[str, ...]
    columns: dict[str, ColumnInfo] = field(default_factory=dict)
    pk: tuple[str, ...] = ()
    label: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    default_date: str | None = None
    # The column naming each row's manager and the key it holds (`mgr_id` -> `emp_id`).
    boss: tuple[str, str] | None = None

    @property
    def links_rows(self) -> bool:
        """Whether the table's key is two or more links to other tables (enrollments of
        students in courses): a row of it names no thing of its own."""
        linked = {c.lower() for fk in self.table.foreign_keys for c in fk.columns}
        return len(self.pk) > 1 and all(p.lower() in linked for p in self.pk)

    @property
    def is_view(self) -> bool:
        """Views repeat their tables' data: they lose ties against tables."""
        return self.table.kind == "view"


# Abbreviations in names that no question uses, read as the words people say. Longer ones
# (emp, veh, cust, maint, qty) are found from the question's word (tagger: `abbreviation`).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "nm": ("name",), "dt": ("date",), "cd": ("code",), "yr": ("year",), "typ": ("type",),
    "st": ("state",), "ph": ("phone",), "num": ("number",), "nbr": ("number",),
    "dob": ("birth", "date"), "fname": ("first", "name"), "lname": ("last", "name"),
    "qty": ("quantity",), "amt": ("amount",), "desc": ("description",), "addr": ("address",),
    "dept": ("department",), "mgr": ("manager",), "emp": ("employee",), "cust": ("customer",),
    "prod": ("product",), "cat": ("category",), "sal": ("salary",), "stat": ("status",),
    "wt": ("weight",), "dist": ("distance",), "avg": ("average",), "tot": ("total",),
    "ttl": ("total",), "pct": ("percent",), "loc": ("location",), "org": ("organization",),
    "bdate": ("birth", "date"), "birthdate": ("birth", "date"), "birthday": ("birth", "date"),
}  # fmt: skip


def _raw_words(name: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in split_identifier(name))


def _words(name: str) -> tuple[str, ...]:
    words = [singular(w) for w in split_identifier(name)]
    if len(words) == 1 and words[0] in {"no", "st", "cat"}:
        return tuple(words)  # wine.No, a column `cat`: too short to be sure
    out: list[str] = []
    for i, word in enumerate(words):
        if word in {"f", "l"} and words[i + 1 : i + 2] == ["name"]:
            out.append({"f": "first", "l": "last"}[word])  # LName, F_Name
            continue
        out += _ABBREVIATIONS.get(word, (word,))
    if words[-1:] == ["no"] and len(words) > 1:
        out[-1] = "number"  # reg_no
    return tuple(out)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _kind(column: Column, words: tuple[str, ...], is_fk: bool, keyed: bool = True) -> str:
    """The column's role; `keyed`: the primary key is this column alone (a column of a
    composite key that links nowhere, `Year` of degrees(Year, Campus), is data)."""
    ctype = (column.type or "").upper()
    if ctype == "STRING" and ISO_DATES in (column.comment or ""):
        return "date"  # a document property holding ISO dates
    own_key = column.primary_key and keyed
    if own_key or is_fk or (len(words) > 1 and words[-1] in {"id", "key", "fk"}):
        return "id"
    if words == ("id",):
        return "id"
    if "BOOL" in ctype or ctype == "BIT":
        return "bool"
    if len(words) > 1 and words[0] in {"is", "has", "can"}:
        return "bool"
    samples = {s.lower() for s in column.samples}
    if samples and samples <= _BOOL_SAMPLES and len(samples) <= 2 and samples != {"0"}:
        return "bool"
    if "DATE" in ctype or "TIME" in ctype:
        return "date"
    if words and ((words[-1] in _DATE_SUFFIXES and len(words) > 1) or words[0] == "date"):
        return "date" if not any(t in ctype for t in _NUMERIC_TYPES) else "number"
    if any(t in ctype for t in _NUMERIC_TYPES):
        return "number"
    return "text"


# A person's two names, as schemas spell them.
_PERSON_NAMES = [
    (("first", "name"), ("last", "name")),
    (("forename",), ("surname",)),
    (("first", "name"), ("surname",)),
    (("given", "name"), ("family", "name")),
]


# Prefixes of an address block for someone other than the row itself (ShipName, BillCity).
_PARTIES = frozenset(
    {"ship", "shipping", "bill", "billing", "delivery", "mailing", "recipient", "sender",
     "consignee", "payee", "payer", "emergency"}
)  # fmt: skip


def _implied_key(info: TableInfo, fk_columns: set[str]) -> tuple[str, ...]:
    """A table declared without a key: its `<table>_id` column (transaction_id of
    Financial_Transactions), when exactly one is there."""
    shapes = {(*info.words, "id"), (info.words[-1], "id")}
    found = [
        c.column.name
        for c in info.columns.values()
        if c.words in shapes and c.column.name.lower() not in fk_columns
    ]
    return tuple(found) if len(found) == 1 else ()


def _label(info: TableInfo) -> tuple[str, ...]:
    """The columns that name a row: name, <table>name, first+last name, title, ..."""
    text = {
        c.words: c.column.name
        for c in info.columns.values()
        if c.kind == "text"
        and c.words
        and (c.words[-1] in {"name", "title"} or not _placeholders(c.column.samples))
    }
    size = len(info.words)
    for words, name in list(text.items()):
        if words[:size] == info.words and len(words) > size:
            text.setdefault(words[size:], name)  # customer_first_name of Customers
    # festival_detail.Festival_Name: a name of the table's first word too
    for words in [
        ("name",),
        (*info.words, "name"),
        (info.words[-1], "name"),
        (info.words[0], "name"),
    ]:
        if words in text:
            return (text[words],)
    for first, last in _PERSON_NAMES:
        if first in text and last in text:
            return (text[first], text[last])
    # A column named as its table names its rows: country.country, city.city.
    for words in [tuple(info.words), (info.words[-1],)]:
        if words in text:
            return (text[words],)
    models = [
        c.column.name
        for c in info.columns.values()
        if c.words[-1:] == ("name",) and "model" in c.words and c.kind in {"text", "id"}
        and any(t in (c.column.type or "").upper() for t in ("CHAR", "TEXT"))
    ]  # fmt: skip
    if len(models) == 1:
        return (models[0],)  # phone.Hardware_Model_name, not the maker's Company_name
    for words in [("title",), (*info.words, "title"), ("company", "name"), ("company",)]:
        if words in text:
            return (text[words],)
    # The one `<x>_name` column, unless <x> prefixes a group of columns addressed to another
    # party: ShipName sits with ShipAddress and ShipCity (the recipient's name, not the
    # order's); Customer_Name with Customer_Phone in Clients is the client's own.
    prefixes = [c.words[0] for c in info.columns.values() if len(c.words) > 1]
    names = [
        name
        for words, name in text.items()
        if words[-1] == "name"
        and (len(words) == 1 or words[0] not in _PARTIES or prefixes.count(words[0]) < 3)
    ]
    if len(names) == 1:
        return (names[0],)
    # `bname` of bank, `cName` of College: a letter and `name`
    short = [n for w, n in text.items() if len(w) == 1 and len(w[0]) == 5 and w[0][1:] == "name"]
    if len(short) == 1:
        return (short[0],)
    # Ref_Colors.color_description, where no column is a name (Apartment_Buildings has two
    # names beside building_description, a category)
    nameless = not any(w[-1] == "name" for w in text)
    descriptions: list[tuple[str, ...]] = [
        (*info.words, "description"),
        ("description",),
        (info.words[-1], "description"),
    ]
    for words in [
        *(descriptions if nameless else []),
        (*info.words, "details"),
        (*info.words, "detail"),
    ]:
        if words in text:
            return (text[words],)
    # A name that is the key itself: department.dept_name.
    if len(info.pk) == 1:
        key = info.columns[info.pk[0]]
        ctype = (key.column.type or "").upper()
        if key.words[-1:] in [("name",), ("title",)] and any(t in ctype for t in ("CHAR", "TEXT")):
            return (key.column.name,)
    # A thing of its own (no link to another table) named by nothing else: its one address
    # or theme tells the rows apart (shop.Address, journal.Theme), as people list them.
    named = any("name" in w for w in text)  # two names: which one is unsure, not an address
    if not info.table.foreign_keys and not named:
        described = {n for w, n in text.items() if w[-1] in _DESCRIBERS and not _NETWORK & set(w)}
        if len(described) == 1:
            return (described.pop(),)
    return ()


def _placeholders(samples: tuple[str, ...]) -> bool:
    """Values of one or two letters (`z`, `d`): placeholder details that name no row (a
    column called a name keeps them: train `A`)."""
    return bool(samples) and all(len(str(v).strip()) <= 2 for v in samples)


# Words ending a table's name that only say what kind of table it is.
_TABLE_TAILS = frozenset(
    {
        "profile",
        "master",
        "index",
        "record",
        "info",
        "information",
        "detail",
        "data",
        "list",
        "table",
        "registry",
        "register",
        "main",
    }
)
_DESCRIBERS = frozenset({"address", "theme", "topic", "subject", "headline", "caption"})
_NETWORK = frozenset({"email", "mail", "ip", "web", "url", "mac"})


# Words of a column that points at the row's superior in the same table.
_BOSS_WORDS = frozenset({"manager", "mgr", "supervisor", "super", "boss", "report", "superior"})
# Words of a key column besides the table's own: `Super_ssn` -> `Ssn`, `MANAGER_ID`.
_KEY_WORDS = frozenset({"id", "key", "no", "number", "ssn", "code"})


def _boss(info: TableInfo) -> tuple[str, str] | None:
    """The one column naming each row's superior in the same table: a declared foreign key
    to the table itself, or, on a table of people (first and last names), a column named
    `manager_id`, `Super_ssn`, ... like its key."""
    table = info.table
    own = {table.name.lower(), info.key.lower()}
    found = {
        (fk.columns[0], fk.ref_columns[0])
        for fk in table.foreign_keys
        if fk.ref_table.lower() in own and len(fk.columns) == 1 and len(fk.ref_columns) == 1
    }
    fk_columns = {c.lower() for fk in table.foreign_keys for c in fk.columns}
    if not found and len(info.pk) == 1 and len(info.label) == 2:
        key = info.columns[info.pk[0]]
        for col in info.columns.values():
            rest = set(col.words) - _BOSS_WORDS
            if (
                col.column.name.lower() not in fk_columns
                and _BOSS_WORDS & set(col.words)
                and rest <= set(key.words) | _KEY_WORDS
                and rest & set(key.words)
            ):
                found.add((col.column.name, key.column.name))
    found = {
        (c, k) for c, k in found if c in info.columns and _BOSS_WORDS & set(info.columns[c].words)
    }
    return found.pop() if len(found) == 1 else None


def _default_date(info: TableInfo) -> str | None:
    """The date a table's rows are dated by: the only one, or the one named after it; never
    a bookkeeping stamp (last_update, modified_at), which dates the row, not what it records."""
    dates = [n for n in info.dates if not _AUDIT & set(info.columns[n].words)]
    if len(dates) == 1:
        return dates[0]
    for name in dates:
        words = info.columns[name].words
        if words[:-1] == info.words or words[:-1] == info.words[-1:] or words == ("date",):
            return name
    return None


class SchemaIndex:
    """Phrases -> candidate tables and columns, plus roles and the join graph."""

    def __init__(self, snapshot: SchemaSnapshot) -> None:
        self.snapshot = snapshot
        self.graph = JoinGraph(snapshot)
        self.tables: dict[str, TableInfo] = {}
        self.terms: dict[tuple[str, ...], list[Candidate]] = {}
        for table in snapshot.tables:
            self._add_table(table)
        self._add_head_terms()
        self.vocabulary = {w for phrase in self.terms for w in phrase if w.isalpha()}
        self.max_len = max((len(p) for p in self.terms), default=1)

    def _term(self, phrase: tuple[str, ...], cand: Candidate) -> None:
        if not phrase or not all(phrase):
            return
        if len(phrase) == 1 and phrase[0] in FUNCTION_WORDS and cand.strength < 3:
            return  # `with` of Affiliated_With: every question has it
        if self.tables[cand.table].is_view:
            if cand.kind == "table" and any((w,) in MARKERS for w in phrase):
                return  # "Sales by Category" would swallow the question's own words
            cand = replace(cand, strength=max(1, cand.strength - 1))
        bucket = self.terms.setdefault(phrase, [])
        same = [
            c for c in bucket if (c.kind, c.table, c.column) == (cand.kind, cand.table, cand.column)
        ]
        if same and same[0].strength >= cand.strength:
            return
        for old in same:
            bucket.remove(old)
        bucket.append(cand)

    def _add_table(self, table: Table) -> None:
        key = table.qualified_name
        words = _words(table.name)
        if len(words) > 1 and words[0] in _TABLE_PREFIXES:
            words = words[1:]
        info = TableInfo(key, table, words)
        self.tables[key] = info
        fk_columns = {c.lower() for fk in table.foreign_keys for c in fk.columns}
        keyed = sum(c.primary_key for c in table.columns) == 1
        for column in table.columns:
            cwords = _words(column.name)
            kind = _kind(column, cwords, column.name.lower() in fk_columns, keyed)
            info.columns[column.name] = ColumnInfo(
                ColumnRef(key, column.name), column, cwords, kind
            )
        info.pk = tuple(c.name for c in table.columns if c.primary_key) or _implied_key(
            info, fk_columns
        )
        info.dates = tuple(n for n, c in info.columns.items() if c.kind == "date")
        info.label = _label(info)
        info.default_date = _default_date(info)
        info.boss = _boss(info)
        self.tables[key] = info
        self._term(words, Candidate("table", key, None, 3))
        self._term(_raw_words(table.name), Candidate("table", key, None, 3))  # `depts` too
        if len(words) == 2 and all(w.isalpha() for w in words):
            self._term(("".join(words),), Candidate("table", key, None, 3))  # bodybuilder
        if table.comment and len(table.comment.split()) <= 3:
            self._term(_words(table.comment), Candidate("table", key, None, 2))
        for col in info.columns.values():
            self._add_column_terms(info, col)

    def _add_column_terms(self, info: TableInfo, col: ColumnInfo) -> None:
        words = col.words
        if not words:
            return
        name, kind = col.column.name, col.kind
        self._term(words, Candidate("column", info.key, name, 3, kind))
        self._term(_raw_words(name), Candidate("column", info.key, name, 3, kind))
        if col.kind == "id":
            return
        weaker = Candidate("column", info.key, name, 2, kind)
        weakest = Candidate("column", info.key, name, 1, kind)
        if col.kind == "bool" and words[0] in {"is", "has", "can"}:
            self._term(words[1:], weaker)
        n = len(info.words)
        if len(words) > n and words[:n] == info.words:
            self._term(words[n:], weaker)
        elif len(words) > 1 and words[0] == info.words[-1]:
            self._term(words[1:], weaker)
        if col.column.comment and len(col.column.comment.split()) <= 3:
            self._term(_words(col.column.comment), weaker)
        if len(words) > 1 and words[-1] not in _GENERIC_HEADS:
            self._term(words[-1:], weakest)
        if len(words) > 1 and words[-1] in _UNITS:
            self._term(words[:-1], weaker)  # `weight` names wt_kg, `distance` dist_km
            if len(words) > 2 and words[-2] == "in":
                self._term(words[:-2], weaker)  # `budget` names Budget_in_Billions
        if col.kind == "number" and len(words) > 1 and words[-1] == "count":
            self._term(words[:-1], weaker)  # `the number of bedrooms`: bedroom_count
        if (
            col.kind == "number"
            and len(words) > 2
            and words[:2] in {("num", "of"), ("number", "of")}
        ):
            self._term(words[2:], weaker)  # `the most staff`: Num_of_staff
        own = tuple(info.words[-(len(words) - 1) :]) == words[:-1]  # section_code of sections
        if len(words) > 1 and words[-1] == "code" and col.kind == "text" and not own:
            # `per status` names complaint_status_code: a code is read by what it codes.
            self._term(words[:-1], weaker)
            self._term(words[-2:-1], weakest)
        if col.kind == "date" and len(words) > 1 and words[-1] in _DATE_SUFFIXES:
            self._term(words[:-1], weakest)  # `shipped` in 2024
            for mod in variants(words[-2]):
                self._term((*words[:-2], mod, "date"), weaker)
        if col.kind == "date":
            # `left` (date_left_university), `started` (contract_start_date): what happened.
            for word in words:
                if word not in _DATE_SUFFIXES and word not in info.words and word != words[-1]:
                    self._term((word,), weakest)

    def _add_head_terms(self) -> None:
        """`items` names `order_items` when no table is called `items` itself."""
        # Decided before any head is added: otherwise the first of `plays_games` and
        # `video_games` would own "games" and the second would never be a candidate.
        named = {
            phrase for phrase, cands in self.terms.items() if any(c.kind == "table" for c in cands)
        }
        for info in self.tables.values():
            head = info.words[-1:]
            if len(info.words) > 1 and not info.is_view and head not in named:
                self._term(head, Candidate("table", info.key, None, 1))
            # `users` names user_profiles, `customers` Customer_Master_Index: the first word,
            # when the rest only says what kind of table it is
            tail = set(info.words[1:])
            own = any(c.words[:1] == info.words[:1] for c in info.columns.values())  # SportName
            first = len(info.words) > 1 and tail <= _TABLE_TAILS and not own
            if first and info.words[:1] not in self.terms:
                self._term(info.words[:1], Candidate("table", info.key, None, 1))
            # `products` names Products_for_Hire: the words before a preposition are its head.
            cut = next((i for i, w in enumerate(info.words) if w in {"for", "of", "in"}), 0)
            if cut and not info.is_view and tuple(info.words[:cut]) not in named:
                self._term(tuple(info.words[:cut]), Candidate("table", info.key, None, 1))
            # `branches` names `bank` keyed by branch_ID: what its key says a row is
            if len(info.pk) == 1 and not info.is_view:
                key_words = info.columns[info.pk[0]].words
                if key_words[-1:] == ("id",) and len(key_words) > 1:
                    alias = tuple(key_words[:-1])
                    if alias != tuple(info.words) and alias not in named:
                        self._term(alias, Candidate("table", info.key, None, 1))
            # `the ids of the recipes`: the table's own one-column key.
            if len(info.pk) == 1 and info.columns[info.pk[0]].words:  # links have no words
                key = info.columns[info.pk[0]]
                self._term(("id",), Candidate("column", info.key, key.column.name, 1, "id"))
            # `the name of the dorm`: dorm_name, when it is the one column naming dorms.
            if len(info.label) == 1 and info.columns[info.label[0]].words != ("name",):
                name = info.label[0]
                self._term(("name",), Candidate("column", info.key, name, 1, "text"))

    def lookup(self, phrase: tuple[str, ...]) -> list[Candidate]:
        """The tables and columns a phrase of singular words may name."""
        return self.terms.get(phrase, [])

    def column(self, ref: ColumnRef) -> ColumnInfo:
        """The column info for a reference made by this index."""
        return self.tables[ref.table].columns[ref.column]

    def text_date(self, ref: ColumnRef) -> bool:
        """Whether a date column holds its dates as text that does not sort or compare by
        date (`1978-2-23`, `September 9, 2001`, `23-OCT-10`): shown, never compared."""
        info = self.column(ref)
        column = info.column
        samples = column.samples and not all(map(_ISO_DAY.match, column.samples))
        return info.kind == "date" and (column.iso_dates is False or bool(samples))

    def columns(self, kind: str | None = None) -> list[ColumnInfo]:
        """Every column, or every column of one kind."""
        return [
            c for t in self.tables.values() for c in t.columns.values() if kind in (None, c.kind)
        ]

    def distance(self, a: str, b: str) -> int | None:
        """Joins between two tables (0 for the same table)."""
        return 0 if a == b else self.graph.distance(a, b)


def is_safe_identifier(name: str) -> bool:
    """Whether `name` can be written unquoted in every dialect."""
    return re.fullmatch(r"[a-z_][a-z0-9_]*", name) is not None
