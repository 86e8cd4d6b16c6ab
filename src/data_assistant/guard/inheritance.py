"""Partitions and inheritance children of a protected table get its policy; its parents close.

In PostgreSQL a partition (`payments_2024` of `payments`) or an inheritance child
(`orders_archive INHERITS orders`) is a table of its own: a query can name it and read its
rows past the parent's policy. Every table under a protected one therefore takes the same
rule, and a parent of a protected table that has no rule of its own is closed, since
reading the parent reads the child's rows too.
"""

from __future__ import annotations

from collections.abc import Collection

from data_assistant.schema.model import SchemaSnapshot


def policy_family(
    snapshot: SchemaSnapshot, ruled: Collection[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """For the configured table names `ruled`: (descendant -> the ruled table whose rule it
    takes, ancestor -> the ruled table that closes it), both by qualified name, leaving
    out tables that have a rule of their own."""
    own = set()
    for name in ruled:
        table = snapshot.table(name)
        if table is not None:
            own.add(table.qualified_name)
    children: dict[str, set[str]] = {}
    for table in snapshot.tables:
        for parent in table.parents:
            found = snapshot.table(parent)
            if found is not None:
                children.setdefault(found.qualified_name, set()).add(table.qualified_name)
    parents = {
        child: {p for p, kids in children.items() if child in kids} for child in _all(children)
    }
    descendants: dict[str, str] = {}
    ancestors: dict[str, str] = {}
    for name in sorted(own):
        for below in _walk(name, children):
            if below not in own:
                descendants.setdefault(below, name)
        for above in _walk(name, parents):
            if above not in own:
                ancestors.setdefault(above, name)
    return descendants, ancestors


def _all(children: dict[str, set[str]]) -> set[str]:
    return {kid for kids in children.values() for kid in kids}


def _walk(start: str, edges: dict[str, set[str]]) -> list[str]:
    seen: list[str] = []
    todo = list(edges.get(start, ()))
    while todo:
        name = todo.pop()
        if name in seen or name == start:
            continue
        seen.append(name)
        todo.extend(edges.get(name, ()))
    return seen
