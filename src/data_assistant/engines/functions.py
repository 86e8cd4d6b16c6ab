"""Function allow-lists: the calls a read-only query may make, derived from vetted names.

Each engine lists the functions known to be pure (no session, catalog, file, network or
SQL-text effect), by the names people write. sqlglot turns some names into typed nodes
(`SUM` -> exp.Sum) and keeps the rest as exp.Anonymous; the allow-list is built by parsing
a call of each listed name in the engine's own dialect, so that it holds exactly the node
classes and anonymous names those calls become. A call is then allowed when its node's
class, or its anonymous name, is in the list: anything else is refused by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel

ANONYMOUS = (exp.Anonymous, exp.AnonymousAggFunc)

# Functions every engine reaches through syntax rather than a name: boolean connectives,
# CASE, CAST, EXTRACT, EXISTS (...), COLLATE, and the SQL-standard special forms.
STANDARD_SYNTAX = (
    "And",
    "Or",
    "Case",
    "If",
    "Cast",
    "Extract",
    "Exists",
    "Collate",
    "CurrentDate",
    "CurrentTime",
    "CurrentTimestamp",
    "Trim",
    "Substring",
    "Coalesce",
    "Nullif",
    "Count",
)


@dataclass(frozen=True)
class FunctionAllowList:
    """Allowed sqlglot function classes and anonymous (lower-case) function names."""

    typed: frozenset[type[exp.Func]]
    names: frozenset[str]

    @classmethod
    def build(
        cls, dialect: Dialect, calls: Iterable[str], syntax: Iterable[str] = ()
    ) -> FunctionAllowList:
        """The list for `dialect` from function names or sample calls, plus the sqlglot
        classes named in `syntax` (a name sqlglot lacks is skipped: see the engine tests)."""
        typed: set[type[exp.Func]] = set()
        names: set[str] = set()
        for name in (*STANDARD_SYNTAX, *syntax):
            found = getattr(exp, name, None)
            if isinstance(found, type) and issubclass(found, exp.Func):
                typed.add(found)
        for call in calls:
            for func in (
                f for node in sample_calls(dialect, call) for f in node.find_all(exp.Func)
            ):
                if isinstance(func, ANONYMOUS):
                    names.add(anonymous_name(func))
                else:
                    typed.add(type(func))
        return cls(typed=frozenset(typed), names=frozenset(names))

    def allows(self, node: exp.Func) -> bool:
        """Whether the call `node` is allowed."""
        if isinstance(node, ANONYMOUS):
            return anonymous_name(node) in self.names
        return type(node) in self.typed

    def extended(self, dialect: Dialect, calls: Iterable[str]) -> FunctionAllowList:
        """A copy that also allows `calls` (a source's `allowed_functions`)."""
        more = FunctionAllowList.build(dialect, calls)
        return FunctionAllowList(typed=self.typed | more.typed, names=self.names | more.names)


def sample_calls(dialect: Dialect, call: str) -> list[exp.Func]:
    """The function nodes sqlglot makes of `call` in `dialect`: a sample call as given, or
    for a bare name one call per usual arity and argument kind (sqlglot's builders pick
    the node class by what they are given: DATE('now', '-1 day') is not DATE(x))."""
    texts = [call] if "(" in call else [f"{call}({args})" for args in _ARGUMENTS]
    found = []
    for text in texts:
        try:
            tree = sqlglot.parse_one(f"SELECT {text}", read=dialect)
        except Exception:  # parse errors, and the odd builder that fails on a wrong arity
            continue
        node = _first_func(tree)
        if node is not None:
            found.append(node)
    if not found:
        # Last resort: whatever the parser makes of one argument, ignoring arity errors.
        try:
            tree = sqlglot.parse_one(
                f"SELECT {texts[0]}", read=dialect, error_level=ErrorLevel.IGNORE
            )
        except Exception:
            return []
        node = _first_func(tree)
        found = [node] if node is not None else []
    return found


def anonymous_name(node: exp.Func) -> str:
    """The lower-case name of an anonymous call (`this` may be quoted: its case then kept)."""
    this = node.this
    if isinstance(this, exp.Identifier):
        return this.name if this.quoted else this.name.lower()
    return str(this).lower()


def function_label(node: exp.Func, dialect: Dialect) -> str:
    """The name to show for a call in a reason: as the engine would spell it, lower case."""
    if isinstance(node, ANONYMOUS):
        return anonymous_name(node)
    rendered = node.sql(dialect=dialect)
    head = rendered.split("(", 1)[0].strip()
    return (head or node.key).lower()


_ARGUMENTS = (
    "a",
    "a, b",
    "a, b, c",
    "",
    "'x'",
    "'x', a",
    "a, 'x'",
    "'x', 'y'",
    "a, b, c, d",
    "a, INTERVAL 1 DAY",
    "DAY, a, b",
    "DAY, 1, a",
)


def _first_func(tree: exp.Expr) -> exp.Func | None:
    select = tree if isinstance(tree, exp.Select) else None
    if select is None or not select.expressions:
        return None
    node = select.expressions[0]
    if isinstance(node, exp.Alias):
        node = node.this
    if isinstance(node, exp.Window):
        node = node.this
    return node if isinstance(node, exp.Func) else node.find(exp.Func)
