"""The Cosmos DB query guard: one SELECT over this container, parameterised and capped.

`check_cosmos_query` works on the syntax tree of `cosmosql`, never on the text:

1. parse; a syntax error is a GuardRejection with its line and column (the language has
   only SELECT, so a parsed query cannot write);
2. sources: the outer FROM names the container by any alias (`c`, `root r`, its own name);
   the name of another configured container is rejected, since Cosmos DB would quietly
   read this one instead. JOINs and subqueries start from an alias in scope (there are no
   joins across documents) and no alias is bound twice;
3. string and number literals anywhere become parameters `@p0`, `@p1`... (the few that
   stay inline are listed in `parameterise_literals`);
4. an optional row filter is ANDed into WHERE, claims bound as parameters;
5. TOP (or OFFSET LIMIT) is injected or lowered to `max_items + 1`, so that truncation
   shows; a lone aggregate (`SELECT VALUE COUNT(1)`) gives one row and is left alone;
6. every parameter the query names must have a value.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from data_assistant.cosmosql import CosmosSyntaxError, ast, parse, to_text
from data_assistant.cosmosql.aggregates import AGGREGATES
from data_assistant.cosmosql.compiler import contains_aggregate
from data_assistant.cosmosql.evaluator import normalize_parameters
from data_assistant.errors import Forbidden, GuardRejection

CLAIMS = "@claims"
ClaimPath = tuple[str, ...]


@dataclass(frozen=True)
class GuardedCosmosQuery:
    """A checked query: the capped text and tree, the values of its parameters, and a COUNT
    over the uncapped query when the cap may cut the results short."""

    query: str
    parameters: dict[str, Any]
    tree: ast.Query
    count_query: str | None = None

    def parameter_list(self) -> list[dict[str, Any]]:
        """Parameters in the form azure-cosmos sends: `[{"name": "@p0", "value": 1}]`."""
        return [{"name": name, "value": value} for name, value in self.parameters.items()]


def check_cosmos_query(
    query: str,
    *,
    container: str,
    max_items: int,
    parameters: Mapping[str, Any] | None = None,
    other_containers: Collection[str] = (),
    row_filter: str | DocumentPredicate | None = None,
    claims: Mapping[str, Any] | None = None,
) -> GuardedCosmosQuery:
    """Check and rewrite one query for the container; raise GuardRejection or Forbidden.

    `other_containers` are the names of the other configured containers; `row_filter` a
    condition such as `c.tenantId = @claims.tid`, filled from `claims`.
    """
    try:
        tree = parse(query)
    except CosmosSyntaxError as exc:
        raise GuardRejection(exc.reason, sql=query, line=exc.line, column=exc.column) from None
    try:
        return _guard(tree, container, max_items, parameters, other_containers, row_filter, claims)
    except GuardRejection as exc:
        exc.sql = exc.sql or query
        raise
    except RecursionError:
        # The parser's limits keep trees shallow; this is the net under them.
        raise GuardRejection("The query is nested too deeply to check.", sql=query) from None


def _guard(
    tree: ast.Query,
    container: str,
    max_items: int,
    parameters: Mapping[str, Any] | None,
    other_containers: Collection[str],
    row_filter: str | DocumentPredicate | None,
    claims: Mapping[str, Any] | None,
) -> GuardedCosmosQuery:
    check_sources(tree, container=container, other_containers=other_containers)
    params = normalize_parameters(parameters)
    params.update(parameterise_literals(tree, taken=params.keys()))
    if row_filter is not None:
        tree, bound = apply_document_policy(
            tree, row_filter, claims or {}, taken=params.keys(), container=container
        )
        params.update(bound)
    names = parameter_names(tree)
    missing = sorted(names - params.keys())
    if missing:
        raise GuardRejection(f"The query uses {', '.join(missing)} but no value was given for it.")
    uncapped = copy.deepcopy(tree)
    may_truncate = cap_query(tree, max_items + 1, params)
    count = count_query(uncapped) if may_truncate else None
    used = {name: params[name] for name in sorted(names & params.keys())}
    return GuardedCosmosQuery(to_text(tree), used, tree, count)


# ------------------------------------------------------------------ sources


def check_sources(
    tree: ast.Query, *, container: str, other_containers: Collection[str] = ()
) -> None:
    """Reject a FROM naming another container, a JOIN or subquery reading outside the
    current document, and an alias bound twice."""
    others = {name.lower() for name in other_containers} - {container.lower()}
    _check_query(tree, frozenset(), reads_container=True, container=container, others=others)


def _check_query(
    query: ast.Query,
    scope: frozenset[str],
    *,
    reads_container: bool,
    container: str,
    others: set[str],
) -> None:
    bound = set(scope)
    own: set[str] = set()  # a repeated alias would hide a document behind an array element
    if query.from_ is not None:
        for i, source in enumerate([query.from_.source, *query.from_.joins]):
            collection = source.collection
            first_read = reads_container and i == 0
            if isinstance(collection, ast.SubqueryCollection):
                _check_query(
                    collection.query,
                    frozenset(bound),
                    reads_container=first_read,
                    container=container,
                    others=others,
                )
            elif first_read:
                if collection.root.lower() in others:
                    raise GuardRejection(
                        f"The query reads container '{collection.root}', but this source is "
                        f"container '{container}'; write FROM c."
                    )
            elif collection.root not in bound:
                where = "A JOIN" if i else "A subquery"
                raise GuardRejection(
                    f"{where} must start from an alias in scope, not '{collection.root}': "
                    "Cosmos DB has no joins across documents (write JOIN t IN c.tags)."
                )
            name = source.name
            if name is not None:
                if name in own:
                    raise GuardRejection(f"The alias '{name}' is bound twice; rename one.")
                own.add(name)
                bound.add(name)
    inner = frozenset(bound)
    for sub in _subqueries(query):
        _check_query(sub, inner, reads_container=False, container=container, others=others)


def _subqueries(query: ast.Query) -> Iterator[ast.Query]:
    """Queries used as values in this query's clauses (not those nested deeper)."""
    roots: list[ast.Node] = [query.select]
    if query.where is not None:
        roots.append(query.where)
    roots.extend(query.group_by)
    roots.extend(query.order_by)
    stack = roots[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Subquery):
            yield node.query
            continue
        stack.extend(reversed(list(node.children())))


def parameter_names(tree: ast.Node) -> set[str]:
    """Every `@name` the query reads, TOP / OFFSET / LIMIT included."""
    return {node.name for node in tree.walk() if isinstance(node, ast.Parameter)}


# ------------------------------------------------------------------ literals


def parameterise_literals(tree: ast.Query, *, taken: Collection[str] = ()) -> dict[str, Any]:
    """Replace every string and finite number literal of the query, in every clause and
    subquery, by a parameter (`@p0`, `@p1`...; one name per distinct value) and return
    their values. Keeps values out of query text and lets Cosmos DB reuse its query plan.

    Stay inline, because they name structure rather than carry values: a constant index
    (`c["name"]`, `c.tags[0]`), a constant aggregate argument (`COUNT(1)`), and the words
    true, false, null, undefined, NaN and Infinity. TOP, OFFSET and LIMIT counts and the
    LIKE ... ESCAPE character are not literals in the tree; FROM paths are names.
    """
    used = set(taken) | parameter_names(tree)
    names: dict[tuple[type, Any], str] = {}
    values: dict[str, Any] = {}
    counter = [0]

    def bind(expr: ast.Expr) -> ast.Expr:
        if not isinstance(expr, ast.Literal) or not _bindable(expr.value):
            return expr
        key = (type(expr.value), expr.value)
        name = names.get(key)
        if name is None:
            while f"@p{counter[0]}" in used:
                counter[0] += 1
            name = names[key] = f"@p{counter[0]}"
            used.add(name)
            values[name] = expr.value
        return ast.Parameter(name, pos=expr.pos)

    def visit(node: ast.Node) -> None:
        # Recursive, in source order; the parser's MAX_DEPTH keeps the recursion short.
        inline = _inline_fields(node)
        for f in fields(node):  # type: ignore[arg-type]
            value = getattr(node, f.name)
            if isinstance(value, ast.Node):
                if f.name not in inline and isinstance(value, ast.Literal):
                    setattr(node, f.name, bind(value))
                else:
                    visit(value)
            elif isinstance(value, list):
                items = []
                for item in value:
                    if f.name not in inline and isinstance(item, ast.Literal):
                        item = bind(item)
                    elif isinstance(item, ast.Node):
                        visit(item)
                    items.append(item)
                setattr(node, f.name, items)

    visit(tree)
    return values


def _inline_fields(node: ast.Node) -> frozenset[str]:
    """Fields of `node` whose literals stay in the text."""
    if isinstance(node, ast.IndexAccess):
        return frozenset({"index"})
    if isinstance(node, ast.FunctionCall) and not node.udf and node.name.upper() in AGGREGATES:
        return frozenset({"args"})
    return frozenset()


def _bindable(value: Any) -> bool:
    kind = type(value)
    return kind is str or kind is int or (kind is float and math.isfinite(value))


# ------------------------------------------------------------------ caps


def cap_query(tree: ast.Query, cap: int, parameters: Mapping[str, Any]) -> bool:
    """Lower or inject TOP / LIMIT to `cap`; whether the author's query can yield more."""
    select = tree.select
    exprs = [select.value] if select.value is not None else [i.expr for i in select.items]
    if not tree.group_by and any(e is not None and contains_aggregate(e) for e in exprs):
        return False  # one row, whatever the input
    top = _count_value(select.top, parameters)
    limit = _count_value(tree.limit, parameters)
    if tree.offset is not None:
        tree.offset = _count_value(tree.offset, parameters)
    own = min((n for n in (top, limit) if n is not None), default=None)
    if limit is not None:
        tree.limit = min(limit, cap)
        if top is not None:
            select.top = min(top, cap)
    else:
        select.top = cap if top is None else min(top, cap)
    return own is None or own >= cap


def _count_value(value: int | ast.Parameter | None, parameters: Mapping[str, Any]) -> int | None:
    if not isinstance(value, ast.Parameter):
        return value
    number = parameters.get(value.name)
    if type(number) is float and number.is_integer():
        number = int(number)
    if type(number) is not int or number < 0:
        raise GuardRejection(f"{value.name} must be bound to a non-negative integer.")
    return number


def count_query(tree: ast.Query) -> str:
    """`SELECT VALUE COUNT(1) FROM (query)`: how many results the query gives, uncapped.

    ORDER BY is dropped: it changes which results come first, never how many. Without
    DISTINCT, GROUP BY or VALUE every row gives one result, so the inner query selects
    `VALUE 1` rather than compute what it would show.
    """
    inner = copy.deepcopy(tree)
    inner.order_by = []
    select = inner.select
    if not select.distinct and not inner.group_by and select.value is None:
        inner.select = ast.Select(value=ast.Literal(1), top=select.top)
    select = ast.Select(value=ast.FunctionCall("COUNT", [ast.Literal(1)]))
    source = ast.AliasedSource(ast.SubqueryCollection(inner))
    return to_text(ast.Query(select=select, from_=ast.From(source)))


# ------------------------------------------------------------------ row policies


@dataclass(frozen=True)
class DocumentPredicate:
    """A row filter, parsed once: its condition, the alias it names, the claims it reads."""

    text: str
    condition: ast.Expr
    alias: str | None
    claims: tuple[ClaimPath, ...]


@functools.lru_cache(maxsize=256)
def compile_document_predicate(text: str) -> DocumentPredicate:
    """Parse a row filter such as `c.tenantId = @claims.tid`; ValueError says what is wrong.

    Claims are written `@claims.name`, `@claims["name"]` or `@claims_name`.
    """
    try:
        tree = parse(f"SELECT * FROM c WHERE {text}")
    except CosmosSyntaxError as exc:
        raise ValueError(f"cannot parse the row filter {text!r}: {exc.reason}") from None
    extra = tree.group_by or tree.order_by or tree.offset is not None or tree.select.top
    if tree.where is None or extra:
        raise ValueError(f"the row filter {text!r} must be one condition")
    condition = tree.where
    paths: list[ClaimPath] = []
    for node in _claim_refs(condition):
        path = claim_path(node)
        if not path:
            raise ValueError(f"the row filter {text!r} may use only @claims.<name> placeholders")
        paths.append(path)
    free = {n.name for n in _outer_nodes(condition) if isinstance(n, ast.Identifier)}
    if len(free) > 1:
        raise ValueError(f"the row filter {text!r} must name one document alias, such as c")
    alias = next(iter(free), None)
    return DocumentPredicate(text, condition, alias, tuple(dict.fromkeys(paths)))


def apply_document_policy(
    tree: ast.Query,
    predicate: str | DocumentPredicate,
    claims: Mapping[str, Any],
    *,
    taken: Collection[str] = (),
    container: str = "container",
) -> tuple[ast.Query, dict[str, Any]]:
    """AND the row filter into the WHERE of the query that reads documents; claim values
    become parameters named apart from `taken` and the query's own. A missing claim raises
    Forbidden. Documents cannot see each other, so the outermost WHERE is enough."""
    if isinstance(predicate, str):
        predicate = compile_document_predicate(predicate)
    rule = predicate
    target = _document_query(tree)
    if target is None:
        return tree, {}
    used = set(taken) | parameter_names(tree)
    params: dict[str, Any] = {}
    names: dict[ClaimPath, str] = {}
    for path in rule.claims:
        value = _claim_value(claims, path)
        if value is None or value == [] or value == "":
            raise Forbidden(
                f"Container '{container}' is filtered by the claim '{'.'.join(path)}', "
                "which your credentials do not carry."
            )
        name = names[path] = _fresh("@claim", used)
        params[name] = value
    alias = target.document_alias
    assert alias is not None
    if alias != rule.alias and alias in _bound_aliases(rule.condition):
        raise GuardRejection(
            f"The alias '{alias}' is taken by this container's row filter; use FROM c."
        )

    def rewrite(node: ast.Node) -> ast.Node | None:
        if isinstance(node, ast.Parameter | ast.PropertyAccess | ast.IndexAccess):
            path = claim_path(node)
            if path:
                return ast.Parameter(names[path], pos=node.pos)
        if isinstance(node, ast.Identifier) and node.name == rule.alias:
            return ast.Identifier(alias, pos=node.pos)
        if isinstance(node, ast.PathCollection) and node.root == rule.alias:
            node.root = alias  # a subquery of the filter reading the document
        return None

    condition = _transform(copy.deepcopy(rule.condition), rewrite)
    assert isinstance(condition, ast.Expr)
    target.where = condition if target.where is None else ast.Binary("AND", condition, target.where)
    return tree, params


def _document_query(tree: ast.Query) -> ast.Query | None:
    """The query whose FROM binds whole documents: this one, or the subquery its FROM reads."""
    while tree.from_ is not None:
        if tree.document_alias is not None:
            return tree
        collection = tree.from_.source.collection
        if not isinstance(collection, ast.SubqueryCollection):
            raise GuardRejection(
                "This container has a row filter, so the query must read whole documents: "
                "write FROM c JOIN t IN c.items rather than FROM t IN c.items."
            )
        tree = collection.query
    return None


def claim_path(node: ast.Node) -> ClaimPath:
    """('tid',) for `@claims.tid`, `@claims["tid"]` or `@claims_tid`; () when not a claim."""
    if isinstance(node, ast.Parameter):
        prefix = CLAIMS + "_"
        return (node.name[len(prefix) :],) if node.name.startswith(prefix) else ()
    path: list[str] = []
    while isinstance(node, ast.PropertyAccess | ast.IndexAccess):
        if isinstance(node, ast.PropertyAccess):
            path.append(node.name)
        elif isinstance(node.index, ast.Literal) and type(node.index.value) is str:
            path.append(node.index.value)
        else:
            return ()
        node = node.target
    if isinstance(node, ast.Parameter) and node.name == CLAIMS and path:
        return tuple(reversed(path))
    return ()


def _claim_refs(condition: ast.Expr) -> Iterator[ast.Node]:
    """The outermost nodes of each parameter reference (`@claims.a.b`, not `@claims`)."""
    stack: list[ast.Node] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Parameter) or claim_path(node):
            yield node
            continue
        stack.extend(reversed(list(node.children())))  # source order: @claim0 comes first


def _outer_nodes(condition: ast.Expr) -> Iterator[ast.Node]:
    """Nodes of the condition outside its subqueries."""
    stack: list[ast.Node] = [condition]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.Subquery):
            stack.extend(node.children())


def _bound_aliases(condition: ast.Expr) -> set[str]:
    """Aliases that subqueries inside the condition bind."""
    return {
        node.name
        for node in condition.walk()
        if isinstance(node, ast.AliasedSource | ast.IteratorSource) and node.name
    }


def _fresh(prefix: str, used: set[str]) -> str:
    """`prefix0`, `prefix1`... the first not in `used`, which it joins."""
    i = 0
    while f"{prefix}{i}" in used:
        i += 1
    name = f"{prefix}{i}"
    used.add(name)
    return name


def _claim_value(claims: Mapping[str, Any], path: ClaimPath) -> Any:
    value: Any = claims
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, tuple):
        value = list(value)
    return value


def _transform(node: ast.Node, fn: Any) -> ast.Node:
    """Rebuild `node` top-down: `fn(n)` returns a replacement, or None to descend."""
    replaced = fn(node)
    if replaced is not None:
        return replaced
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            setattr(node, f.name, _transform(value, fn))
        elif isinstance(value, list):
            setattr(
                node,
                f.name,
                [_transform(v, fn) if isinstance(v, ast.Node) else v for v in value],
            )
    return node
