"""The public faces of the package: every name in `__all__` exists, and every public name a
package module holds is either exported or a submodule (httpx's test_exported_members)."""

from __future__ import annotations

import importlib
import types

import pytest

FACES = [
    "data_assistant.auth",
    "data_assistant.cosmosql",
    "data_assistant.evaluation",
    "data_assistant.guard",
    "data_assistant.knowledge",
    "data_assistant.present",
    "data_assistant.settings",
    "data_assistant.sources",
]


@pytest.mark.parametrize("name", FACES)
def test_a_package_exports_exactly_its_public_names(name):
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "__all__ lists a name twice"
    assert sorted(n for n in exported if not hasattr(module, n)) == []
    public = {
        n
        for n, value in vars(module).items()
        if not n.startswith("_")
        and not isinstance(value, types.ModuleType)
        and n not in ("annotations",)
    }
    assert sorted(public - exported) == [], "public names missing from __all__"
