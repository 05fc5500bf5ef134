"""How the kiosk's modules reach each other: the app typed, no string import, no god screen."""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "ndrc_oral" / "tui"


def _trees() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(TUI.rglob("*.py"))]


def _is_any(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Name) and node.id == "Any"


def test_no_screen_reaches_the_app_through_any() -> None:
    found = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            untyped_app = (
                isinstance(node, ast.AnnAssign)
                and _is_any(node.annotation)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app"
            )
            loose_kiosk = isinstance(node, ast.FunctionDef) and (
                node.name == "kiosk" and _is_any(node.returns)
            )
            if untyped_app or loose_kiosk:
                found.append(f"{path.relative_to(TUI)}:{getattr(node, 'lineno', 0)}")
    assert found == []


def test_no_module_of_the_kiosk_is_imported_by_its_name_in_a_string() -> None:
    users = [
        str(path.relative_to(TUI))
        for path, tree in _trees()
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Import | ast.ImportFrom)
            and any(a.name.startswith("importlib") for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("importlib"))
    ]
    assert users == []


def test_every_binding_is_declared_in_the_bindings_module() -> None:
    declaring = sorted(
        str(path.relative_to(TUI))
        for path, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Binding"
    )
    assert set(declaring) == {"bindings.py"}
