"""Rule sets side by side: exams grouped by the official text they follow. No pydantic here.

A definition's ``source`` (``{text = {fr, en}, first_session, in_force}``)
names its set. Lists show the sets in force first, the latest
``first_session`` leading, then the others, latest first; definitions that
state no source (read as the 2018 référentiel) come last. The command line
works on plain dicts and the kiosk on models: both give the source as a
mapping (``Exam.source.model_dump()``), so they order exams the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

Source = Mapping[str, Any] | None
"""A ``source`` as plain data, or ``None`` when the definition states none."""


def set_key(source: Source) -> tuple[str, int] | None:
    """What tells two sets apart: the text (French) and the first session."""
    if not source:
        return None
    return (str(source["text"]["fr"]), int(source["first_session"]))


def order_key(source: Source) -> tuple[int, int, str]:
    """Sort key of a set: in force first, then the latest first session, then the text."""
    if not source:
        return (2, 0, "")
    return (0 if source["in_force"] else 1, -int(source["first_session"]), source["text"]["fr"])


def grouped(items: Sequence[T], source_of: Callable[[T], Source]) -> list[tuple[Source, list[T]]]:
    """``items`` by set, sets in order (see ``order_key``), each keeping the items' order."""
    groups: dict[tuple[str, int] | None, tuple[Source, list[T]]] = {}
    for item in items:
        source = source_of(item)
        groups.setdefault(set_key(source), (source, []))[1].append(item)
    return sorted(groups.values(), key=lambda group: order_key(group[0]))


def source_text(source: Source, lang: str) -> str:
    """The text's name in ``lang`` (French when there is no English); "" without a source."""
    if not source:
        return ""
    text = source["text"]
    return str((text.get("en") if lang == "en" else None) or text["fr"])


def source_line(source: Source, lang: str) -> str:
    """``Circulaire … session 2025 · depuis la session 2025 · en vigueur``, in ``lang``.

    A definition without a source reads as the 2018 référentiel (models.py's migration rule).
    """
    from ndrc_oral.i18n import tr

    if not source:
        return tr(lang, "source.legacy")
    state = tr(lang, "source.in_force" if source["in_force"] else "source.not_in_force")
    since = tr(lang, "source.since", session=source["first_session"])
    return f"{source_text(source, lang)} · {since} · {state}"
