"""Exam definitions: the pydantic models and the TOML loader.

The names below are loaded on first use (PEP 562), so that importing a light
module of this package (``ndrc_oral.exams.listing`` for ``ndrc-oral exams``)
does not pay for pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ndrc_oral.exams.loader import (
        Catalog,
        ConfigError,
        check_files,
        load_catalog,
        load_exam_file,
        shipped_config_dir,
    )
    from ndrc_oral.exams.models import (
        DEFAULT_SCALE,
        Competence,
        Criterion,
        Exam,
        Label,
        Level,
        Phase,
        Speaker,
    )

_WHERE = {
    "Catalog": "loader",
    "ConfigError": "loader",
    "check_files": "loader",
    "load_catalog": "loader",
    "load_exam_file": "loader",
    "shipped_config_dir": "loader",
    "DEFAULT_SCALE": "models",
    "Competence": "models",
    "Criterion": "models",
    "Exam": "models",
    "Label": "models",
    "Level": "models",
    "Phase": "models",
    "Speaker": "models",
}

__all__ = [
    "DEFAULT_SCALE",
    "Catalog",
    "Competence",
    "ConfigError",
    "Criterion",
    "Exam",
    "Label",
    "Level",
    "Phase",
    "Speaker",
    "check_files",
    "load_catalog",
    "load_exam_file",
    "shipped_config_dir",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"ndrc_oral.exams.{module}"), name)
