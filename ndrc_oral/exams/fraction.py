"""The extra time of a candidate with a disability (``1/3``): a fraction, parsed one way.

Apart from the models so that ``session.identity`` reads one without importing
pydantic (a cached ``logs list`` never validates an exam).
"""

from __future__ import annotations

from fractions import Fraction


def parse_fraction(text: str) -> Fraction:
    """``"1/3"``, ``"0.5"`` or ``"1/4"`` as a fraction between 0 and 2 (both excluded for 0)."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"expected a fraction such as 1/3, found {text!r}") from exc
    if not 0 < value <= 2:
        raise ValueError(f"expected a fraction above 0 and at most 2, found {text!r}")
    return value
