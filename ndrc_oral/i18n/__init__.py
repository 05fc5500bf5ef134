"""Every user-visible string, one module per language: French first, English second.

``t("key", name=...)`` formats the string of the current language. A key
missing in English falls back to French; a key missing everywhere is a bug
that the tests catch (``tests/test_i18n.py``).
"""

from __future__ import annotations

from ndrc_oral.i18n import en, fr

LANGUAGES: dict[str, dict[str, str]] = {"fr": fr.STRINGS, "en": en.STRINGS}
_current = "fr"


def set_language(lang: str) -> None:
    """Choose the language of every later ``t`` call ("fr" or "en")."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def language() -> str:
    """The current language code."""
    return _current


def t(key: str, /, **values: object) -> str:
    """The string ``key`` in the current language, formatted with ``values``."""
    text = LANGUAGES[_current].get(key) or fr.STRINGS[key]
    return text.format(**values) if values else text


def tr(lang: str, key: str, /, **values: object) -> str:
    """The string ``key`` in ``lang`` (French when missing), formatted with ``values``.

    For what has its own language (an export), not the interface's.
    """
    text = LANGUAGES.get(lang, fr.STRINGS).get(key) or fr.STRINGS[key]
    return text.format(**values) if values else text
