"""Join paths along foreign keys: shortest, unambiguous, and whether they fan out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.offline.text import split_identifier


@dataclass(frozen=True)
class Edge:
    """A foreign key seen from one side: `src` joins `dst` on the paired columns.

    `to_parent` is True when `src` holds the foreign key (many rows to one).
    """

    src: str
    dst: str
    src_columns: tuple[str, ...]
    dst_columns: tuple[str, ...]
    to_parent: bool


def _undeclared_keys(snapshot: SchemaSnapshot) -> list[tuple[str, str, str, str]]:
    """Links the schema does not declare: a column named exactly like another table's
    one-column key of two or more words (`Marketing_Region_Code`, `customer_id`), in a table
    that has no declared link on that column. (table, column, parent, key)."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for table in snapshot.tables:
        pk = [c.name for c in table.columns if c.primary_key]
        if len(pk) == 1 and len(split_identifier(pk[0])) >= 2:
            keys.setdefault(pk[0].lower(), []).append((table.qualified_name, pk[0]))
    found = []
    for table in snapshot.tables:
        declared = {c.lower() for fk in table.foreign_keys for c in fk.columns}
        for column in table.columns:
            low = column.name.lower()
            owners = [k for k in keys.get(low, []) if k[0] != table.qualified_name]
            if column.primary_key or low in declared or len(owners) != 1:
                continue
            found.append((table.qualified_name, column.name, *owners[0]))
    return found


class JoinGraph:
    """Tables as nodes, foreign keys as edges in both directions."""

    def __init__(self, snapshot: SchemaSnapshot) -> None:
        self.adjacent: dict[str, list[Edge]] = {t.qualified_name: [] for t in snapshot.tables}
        for table in snapshot.tables:
            src = table.qualified_name
            for fk in table.foreign_keys:
                ref = snapshot.table(
                    f"{fk.ref_schema}.{fk.ref_table}" if fk.ref_schema else fk.ref_table
                ) or snapshot.table(fk.ref_table)
                if ref is None or ref.qualified_name == src:
                    continue
                dst = ref.qualified_name
                self.adjacent[src].append(Edge(src, dst, fk.columns, fk.ref_columns, True))
                self.adjacent[dst].append(Edge(dst, src, fk.ref_columns, fk.columns, False))
        for src, column, dst, key in _undeclared_keys(snapshot):
            self.adjacent[src].append(Edge(src, dst, (column,), (key,), True))
            self.adjacent[dst].append(Edge(dst, src, (key,), (column,), False))
        self._trees: dict[str, tuple[dict[str, Edge | None], set[str], dict[str, int]]] = {}

    def _tree(self, root: str) -> tuple[dict[str, Edge | None], set[str], dict[str, int]]:
        """BFS from `root`: parent edge per table, tables reached two ways, depths."""
        if root in self._trees:
            return self._trees[root]
        parent: dict[str, Edge | None] = {root: None}
        depth = {root: 0}
        ambiguous: set[str] = set()
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for edge in self.adjacent.get(node, ()):
                if edge.dst not in depth:
                    depth[edge.dst] = depth[node] + 1
                    parent[edge.dst] = edge
                    queue.append(edge.dst)
                elif depth[edge.dst] == depth[node] + 1 and parent[edge.dst] != edge:
                    ambiguous.add(edge.dst)
        self._trees[root] = (parent, ambiguous, depth)
        return self._trees[root]

    def distance(self, a: str, b: str) -> int | None:
        """Number of joins between two tables, None when they are not connected."""
        return self._tree(a)[2].get(b)

    def path(self, root: str, target: str) -> list[Edge] | None:
        """The joins from `root` to `target`; None when unreachable or not unique."""
        parent, ambiguous, _ = self._tree(root)
        if target not in parent:
            return None
        edges: list[Edge] = []
        node = target
        while (edge := parent[node]) is not None:
            if node in ambiguous:
                return None
            edges.append(edge)
            node = edge.src
        return edges[::-1]

    def join_tree(self, root: str, targets: set[str]) -> list[Edge] | None:
        """The union of paths from `root` to every target, in join order; None if any fails."""
        order: list[Edge] = []
        seen: set[str] = {root}
        for target in sorted(targets, key=lambda t: (self.distance(root, t) or 0, t)):
            path = self.path(root, target)
            if path is None:
                return None
            for edge in path:
                if edge.dst not in seen:
                    seen.add(edge.dst)
                    order.append(edge)
        return order
