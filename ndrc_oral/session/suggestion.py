"""The mark range a grid's ratings suggest: a hint for the commission, never the mark. Pure.

The result form shows it; the harmonisation table (``transcript.stats``) sets
it beside the mark given, from the summaries that record it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A mark range derived from the ratings: a hint for the commission, never the mark."""

    low: float
    high: float
    rated: int
    total: int


def suggest_mark(
    ratings: Mapping[str, str], levels: Sequence[str], criteria: Sequence[str]
) -> Suggestion | None:
    """Average the bands of the rated criteria (4 levels: TI 0–5, I 5–10, S 10–15, TS 15–20).

    A scale of n levels cuts 0–20 into n equal bands. ``None`` when nothing is rated.
    """
    n = len(levels)
    bands = [levels.index(ratings[c]) for c in criteria if ratings.get(c) in levels]
    if not bands or n == 0:
        return None
    low = sum(20 * b / n for b in bands) / len(bands)
    high = sum(20 * (b + 1) / n for b in bands) / len(bands)
    return Suggestion(_half(low), _half(high), len(bands), len(criteria))


def _half(x: float) -> float:
    return math.floor(x * 2 + 0.5) / 2
