"""argparse's own words ("usage", "options", "invalid choice"...) in the user's language.

argparse looks every message up through ``gettext`` when it uses it
(``argparse._`` and ``argparse.ngettext``, module globals read at call time).
``install()`` puts a lookup in their place that reads our i18n tables: each
message argparse can show a user has a key here (``MESSAGES``), and its text,
per language, is in ``i18n/fr.py`` and ``i18n/en.py`` like every other string.
A message without a key (a programmer's error, never a user's) stays as
argparse wrote it.
"""

from __future__ import annotations

import argparse

from ndrc_oral.i18n import t

MESSAGES: dict[str, str] = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positionals",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "subcommands": "argparse.subcommands",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed",
    "ignored explicit argument %r": "argparse.ignored",
    "unexpected option string: %s": "argparse.unexpected",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
    "can't open '%(filename)s': %(error)s": "argparse.cannot_open",
}
"""argparse's message (its ``gettext`` msgid) -> our i18n key."""

PLURALS: dict[str, tuple[str, str]] = {
    "expected %s argument": ("argparse.expected_n.one", "argparse.expected_n.many"),
}
"""argparse's singular msgid -> our keys for one and for several."""


def gettext(message: str) -> str:
    """argparse's message in the current language (as written when it has no key)."""
    key = MESSAGES.get(message)
    return t(key) if key is not None else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of an argparse message, in the current language."""
    keys = PLURALS.get(singular)
    if keys is None:
        return singular if n == 1 else plural
    return t(keys[0] if n == 1 else keys[1])


def install() -> None:
    """Make argparse speak the current language (it looks its words up at call time)."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
