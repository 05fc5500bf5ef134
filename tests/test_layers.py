"""The headless layers never load Textual or Rich (imports only point down).

Two checks that agree: a probe imports each headless package in a fresh
interpreter and lists what got loaded (the truth at run time), and
import-linter checks the contracts of ``pyproject.toml`` on the source (an
import inside a function or an untaken branch, which the probe cannot see).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = [
    "ndrc_oral.exams",
    "ndrc_oral.session",
    "ndrc_oral.transcript",
    "ndrc_oral.formatting",
    "ndrc_oral.exam_room",
    "ndrc_oral.display",
    "ndrc_oral.alerts",
    "ndrc_oral.settings",
    "ndrc_oral.colours",
]
PROBE = """
import importlib, pkgutil, sys
package = importlib.import_module({module!r})
# Every module of the package, not only what its __init__ happens to import.
for info in pkgutil.iter_modules(getattr(package, "__path__", []), package.__name__ + "."):
    importlib.import_module(info.name)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(leaked[:5]))
"""


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_packages_do_not_load_the_ui(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_the_probe_sees_a_leak() -> None:
    code = PROBE.format(module="ndrc_oral.session").replace("leaked =", "import rich\nleaked =")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.startswith("rich")


# --- the command line ------------------------------------------------------------------------


def _tui_imports(path: Path) -> set[str]:
    """The ``ndrc_oral.tui`` modules a file imports (anywhere in it: functions too)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "ndrc_oral":
            modules.update(f"ndrc_oral.{a.name}" for a in node.names)  # from ndrc_oral import tui
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return {m for m in modules if m == "ndrc_oral.tui" or m.startswith("ndrc_oral.tui.")}


def test_the_command_line_imports_only_the_module_that_starts_the_app() -> None:
    package = ROOT / "ndrc_oral"
    files = [package / "cli.py", *sorted((package / "commands").glob("*.py"))]
    imported = set().union(*(_tui_imports(f) for f in files))
    assert imported == {"ndrc_oral.tui.app"}


# --- the static contracts ---------------------------------------------------------------------


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", command, "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_contracts_are_kept() -> None:
    result = _lint_imports()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_import_linter_sees_a_broken_contract(tmp_path: Path) -> None:
    # The kiosk does import the exam room: a contract forbidding it must break.
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_package = ndrc_oral\n\n"
        "[importlinter:contract:probe]\nname = probe\ntype = forbidden\n"
        "source_modules = ndrc_oral.tui\nforbidden_modules = ndrc_oral.exam_room\n",
        encoding="utf-8",
    )
    result = _lint_imports(str(config))
    assert result.returncode != 0 and "BROKEN" in result.stdout
