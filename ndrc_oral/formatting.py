"""Every time, date and mark as people read them: the kiosk, the review and the exports.

No Textual, no Rich: the screens and the exports call the same functions, so
the same value reads the same everywhere.

**The one rounding rule.** A moment is floored to the whole second it is in,
as a stopwatch shows it: a note taken 10.6 s into a phase is at ``+00:10``
live, in the review and in every export. So every *measured* span (time
used, note offsets, overtime, pauses, downtime) is floored. Time *left* is
the allowance minus that floored moment, which is the seconds still to go
rounded up: a 10-minute countdown shows ``10:00`` during its first second
and ``00:01`` during its last, and a warning threshold turns the colour just
as its value shows. An allowance (planned time, time carried to the next
phase, an extension) is time left when it starts, so it reads the same way.
An overtime under one whole second is no overtime (nothing is shown).

Times below an hour read ``mm:ss``, from an hour ``h:mm:ss``. Marks read
``14,5`` in French and ``14.5`` in English. Functions that take ``lang`` use
the interface's language when it is ``None`` (an export passes its own).
"""

from __future__ import annotations

import math
from datetime import datetime

from ndrc_oral.i18n import language, tr

_NOISE = 1e-9
"""Float noise (599.9999999 for 600) must not move a value across a second."""


# --- whole seconds -------------------------------------------------------------------


def whole_seconds(seconds: float) -> int:
    """The whole seconds of a measured span: floored (10.6 s is 10)."""
    return math.floor(seconds + _NOISE)


def seconds_left(seconds: float) -> int:
    """The whole seconds of a time left: rounded up (0.4 s still to go is 1)."""
    return math.ceil(seconds - _NOISE)


def hms(seconds: int) -> str:
    """``mm:ss``, or ``h:mm:ss`` from an hour; whole seconds, ``-`` before a negative one."""
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


# --- durations -----------------------------------------------------------------------


def elapsed(seconds: float) -> str:
    """A measured span (time used, a pause, downtime): ``08:20``, floored."""
    return hms(max(0, whole_seconds(seconds)))


def left(seconds: float) -> str:
    """Time left or allowed (planned, carried over, an extension): ``02:31``, rounded up."""
    return hms(max(0, seconds_left(seconds)))


def offset(seconds: float) -> str:
    """A moment counted from the start of its phase (a note's stamp): ``+00:10``."""
    return "+" + elapsed(seconds)


def shows_overtime(seconds: float) -> bool:
    """Whether an overtime is worth showing: at least one whole second."""
    return whole_seconds(seconds) >= 1


def overtime(seconds: float) -> str:
    """Time past the planned end: ``+01:05``; '' under one whole second."""
    return "+" + elapsed(seconds) if shows_overtime(seconds) else ""


def countdown(remaining: float) -> str:
    """A timer: the time left (``09:59``), then the time past the end (``+00:00``, ``+01:05``)."""
    if remaining > 0:
        return left(remaining)
    return "+" + elapsed(-remaining)


def minutes_words(seconds: float, lang: str | None = None) -> str:
    """A definition's length in words: ``15 min``, ``1 h 05``, ``7 min 30 s``."""
    lang = lang or language()
    total = seconds_left(seconds)
    minutes, secs = divmod(total, 60)
    if minutes >= 60:
        text = tr(lang, "duration.hours", h=minutes // 60, m=f"{minutes % 60:02d}")
    else:
        text = tr(lang, "duration.minutes", m=minutes)
    return tr(lang, "duration.and_seconds", d=text, s=f"{secs:02d}") if secs else text


# --- clock times and dates (from an event's ``at`` label) -------------------------------


def parse_wall(at: str) -> datetime | None:
    """The wall time of an ``at`` label (ISO 8601); ``None`` when it is not one."""
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        return None


def _wall_format(at: str, pattern: str) -> str:
    """``at`` (ISO 8601, the room's local time as recorded) in ``pattern``; ``at`` itself if not ISO."""
    when = parse_wall(at)
    return when.strftime(pattern) if when is not None else at


def clock_time(at: str) -> str:
    """``08:05:12``: the wall time of an event."""
    return _wall_format(at, "%H:%M:%S")


def day_and_time(at: str) -> str:
    """``2026-06-02 08:05``: when a session started, as the lists sort it."""
    return _wall_format(at, "%Y-%m-%d %H:%M")


def day_month_time(at: str) -> str:
    """``02/06 08:05``: a short date, where the year goes without saying."""
    return _wall_format(at, "%d/%m %H:%M")


def date(at: str, lang: str | None = None) -> str:
    """``02/06/2026`` in French, ``2026-06-02`` in English: the date on a signed sheet."""
    return _wall_format(at, tr(lang or language(), "logs.date_format"))


# --- marks ---------------------------------------------------------------------------


def mark(value: float, lang: str | None = None) -> str:
    """``14,5`` in French, ``14.5`` in English; ``14`` for a whole mark (no useless ``.0``)."""
    number = f"{value:g}"
    return number.replace(".", ",") if (lang or language()) == "fr" else number


def mark_out_of(value: float, lang: str | None = None) -> str:
    """``14,5 / 20`` in French, ``14.5 / 20`` in English."""
    lang = lang or language()
    return tr(lang, "logs.mark", mark=mark(value, lang))
