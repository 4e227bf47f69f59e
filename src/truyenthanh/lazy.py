"""Packages whose names are imported on first use (PEP 562).

`audio` and `printing` re-export what their modules define, but the main process must not load
the modules that do the work (numpy, LAME, PyAV, mutagen, reportlab) just to reach a recipe
or a dataclass: a name is imported from its module when it is first asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(
    package: str, where: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's `__getattr__` and `__dir__`: `where` maps each name to the submodule that
    defines it; a name found is kept in `namespace` (the package's globals), so later lookups
    are plain attribute reads."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
