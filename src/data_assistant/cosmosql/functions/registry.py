"""The table of built-in functions: name, implementation, accepted argument counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Impl = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One built-in function.

    `pure` functions give the same result for the same arguments (so calls on constants
    can be computed once); `static` ones take no arguments and are computed once a query.
    """

    name: str
    impl: Impl
    min_args: int
    max_args: int | None
    pure: bool = True
    static: bool = False

    def arity_text(self) -> str:
        """The accepted argument counts, for error messages."""
        if self.max_args is None:
            return f"at least {self.min_args}"
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args} to {self.max_args}"


REGISTRY: dict[str, FunctionSpec] = {}


def builtin(
    name: str,
    min_args: int,
    max_args: int | None = -1,
    *,
    pure: bool = True,
    static: bool = False,
) -> Callable[[Impl], Impl]:
    """Register the decorated function under `name` (case-insensitive).

    `max_args` defaults to `min_args`; None means any number.
    """

    def register(impl: Impl) -> Impl:
        upper = max_args if max_args is None or max_args >= 0 else min_args
        REGISTRY[name.upper()] = FunctionSpec(name, impl, min_args, upper, pure, static)
        return impl

    return register


def lookup(name: str) -> FunctionSpec | None:
    """The spec of a built-in function, or None."""
    return REGISTRY.get(name.upper())
