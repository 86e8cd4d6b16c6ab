"""Recursive-descent parser: query text to the syntax tree of `ast.py`.

Operator precedence, loosest first (T-SQL style, so `c.grade ^ 4 = 1` compares the XOR,
as the Cosmos documentation's example expects):

    ? :   ??   OR   AND   NOT   comparison / [NOT] BETWEEN, IN, LIKE   ||   |   ^   &
    << >> >>>   + -   * / %   unary - + ~ NOT   . [] (member access)
"""

from __future__ import annotations

from . import ast
from .errors import CosmosSyntaxError
from .limits import MAX_DEPTH, MAX_IN_ITEMS, MAX_JOINS, MAX_NESTING, MAX_NODES, MAX_QUERY_LENGTH
from .tokens import Kind, Token, is_reserved, tokenize
from .values import UNDEFINED

_COMPARISON = frozenset({"=", "!=", "<>", "<", ">", "<=", ">="})
_LITERAL_NAMES = {
    "true": True,
    "false": False,
    "null": None,
    "undefined": UNDEFINED,
    "NaN": float("nan"),
    "Infinity": float("inf"),
}
_SUBQUERY_KEYWORDS = frozenset({"EXISTS", "ARRAY", "FIRST", "LAST", "ALL"})
# Binary levels from loosest to tightest, below the comparison level.
_BINARY_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"||"}),
    frozenset({"|"}),
    frozenset({"^"}),
    frozenset({"&"}),
    frozenset({"<<", ">>", ">>>"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "%"}),
)


def parse(text: str) -> ast.Query:
    """Parse one Cosmos DB for NoSQL query; raise CosmosSyntaxError with its position.

    The limits of `cosmosql.limits` on length, nesting, depth and size apply here, so a
    query that parses is small enough for every later step to walk.
    """
    if not isinstance(text, str):
        raise TypeError("query text must be a str")
    if len(text) > MAX_QUERY_LENGTH:
        raise CosmosSyntaxError(
            f"The query is {len(text):,} characters long, more than the "
            f"{MAX_QUERY_LENGTH:,} allowed."
        )
    tokens = tokenize(text)
    if len(tokens) > MAX_NODES:  # refused before the (slower) parse
        raise CosmosSyntaxError(f"The query has more than {MAX_NODES:,} terms.")
    parser = _Parser(tokens)
    query = parser.query()
    parser.expect_eof()
    check_size(query)
    return query


def check_size(tree: ast.Node) -> None:
    """Raise CosmosSyntaxError when the tree is deeper than MAX_DEPTH or larger than
    MAX_NODES; walked with a stack, so any tree can be measured."""
    stack: list[tuple[ast.Node, int]] = [(tree, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise CosmosSyntaxError(f"The query has more than {MAX_NODES:,} terms.")
        if depth > MAX_DEPTH:
            line, column = node.pos if node.pos else (None, None)
            raise CosmosSyntaxError(
                f"The query nests expressions more than {MAX_DEPTH} levels deep.",
                line=line,
                column=column,
            )
        stack.extend((child, depth + 1) for child in node.children())


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    # ------------------------------------------------------------ token helpers

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind is not Kind.EOF:
            self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> CosmosSyntaxError:
        tok = tok or self.tok
        return CosmosSyntaxError(
            f"Syntax error near {tok.describe()}: {message}", line=tok.line, column=tok.column
        )

    def is_keyword(self, word: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind is Kind.NAME and tok.text.upper() == word

    def is_op(self, op: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind is Kind.OP and tok.text == op

    def accept_keyword(self, word: str) -> Token | None:
        if self.is_keyword(word):
            return self.advance()
        return None

    def accept_op(self, op: str) -> Token | None:
        if self.is_op(op):
            return self.advance()
        return None

    def expect_keyword(self, word: str, why: str = "") -> Token:
        if not self.is_keyword(word):
            raise self.error(f"expected {word}{why} but found {self.tok.describe()}")
        return self.advance()

    def expect_op(self, op: str, why: str = "") -> Token:
        if not self.is_op(op):
            raise self.error(f"expected '{op}'{why} but found {self.tok.describe()}")
        return self.advance()

    def expect_eof(self) -> None:
        if self.tok.kind is not Kind.EOF:
            raise self.error("unexpected text after the end of the query")

    def name(self, what: str) -> Token:
        """An identifier that is not a reserved word."""
        tok = self.tok
        if tok.kind is not Kind.NAME:
            raise self.error(f"expected {what} but found {tok.describe()}")
        if is_reserved(tok.text):
            raise self.error(f"{tok.text!r} is a reserved word and cannot be used as {what}")
        return self.advance()

    def alias_follows(self) -> bool:
        """An alias without AS: a plain name that is not a reserved word."""
        return self.tok.kind is Kind.NAME and not is_reserved(self.tok.text)

    @staticmethod
    def at(tok: Token) -> tuple[int, int]:
        return (tok.line, tok.column)

    # ------------------------------------------------------------ query

    def enter(self) -> None:
        """One level deeper (parentheses, calls, subqueries, unary and ?? chains)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the query nests more than {MAX_NESTING} levels deep")

    def query(self) -> ast.Query:
        self.enter()
        try:
            return self.query_body()
        finally:
            self.depth -= 1

    def query_body(self) -> ast.Query:
        start = self.expect_keyword("SELECT", " at the start of the query")
        select = self.select_clause(start)
        query = ast.Query(select=select, pos=self.at(start))
        if self.accept_keyword("FROM"):
            query.from_ = self.from_clause()
        if self.accept_keyword("WHERE"):
            query.where = self.expression()
        if self.is_keyword("GROUP"):
            self.advance()
            self.expect_keyword("BY", " after GROUP")
            query.group_by = self.expression_list()
        if self.is_keyword("ORDER"):
            self.advance()
            self.expect_keyword("BY", " after ORDER")
            if self.is_keyword("RANK"):
                raise self.error("ORDER BY RANK (full-text scoring) is not supported")
            query.order_by = self.order_items()
        if self.accept_keyword("OFFSET"):
            query.offset = self.count("OFFSET")
            self.expect_keyword("LIMIT", " after the OFFSET count")
            query.limit = self.count("LIMIT")
        elif self.is_keyword("LIMIT"):
            raise self.error("LIMIT needs OFFSET before it (write OFFSET 0 LIMIT n)")
        return query

    def count(self, clause: str) -> int | ast.Parameter:
        tok = self.tok
        if tok.kind is Kind.PARAMETER:
            self.advance()
            return ast.Parameter(tok.value, pos=self.at(tok))
        if tok.kind is Kind.NUMBER and isinstance(tok.value, int):
            self.advance()
            return tok.value
        raise self.error(f"{clause} takes a non-negative integer or a parameter")

    def select_clause(self, start: Token) -> ast.Select:
        select = ast.Select(pos=self.at(start))
        if self.accept_keyword("DISTINCT"):
            select.distinct = True
        if self.accept_keyword("TOP"):
            select.top = self.count("TOP")
        if self.accept_op("*"):
            select.star = True
        elif self.accept_keyword("VALUE"):
            select.value = self.expression()
        else:
            select.items = [self.select_item()]
            while self.accept_op(","):
                select.items.append(self.select_item())
        return select

    def select_item(self) -> ast.SelectItem:
        start = self.tok
        expr = self.expression()
        alias = None
        if self.accept_keyword("AS"):
            alias = self.name("an alias after AS").text
        elif self.alias_follows():
            alias = self.advance().text
        return ast.SelectItem(expr, alias, pos=self.at(start))

    def from_clause(self) -> ast.From:
        start = self.tok
        clause = ast.From(self.source(), pos=self.at(start))
        while self.accept_keyword("JOIN"):
            if len(clause.joins) == MAX_JOINS:
                raise self.error(f"a query may have at most {MAX_JOINS} JOINs")
            clause.joins.append(self.source())
        return clause

    def source(self) -> ast.Source:
        start = self.tok
        if start.kind is Kind.NAME and self.is_keyword("IN", self.peek()):
            iterator = self.name("an alias before IN").text
            self.advance()
            return ast.IteratorSource(iterator, self.collection(), pos=self.at(start))
        collection = self.collection()
        alias: str | None = None
        if self.accept_keyword("AS"):
            alias = self.name("an alias after AS").text
        elif self.alias_follows():
            alias = self.advance().text
        return ast.AliasedSource(collection, alias, pos=self.at(start))

    def collection(self) -> ast.Collection:
        start = self.tok
        if self.accept_op("("):
            query = self.query()
            self.expect_op(")", " to close the subquery")
            return ast.SubqueryCollection(query, pos=self.at(start))
        root = self.name("a container name or alias").text
        path: list[str | int] = []
        while True:
            if self.accept_op("."):
                path.append(self.member_name())
            elif self.accept_op("["):
                tok = self.tok
                if tok.kind is Kind.STRING or (
                    tok.kind is Kind.NUMBER and isinstance(tok.value, int)
                ):
                    path.append(self.advance().value)
                else:
                    raise self.error("a FROM path index must be an integer or a string")
                self.expect_op("]", " to close the index")
            else:
                return ast.PathCollection(root, path, pos=self.at(start))

    def member_name(self) -> str:
        tok = self.tok
        if tok.kind is Kind.NAME and is_reserved(tok.text):
            raise self.error(
                f"{tok.text!r} is a reserved word and cannot follow '.'; "
                f'use brackets instead, as in c["{tok.text}"]'
            )
        return self.name("a property name after '.'").text

    def order_items(self) -> list[ast.OrderItem]:
        items = []
        while True:
            start = self.tok
            expr = self.expression()
            descending = False
            if self.accept_keyword("DESC"):
                descending = True
            else:
                self.accept_keyword("ASC")
            items.append(ast.OrderItem(expr, descending, pos=self.at(start)))
            if not self.accept_op(","):
                return items

    def expression_list(self) -> list[ast.Expr]:
        items = [self.expression()]
        while self.accept_op(","):
            items.append(self.expression())
        return items

    # ------------------------------------------------------------ scalar expressions

    def expression(self) -> ast.Expr:
        self.enter()
        try:
            return self.conditional()
        finally:
            self.depth -= 1

    def conditional(self) -> ast.Expr:
        start = self.tok
        condition = self.coalesce()
        if self.accept_op("?"):
            if_true = self.expression()
            self.expect_op(":", " in the conditional expression")
            if_false = self.expression()
            return ast.Conditional(condition, if_true, if_false, pos=self.at(start))
        return condition

    def coalesce(self) -> ast.Expr:
        start = self.tok
        left = self.logical_or()
        if self.accept_op("??"):
            self.enter()
            try:
                return ast.Binary("??", left, self.coalesce(), pos=self.at(start))
            finally:
                self.depth -= 1
        return left

    def logical_or(self) -> ast.Expr:
        operands = [self.logical_and()]
        while self.accept_keyword("OR"):
            operands.append(self.logical_and())
        return _balanced("OR", operands)

    def logical_and(self) -> ast.Expr:
        operands = [self.logical_not()]
        while self.accept_keyword("AND"):
            operands.append(self.logical_not())
        return _balanced("AND", operands)

    def logical_not(self) -> ast.Expr:
        start = self.tok
        if self.accept_keyword("NOT"):
            self.enter()
            try:
                return ast.Unary("NOT", self.logical_not(), pos=self.at(start))
            finally:
                self.depth -= 1
        return self.comparison()

    def comparison(self) -> ast.Expr:
        start = self.tok
        left = self.binary(0)
        while True:
            tok = self.tok
            if tok.kind is Kind.OP and tok.text in _COMPARISON:
                self.advance()
                op = "!=" if tok.text == "<>" else tok.text
                left = ast.Binary(op, left, self.binary(0), pos=self.at(start))
                continue
            negated = False
            if (
                self.is_keyword("NOT")
                and self.peek().kind is Kind.NAME
                and (self.peek().text.upper() in ("BETWEEN", "IN", "LIKE"))
            ):
                self.advance()
                negated = True
            if self.accept_keyword("BETWEEN"):
                low = self.binary(0)
                self.expect_keyword("AND", " between the BETWEEN bounds")
                high = self.binary(0)
                left = ast.Between(left, low, high, negated, pos=self.at(start))
            elif self.accept_keyword("IN"):
                self.expect_op("(", " after IN")
                items = [] if self.is_op(")") else self.expression_list()
                if len(items) > MAX_IN_ITEMS:
                    raise self.error(
                        f"an IN list may have at most {MAX_IN_ITEMS:,} items, not {len(items):,}"
                    )
                self.expect_op(")", " to close the IN list")
                left = ast.In(left, items, negated, pos=self.at(start))
            elif self.accept_keyword("LIKE"):
                pattern = self.binary(0)
                escape = None
                if self.accept_keyword("ESCAPE"):
                    tok = self.tok
                    if tok.kind is not Kind.STRING or len(tok.value) != 1:
                        raise self.error("ESCAPE takes a string of one character")
                    escape = self.advance().value
                left = ast.Like(left, pattern, escape, negated, pos=self.at(start))
            else:
                return left

    def binary(self, level: int) -> ast.Expr:
        if level == len(_BINARY_LEVELS):
            return self.unary()
        ops = _BINARY_LEVELS[level]
        start = self.tok
        left = self.binary(level + 1)
        while self.tok.kind is Kind.OP and self.tok.text in ops:
            op = self.advance().text
            left = ast.Binary(op, left, self.binary(level + 1), pos=self.at(start))
        return left

    def unary(self) -> ast.Expr:
        start = self.tok
        if start.kind is Kind.OP and start.text in ("-", "+", "~"):
            self.advance()
            self.enter()
            try:
                operand = self.unary()
            finally:
                self.depth -= 1
            if start.text == "-" and isinstance(operand, ast.Literal):
                value = operand.value
                if type(value) in (int, float):
                    # Fold so -9223372036854775808 is one int64 literal, as Cosmos reads it.
                    return ast.Literal(-value, pos=self.at(start))
            return ast.Unary(start.text, operand, pos=self.at(start))
        if self.is_keyword("NOT"):
            self.advance()
            self.enter()
            try:
                return ast.Unary("NOT", self.unary(), pos=self.at(start))
            finally:
                self.depth -= 1
        return self.postfix()

    def postfix(self) -> ast.Expr:
        expr = self.primary()
        while True:
            tok = self.tok
            if self.accept_op("."):
                expr = ast.PropertyAccess(expr, self.member_name(), pos=self.at(tok))
            elif self.accept_op("["):
                index = self.expression()
                self.expect_op("]", " to close the index")
                expr = ast.IndexAccess(expr, index, pos=self.at(tok))
            else:
                return expr

    def primary(self) -> ast.Expr:
        tok = self.tok
        pos = self.at(tok)
        if tok.kind is Kind.NUMBER or tok.kind is Kind.STRING:
            self.advance()
            return ast.Literal(tok.value, pos=pos)
        if tok.kind is Kind.PARAMETER:
            self.advance()
            return ast.Parameter(tok.value, pos=pos)
        if tok.kind is Kind.OP:
            if tok.text == "(":
                self.advance()
                if self.is_keyword("SELECT"):
                    query = self.query()
                    self.expect_op(")", " to close the subquery")
                    return ast.Subquery("SCALAR", query, pos=pos)
                inner = self.expression()
                self.expect_op(")", " to close the parenthesis")
                return inner
            if tok.text == "[":
                return self.array_literal()
            if tok.text == "{":
                return self.object_literal()
            raise self.error("expected an expression")
        if tok.kind is Kind.NAME:
            return self.name_expression(tok)
        raise self.error("expected an expression")

    def name_expression(self, tok: Token) -> ast.Expr:
        pos = self.at(tok)
        text, upper = tok.text, tok.text.upper()
        nxt = self.peek()
        if text in _LITERAL_NAMES and not self.is_op("(", nxt):
            self.advance()
            return ast.Literal(_LITERAL_NAMES[text], pos=pos)
        if (
            upper in _SUBQUERY_KEYWORDS
            and self.is_op("(", nxt)
            and self.is_keyword("SELECT", self.peek(2))
        ):
            self.advance()
            self.advance()
            query = self.query()
            self.expect_op(")", " to close the subquery")
            return ast.Subquery(upper, query, pos=pos)
        if upper in ("EXISTS", "ARRAY"):
            raise self.error(f"{upper} takes a subquery: {upper}(SELECT ...)")
        if text == "udf" and self.is_op(".", nxt):
            self.advance()
            self.advance()
            name = self.name("a user-defined function name")
            return self.call(name.text, udf=True, pos=pos)
        if self.is_op("(", nxt) and (upper in ("LEFT", "RIGHT") or not is_reserved(text)):
            self.advance()
            return self.call(text, udf=False, pos=pos)
        if is_reserved(text):
            raise self.error("expected an expression")
        self.advance()
        return ast.Identifier(text, pos=pos)

    def call(self, name: str, *, udf: bool, pos: tuple[int, int]) -> ast.FunctionCall:
        self.expect_op("(")
        args = [] if self.is_op(")") else self.expression_list()
        self.expect_op(")", f" to close the call to {name}")
        return ast.FunctionCall(name, args, udf, pos=pos)

    def array_literal(self) -> ast.ArrayLiteral:
        start = self.expect_op("[")
        items = [] if self.is_op("]") else self.expression_list()
        self.expect_op("]", " to close the array")
        return ast.ArrayLiteral(items, pos=self.at(start))

    def object_literal(self) -> ast.ObjectLiteral:
        start = self.expect_op("{")
        properties: list[ast.ObjectProperty] = []
        if not self.is_op("}"):
            while True:
                key_tok = self.tok
                if key_tok.kind is Kind.STRING or key_tok.kind is Kind.NAME:
                    # Cosmos accepts bare names as keys ({ name: 1 }) besides strings.
                    key = key_tok.value
                    self.advance()
                else:
                    raise self.error("expected a property name in the object")
                self.expect_op(":", " after the property name")
                value = self.expression()
                properties.append(ast.ObjectProperty(key, value, pos=self.at(key_tok)))
                if not self.accept_op(","):
                    break
        self.expect_op("}", " to close the object")
        return ast.ObjectLiteral(properties, pos=self.at(start))


def _balanced(op: str, operands: list[ast.Expr]) -> ast.Expr:
    """`a op b op c ...` as a balanced tree: AND and OR are associative (false, then
    undefined, wins an AND), so 2,000 alternatives nest 11 levels, not 2,000."""
    if len(operands) == 1:
        return operands[0]
    middle = len(operands) // 2
    left, right = _balanced(op, operands[:middle]), _balanced(op, operands[middle:])
    return ast.Binary(op, left, right, pos=operands[0].pos)
