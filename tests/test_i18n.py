"""Every string the program shows exists in French, and its English twin takes the same values."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ndrc_oral.i18n import en, fr

PACKAGE = Path(__file__).resolve().parent.parent / "ndrc_oral"
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_code_asks_for_exists_in_french() -> None:
    used = {
        key
        for path in PACKAGE.rglob("*.py")
        if path.parent.name != "i18n"  # its docstring shows t("key") as an example
        for key in KEY_USE.findall(path.read_text("utf-8"))
    }
    assert len(used) > 100  # the scan does find the calls
    missing = sorted(used - set(fr.STRINGS))
    assert not missing, f"keys used but not in fr.py: {missing}"


def test_english_has_no_key_french_lacks() -> None:
    assert not sorted(set(en.STRINGS) - set(fr.STRINGS))


def test_english_takes_the_same_values_as_french() -> None:
    # A placeholder in one language only would raise KeyError, or lose a value, at run time.
    different = {
        key: (sorted(_fields(fr.STRINGS[key])), sorted(_fields(text)))
        for key, text in en.STRINGS.items()
        if _fields(fr.STRINGS[key]) != _fields(text)
    }
    assert not different
