"""Render a syntax tree back to query text: `parse(to_text(q)) == q`.

Parentheses are added only where the parser's precedence needs them, so a guard can
rewrite a tree (lower TOP, add a WHERE conjunct) and send readable text.
"""

from __future__ import annotations

import math
import re

from . import ast
from .tokens import is_reserved
from .values import UNDEFINED, string_literal

# Binding strength of each construct; must mirror parser.py.
_CONDITIONAL, _COALESCE, _OR, _AND, _NOT, _COMPARE = 1, 2, 3, 4, 5, 6
_BINARY_LEVEL = {
    "??": _COALESCE, "OR": _OR, "AND": _AND,
    "=": _COMPARE, "!=": _COMPARE, "<": _COMPARE, ">": _COMPARE, "<=": _COMPARE, ">=": _COMPARE,
    "||": 7, "|": 8, "^": 9, "&": 10, "<<": 11, ">>": 11, ">>>": 11,
    "+": 12, "-": 12, "*": 13, "/": 13, "%": 13,
}  # fmt: skip
_UNARY, _POSTFIX = 14, 15
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def to_text(node: ast.Node) -> str:
    """Query text for a Query (or any expression / clause node)."""
    try:
        return _render(node)
    except RecursionError:
        raise ValueError("the syntax tree is nested too deeply to render") from None


def _render(node: ast.Node) -> str:
    if isinstance(node, ast.Query):
        return _query(node)
    if isinstance(node, ast.Expr):
        return _expr(node, 0)
    if isinstance(node, ast.Select):
        return _select(node)
    if isinstance(node, ast.From):
        return _from(node)
    if isinstance(node, ast.OrderItem):
        return _order_item(node)
    raise TypeError(f"cannot render {type(node).__name__}")


def _is_plain_name(name: str) -> bool:
    return bool(_NAME.match(name)) and not is_reserved(name)


def _count(value: int | ast.Parameter) -> str:
    return value.name if isinstance(value, ast.Parameter) else str(value)


def _query(q: ast.Query) -> str:
    parts = [_select(q.select)]
    if q.from_ is not None:
        parts.append("FROM " + _from(q.from_))
    if q.where is not None:
        parts.append("WHERE " + _expr(q.where, 0))
    if q.group_by:
        parts.append("GROUP BY " + ", ".join(_expr(e, 0) for e in q.group_by))
    if q.order_by:
        parts.append("ORDER BY " + ", ".join(_order_item(o) for o in q.order_by))
    if q.offset is not None or q.limit is not None:
        offset = 0 if q.offset is None else q.offset
        if q.limit is None:
            raise ValueError("OFFSET needs a LIMIT")
        parts.append(f"OFFSET {_count(offset)} LIMIT {_count(q.limit)}")
    return " ".join(parts)


def _select(s: ast.Select) -> str:
    out = ["SELECT"]
    if s.distinct:
        out.append("DISTINCT")
    if s.top is not None:
        out.append(f"TOP {_count(s.top)}")
    if s.star:
        out.append("*")
    elif s.value is not None:
        out.append("VALUE " + _expr(s.value, 0))
    else:
        if not s.items:
            raise ValueError("a SELECT list needs at least one item")
        items = []
        for item in s.items:
            text = _expr(item.expr, 0)
            if item.alias is not None:
                text += " AS " + item.alias
            items.append(text)
        out.append(", ".join(items))
    return " ".join(out)


def _collection(c: ast.Collection) -> str:
    if isinstance(c, ast.SubqueryCollection):
        return "(" + _query(c.query) + ")"
    out = [c.root]
    for seg in c.path:
        if isinstance(seg, int):
            out.append(f"[{seg}]")
        elif _is_plain_name(seg):
            out.append("." + seg)
        else:
            out.append("[" + string_literal(seg) + "]")
    return "".join(out)


def _source(s: ast.Source) -> str:
    if isinstance(s, ast.IteratorSource):
        return f"{s.alias} IN {_collection(s.collection)}"
    text = _collection(s.collection)
    return text if s.alias is None else f"{text} AS {s.alias}"


def _from(f: ast.From) -> str:
    return " JOIN ".join([_source(f.source), *(_source(j) for j in f.joins)])


def _order_item(o: ast.OrderItem) -> str:
    return _expr(o.expr, 0) + (" DESC" if o.descending else "")


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _literal(value: object) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, int | float):
        return _number(value)
    raise TypeError(f"not a literal value: {value!r}")


def _level(e: ast.Expr) -> int:
    if isinstance(e, ast.Conditional):
        return _CONDITIONAL
    if isinstance(e, ast.Binary):
        return _BINARY_LEVEL[e.op]
    if isinstance(e, ast.Between | ast.In | ast.Like):
        return _COMPARE
    if isinstance(e, ast.Unary):
        return _NOT if e.op == "NOT" else _UNARY
    if (
        isinstance(e, ast.Literal)
        and isinstance(e.value, int | float)
        and not isinstance(e.value, bool)
    ):
        # A negative number reads back as unary minus, so it binds like one.
        return _UNARY if (e.value < 0 or str(e.value).startswith("-")) else _POSTFIX
    return _POSTFIX


def _expr(e: ast.Expr, minimum: int) -> str:
    text = _bare(e)
    return f"({text})" if _level(e) < minimum else text


def _bare(e: ast.Expr) -> str:
    if isinstance(e, ast.Literal):
        return _literal(e.value)
    if isinstance(e, ast.Parameter):
        return e.name
    if isinstance(e, ast.Identifier):
        return e.name
    if isinstance(e, ast.PropertyAccess):
        target = _expr(e.target, _POSTFIX)
        if _is_plain_name(e.name):
            return f"{target}.{e.name}"
        return f"{target}[{string_literal(e.name)}]"
    if isinstance(e, ast.IndexAccess):
        return f"{_expr(e.target, _POSTFIX)}[{_expr(e.index, 0)}]"
    if isinstance(e, ast.ArrayLiteral):
        return "[" + ", ".join(_expr(i, 0) for i in e.items) + "]"
    if isinstance(e, ast.ObjectLiteral):
        props = (f"{string_literal(p.key)}: {_expr(p.value, 0)}" for p in e.properties)
        return "{" + ", ".join(props) + "}"
    if isinstance(e, ast.Unary):
        if e.op == "NOT":
            return "NOT " + _expr(e.operand, _NOT)
        operand = _expr(e.operand, _UNARY)
        # "--" would start a comment.
        sep = " " if operand.startswith(("-", "+")) else ""
        return e.op + sep + operand
    if isinstance(e, ast.Binary):
        level = _BINARY_LEVEL[e.op]
        if e.op == "??":
            return f"{_expr(e.left, _OR)} ?? {_expr(e.right, _COALESCE)}"
        if e.op in ("AND", "OR"):
            # Associative, and built balanced by the parser: print the chain flat.
            return f" {e.op} ".join(_expr(o, level + 1) for o in _chain(e))
        # Walk the left spine of `a op b op c ...` in a loop: generated chains are long.
        rights = []
        node: ast.Expr = e
        while isinstance(node, ast.Binary) and node.op == e.op:
            rights.append(node.right)
            node = node.left
        parts = [_expr(node, level)]
        parts += [_expr(r, level + 1) for r in reversed(rights)]
        return f" {e.op} ".join(parts)
    if isinstance(e, ast.Between):
        neg = "NOT " if e.negated else ""
        return (
            f"{_expr(e.expr, _COMPARE)} {neg}BETWEEN "
            f"{_expr(e.low, _COMPARE + 1)} AND {_expr(e.high, _COMPARE + 1)}"
        )
    if isinstance(e, ast.In):
        neg = "NOT " if e.negated else ""
        items = ", ".join(_expr(i, 0) for i in e.items)
        return f"{_expr(e.expr, _COMPARE)} {neg}IN ({items})"
    if isinstance(e, ast.Like):
        neg = "NOT " if e.negated else ""
        text = f"{_expr(e.expr, _COMPARE)} {neg}LIKE {_expr(e.pattern, _COMPARE + 1)}"
        if e.escape is not None:
            text += " ESCAPE " + string_literal(e.escape)
        return text
    if isinstance(e, ast.Conditional):
        return f"{_expr(e.condition, _COALESCE)} ? {_expr(e.if_true, 0)} : {_expr(e.if_false, 0)}"
    if isinstance(e, ast.FunctionCall):
        args = ", ".join(_expr(a, 0) for a in e.args)
        return f"{'udf.' if e.udf else ''}{e.name}({args})"
    if isinstance(e, ast.Subquery):
        body = _query(e.query)
        return f"({body})" if e.kind == "SCALAR" else f"{e.kind}({body})"
    raise TypeError(f"cannot render {type(e).__name__}")


def _chain(e: ast.Binary) -> list[ast.Expr]:
    """The operands of a chain of one operator, in order, whatever the tree's shape."""
    out: list[ast.Expr] = []
    stack: list[ast.Expr] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Binary) and node.op == e.op:
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out
