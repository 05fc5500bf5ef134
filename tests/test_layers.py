"""The headless layers never load Textual or Rich (imports only point down)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "ndrc_oral.exams",
    "ndrc_oral.session",
    "ndrc_oral.transcript",
    "ndrc_oral.formatting",
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
