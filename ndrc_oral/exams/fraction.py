"""The extra time of a candidate with a disability (``1/3``): a fraction, parsed one way.

Apart from the models so that ``session.identity`` reads one without importing
pydantic (a cached ``logs list`` never validates an exam).
"""

from __future__ import annotations

from fractions import Fraction

from ndrc_oral.i18n import t


def parse_fraction(text: str) -> Fraction:
    """``"1/3"``, ``"0.5"`` or ``"1/4"`` as a fraction between 0 and 2 (both excluded for 0)."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"expected a fraction such as 1/3, found {text!r}") from exc
    if not 0 < value <= 2:
        raise ValueError(f"expected a fraction above 0 and at most 2, found {text!r}")
    return value


MAX_EXTRA_TIME = Fraction(1)
"""The most extra time a new session is given: as much again (a tiers-temps is 1/3)."""


def parse_extra_time(text: str) -> Fraction:
    """A new session's extra time: a fraction above 0 and at most ``MAX_EXTRA_TIME``.

    ``ValueError`` with the user's message otherwise. (Sessions already saved are
    read with ``parse_fraction``, which keeps the looser limit they were made with.)
    """
    try:
        value = parse_fraction(text)
    except ValueError:
        value = None
    if value is None or value > MAX_EXTRA_TIME:
        raise ValueError(t("tui.setup.error.extra_time", found=text.strip()))
    return value
