"""Package attributes imported on first use (PEP 562), so that importing a package is free.

``ndrc_oral.session`` and ``ndrc_oral.transcript`` re-export their main
names; importing any of their modules runs the package's ``__init__`` first,
and eager re-exports made ``session.events`` (a few dataclasses) cost the
whole engine and pydantic with it. ``logs list`` reads a cached listing and
never needs either.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def exports(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__``: each name in ``where`` comes from the module it maps to."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:  # a submodule (``from ndrc_oral.transcript import codec``) or a typo
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
