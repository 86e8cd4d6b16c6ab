"""Compile scalar expressions into Python closures, once per query.

A compiled expression is a function `env -> value`, where `env` maps each alias in scope to
its current value. Walking the tree once and calling closures per row is several times
faster than re-walking the tree for every document. Constant sub-expressions are folded.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import ast, operators
from .aggregates import AGGREGATES, Accumulator
from .errors import CosmosQueryError
from .functions import REGISTRY, lookup
from .regex import like_matcher
from .values import UNDEFINED

Env = dict[str, Any]
Fn = Callable[[Env], Any]
SubqueryRunner = Callable[[Env], list[Any]]

# Env key holding a group's aggregate results; the space keeps it apart from identifiers.
AGG_KEY = " aggregates"


@dataclass
class Scope:
    """What an expression may refer to while it is compiled."""

    aliases: frozenset[str]
    parameters: Mapping[str, Any]
    subquery: Callable[[ast.Query, Scope], SubqueryRunner]
    # Aggregate calls found so far (None: aggregates are not allowed here).
    aggregates: list[tuple[type[Accumulator], Fn]] | None = None


def _error(message: str, node: ast.Node) -> CosmosQueryError:
    line, column = node.pos if node.pos else (None, None)
    return CosmosQueryError(message, line=line, column=column)


class _Constant:
    """A compiled constant: callable like any closure, but its value is known."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, env: Env) -> Any:
        return self.value


def is_constant(fn: Fn) -> bool:
    """True when the compiled expression does not depend on the row."""
    return isinstance(fn, _Constant)


def member(value: Any, key: Any) -> Any:
    """`value[key]` / `value.key`: a property of an object or an element of an array."""
    t = type(value)
    if t is dict:
        return value.get(key, UNDEFINED) if type(key) is str else UNDEFINED
    if t is list:
        tk = type(key)
        if tk is int or (tk is float and key.is_integer()):
            i = int(key)
            return value[i] if 0 <= i < len(value) else UNDEFINED
    return UNDEFINED


def _constant_key(node: ast.Expr) -> str | int | None:
    if isinstance(node, ast.Literal):
        v = node.value
        if type(v) is str or type(v) is int:
            return v
        if type(v) is float and v.is_integer():
            return int(v)
    return None


def _path(node: ast.Expr) -> tuple[ast.Identifier, list[str | int]] | None:
    """`c.a[0]["b"]` as (c, ["a", 0, "b"]) when every step is a constant."""
    keys: list[str | int] = []
    while True:
        if isinstance(node, ast.PropertyAccess):
            keys.append(node.name)
            node = node.target
        elif isinstance(node, ast.IndexAccess):
            key = _constant_key(node.index)
            if key is None:
                return None
            keys.append(key)
            node = node.target
        elif isinstance(node, ast.Identifier):
            keys.reverse()
            return node, keys
        else:
            return None


def path_getter(keys: list[str | int]) -> Callable[[Any], Any]:
    """A function following a fixed property path from a value."""
    if not keys:
        return lambda v: v
    if len(keys) == 1 and type(keys[0]) is str:
        (k,) = keys

        def one(v: Any) -> Any:
            return v.get(k, UNDEFINED) if type(v) is dict else UNDEFINED

        return one
    if len(keys) == 2 and type(keys[0]) is str and type(keys[1]) is str:
        k1, k2 = keys

        def two(v: Any) -> Any:
            if type(v) is not dict:
                return UNDEFINED
            v = v.get(k1, UNDEFINED)
            return v.get(k2, UNDEFINED) if type(v) is dict else UNDEFINED

        return two
    steps = tuple(keys)

    def many(v: Any) -> Any:
        for k in steps:
            v = member(v, k)
            if v is UNDEFINED:
                return v
        return v

    return many


def _alias_path(name: str, keys: list[str | int]) -> Fn:
    """`alias.a.b` as one closure; the one- and two-step cases avoid a nested call."""
    if len(keys) == 1 and type(keys[0]) is str:
        (k,) = keys

        def one(env: Env) -> Any:
            v = env.get(name, UNDEFINED)
            return v.get(k, UNDEFINED) if type(v) is dict else UNDEFINED

        return one
    if len(keys) == 2 and type(keys[0]) is str and type(keys[1]) is str:
        k1, k2 = keys

        def two(env: Env) -> Any:
            v = env.get(name, UNDEFINED)
            if type(v) is not dict:
                return UNDEFINED
            v = v.get(k1, UNDEFINED)
            return v.get(k2, UNDEFINED) if type(v) is dict else UNDEFINED

        return two
    get = path_getter(keys)
    return lambda env: get(env.get(name, UNDEFINED))


def compile_expr(node: ast.Expr, scope: Scope) -> Fn:
    """Compile one scalar expression."""
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise _error(f"cannot evaluate {type(node).__name__}", node)
    return handler(node, scope)


def _literal(node: ast.Literal, scope: Scope) -> Fn:
    return _Constant(node.value)


def _parameter(node: ast.Parameter, scope: Scope) -> Fn:
    if node.name not in scope.parameters:
        raise _error(f"no value was given for the parameter {node.name}", node)
    return _Constant(scope.parameters[node.name])


def _identifier(node: ast.Identifier, scope: Scope) -> Fn:
    if node.name not in scope.aliases:
        known = ", ".join(sorted(a for a in scope.aliases if not a.startswith("$"))) or "none"
        raise _error(
            f"the name {node.name!r} is not defined by FROM; names in scope: {known}", node
        )
    name = node.name
    return lambda env: env.get(name, UNDEFINED)


def _access(node: ast.PropertyAccess | ast.IndexAccess, scope: Scope) -> Fn:
    found = _path(node)
    if found is not None:
        root, keys = found
        _identifier(root, scope)
        return _alias_path(root.name, keys)
    target = compile_expr(node.target, scope)
    if isinstance(node, ast.PropertyAccess):
        key = node.name
        return _fold(lambda env: member(target(env), key), target)
    index = compile_expr(node.index, scope)
    return _fold(lambda env: member(target(env), index(env)), target, index)


def _fold(fn: Fn, *parts: Fn) -> Fn:
    """Evaluate now when every part is constant (the expression is pure)."""
    if all(is_constant(p) for p in parts):
        return _Constant(fn({}))
    return fn


def _array(node: ast.ArrayLiteral, scope: Scope) -> Fn:
    items = [compile_expr(i, scope) for i in node.items]

    def build(env: Env) -> list[Any]:
        out = []
        for item in items:
            v = item(env)
            if v is not UNDEFINED:
                out.append(v)
        return out

    # Not folded: each row must get its own list, callers may mutate results.
    return build


def _object(node: ast.ObjectLiteral, scope: Scope) -> Fn:
    props = [(p.key, compile_expr(p.value, scope)) for p in node.properties]

    def build(env: Env) -> dict[str, Any]:
        out = {}
        for key, fn in props:
            v = fn(env)
            if v is not UNDEFINED:
                out[key] = v
        return out

    return build


def _unary(node: ast.Unary, scope: Scope) -> Fn:
    operand = compile_expr(node.operand, scope)
    op = operators.UNARY[node.op]
    return _fold(lambda env: op(operand(env)), operand)


_COMPARE_FAST = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare_with_constant(op: str, left: Fn, constant: Any) -> Fn | None:
    """Fast closures for `expr <op> "text"` and `expr <op> 42`, the common filters."""
    compare = _COMPARE_FAST[op]
    if type(constant) is str:

        def vs_string(env: Env) -> Any:
            v = left(env)
            return compare(v, constant) if type(v) is str else UNDEFINED

        return vs_string
    if type(constant) in (int, float):

        def vs_number(env: Env) -> Any:
            v = left(env)
            t = type(v)
            return compare(v, constant) if t is int or t is float else UNDEFINED

        return vs_number
    return None


def _operands(node: ast.Expr, op: str) -> list[ast.Expr]:
    """The operands of a chain of one AND/OR operator, flattened without recursion."""
    out: list[ast.Expr] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Binary) and current.op == op:
            stack.append(current.right)
            stack.append(current.left)
        else:
            out.append(current)
    return out


def _logical(node: ast.Binary, scope: Scope) -> Fn:
    """AND / OR over any number of operands; long generated OR chains stay flat."""
    parts = [compile_expr(e, scope) for e in _operands(node, node.op)]
    # AND stops at the first false, OR at the first true; otherwise an operand that is not
    # a boolean makes the result undefined.
    stop = node.op == "OR"
    keep = not stop
    if len(parts) == 2:
        left, right = parts

        def pair(env: Env) -> Any:
            a = left(env)
            if a is stop:
                return stop
            b = right(env)
            if b is stop:
                return stop
            return keep if a is keep and b is keep else UNDEFINED

        return _fold(pair, left, right)

    def chain(env: Env) -> Any:
        result: Any = keep
        for part in parts:
            v = part(env)
            if v is stop:
                return stop
            if v is not keep:
                result = UNDEFINED
        return result

    return _fold(chain, *parts)


def _binary(node: ast.Binary, scope: Scope) -> Fn:
    op = node.op
    if op in ("AND", "OR"):
        return _logical(node, scope)
    left = compile_expr(node.left, scope)
    right = compile_expr(node.right, scope)
    if op == "??":

        def coalesce(env: Env) -> Any:
            a = left(env)
            return right(env) if a is UNDEFINED else a

        return _fold(coalesce, left, right)
    if op in _COMPARE_FAST and is_constant(right) and not is_constant(left):
        fast = _compare_with_constant(op, left, right.value)  # type: ignore[attr-defined]
        if fast is not None:
            return fast
    fn = operators.BINARY[op]
    return _fold(lambda env: fn(left(env), right(env)), left, right)


def _between(node: ast.Between, scope: Scope) -> Fn:
    value = compile_expr(node.expr, scope)
    low = compile_expr(node.low, scope)
    high = compile_expr(node.high, scope)
    negated = node.negated

    def between(env: Env) -> Any:
        v = value(env)
        result = operators.logical_and(
            operators.greater_equal(v, low(env)), operators.less_equal(v, high(env))
        )
        return operators.logical_not(result) if negated else result

    return _fold(between, value, low, high)


def _in(node: ast.In, scope: Scope) -> Fn:
    value = compile_expr(node.expr, scope)
    items = [compile_expr(i, scope) for i in node.items]
    negated = node.negated

    def in_(env: Env) -> Any:
        v = value(env)
        if v is UNDEFINED:
            return UNDEFINED
        comparable = False
        for item in items:
            result = operators.equal(v, item(env))
            if result is True:
                return not negated
            if result is False:
                comparable = True
        # Like `=`, a value of a type no list item has gives undefined, not false.
        return negated if comparable else UNDEFINED

    return _fold(in_, value, *items)


def _like(node: ast.Like, scope: Scope) -> Fn:
    value = compile_expr(node.expr, scope)
    pattern = compile_expr(node.pattern, scope)
    escape, negated = node.escape, node.negated
    if is_constant(pattern) and type(pattern.value) is str:  # type: ignore[attr-defined]
        matches = like_matcher(pattern.value, escape)  # type: ignore[attr-defined]

        def like_constant(env: Env) -> Any:
            v = value(env)
            if type(v) is not str:
                return UNDEFINED
            return matches(v) is not negated

        return _fold(like_constant, value)

    def like(env: Env) -> Any:
        result = operators.like(value(env), pattern(env), escape)
        return operators.logical_not(result) if negated else result

    return _fold(like, value, pattern)


def _conditional(node: ast.Conditional, scope: Scope) -> Fn:
    condition = compile_expr(node.condition, scope)
    if_true = compile_expr(node.if_true, scope)
    if_false = compile_expr(node.if_false, scope)

    def conditional(env: Env) -> Any:
        # Per the docs, a condition that is not a boolean excludes the value.
        c = condition(env)
        if c is True:
            return if_true(env)
        return if_false(env) if c is False else UNDEFINED

    return _fold(conditional, condition, if_true, if_false)


def _function(node: ast.FunctionCall, scope: Scope) -> Fn:
    if node.udf:
        raise _error(f"user-defined functions are not supported (udf.{node.name})", node)
    upper = node.name.upper()
    if upper in AGGREGATES:
        return _aggregate(node, scope)
    spec = lookup(node.name)
    if spec is None:
        close = difflib.get_close_matches(upper, [*REGISTRY, *AGGREGATES], n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise _error(f"{node.name!r} is not a recognized built-in function{hint}", node)
    count = len(node.args)
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        raise _error(f"{spec.name} takes {spec.arity_text()} argument(s), not {count}", node)
    args = [compile_expr(a, scope) for a in node.args]
    impl = spec.impl
    if spec.static:
        return _Constant(impl())
    if count == 0:
        fn: Fn = lambda env: impl()  # noqa: E731 - one closure per arity
    elif count == 1:
        (a,) = args
        fn = lambda env: impl(a(env))  # noqa: E731
    elif count == 2:
        a, b = args
        fn = lambda env: impl(a(env), b(env))  # noqa: E731
    elif count == 3:
        a, b, c = args
        fn = lambda env: impl(a(env), b(env), c(env))  # noqa: E731
    else:
        fn = lambda env: impl(*[arg(env) for arg in args])  # noqa: E731
    return _fold(fn, *args) if spec.pure else fn


def _aggregate(node: ast.FunctionCall, scope: Scope) -> Fn:
    name = node.name.upper()
    if scope.aggregates is None:
        raise _error(f"the aggregate {name} is only allowed in SELECT (and ORDER BY)", node)
    if len(node.args) != 1:
        raise _error(f"{name} takes 1 argument, not {len(node.args)}", node)
    # The argument is evaluated per row, where nested aggregates make no sense.
    inner = Scope(scope.aliases, scope.parameters, scope.subquery, None)
    argument = compile_expr(node.args[0], inner)
    slot = len(scope.aggregates)
    scope.aggregates.append((AGGREGATES[name], argument))
    return lambda env: env[AGG_KEY][slot]


def _subquery(node: ast.Subquery, scope: Scope) -> Fn:
    run = scope.subquery(node.query, scope)
    kind = node.kind
    if kind == "EXISTS":
        return lambda env: bool(run(env))
    if kind == "ARRAY":
        return run
    if kind == "ALL":
        return lambda env: all(v is True for v in run(env))
    if kind == "LAST":

        def last(env: Env) -> Any:
            results = run(env)
            return results[-1] if results else UNDEFINED

        return last

    def first(env: Env) -> Any:
        results = run(env)
        return results[0] if results else UNDEFINED

    return first


_HANDLERS: dict[type, Callable[[Any, Scope], Fn]] = {
    ast.Literal: _literal,
    ast.Parameter: _parameter,
    ast.Identifier: _identifier,
    ast.PropertyAccess: _access,
    ast.IndexAccess: _access,
    ast.ArrayLiteral: _array,
    ast.ObjectLiteral: _object,
    ast.Unary: _unary,
    ast.Binary: _binary,
    ast.Between: _between,
    ast.In: _in,
    ast.Like: _like,
    ast.Conditional: _conditional,
    ast.FunctionCall: _function,
    ast.Subquery: _subquery,
}


def contains_aggregate(node: ast.Node) -> bool:
    """True when an aggregate call appears in the expression (outside subqueries)."""
    if isinstance(node, ast.FunctionCall) and not node.udf and node.name.upper() in AGGREGATES:
        return True
    if isinstance(node, ast.Subquery):
        return False
    return any(contains_aggregate(child) for child in node.children())
