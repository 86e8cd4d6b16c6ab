"""Built-in system functions, one module per family; importing this registers them all."""

from __future__ import annotations

from . import arrays, dates, misc, numeric, spatial, strings, typecheck
from .registry import REGISTRY, FunctionSpec, lookup

__all__ = ["REGISTRY", "FunctionSpec", "lookup"]

# The imports above register the families; keep the names referenced for linters.
_FAMILIES = (arrays, dates, misc, numeric, spatial, strings, typecheck)
