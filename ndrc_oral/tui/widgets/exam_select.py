"""The home screen's exam picker: exams grouped by the text they follow, the set in force first.

A ``Select`` whose list shows each rule set's name as a heading that cannot be
chosen (a disabled option), then its exams. The order and the headings come
from ``exams.sources`` (the same as ``ndrc-oral exams``).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Select
from textual.widgets._select import SelectOverlay
from textual.widgets.option_list import Option

from ndrc_oral.exam_room.view import exam_choice_label
from ndrc_oral.exams.models import Exam
from ndrc_oral.exams.sources import grouped, source_line
from ndrc_oral.i18n import language

HEADING = "\0set:"
"""The value of a heading: never an exam id (ids are lower-case letters and digits)."""


def exam_options(exams: list[Exam]) -> list[tuple[str | Text, str]]:
    """Headings and exams, in the picker's order."""
    lang = language()
    options: list[tuple[str | Text, str]] = []
    groups = grouped(exams, lambda e: e.source.model_dump() if e.source is not None else None)
    for i, (source, members) in enumerate(groups):
        options.append((Text(source_line(source, lang), style="bold"), f"{HEADING}{i}"))
        options.extend((exam_choice_label(e), e.id) for e in members)
    return options


def first_exam(exams: list[Exam]) -> str:
    """The exam the picker starts on when nothing was chosen yet: the first of the set in force."""
    return next(value for _, value in exam_options(exams) if not value.startswith(HEADING))


class ExamSelect(Select[str]):
    """A ``Select`` of exams with the rule sets as headings that cannot be chosen."""

    def _setup_options_renderables(self) -> None:
        options = [
            Option(prompt, disabled=isinstance(value, str) and value.startswith(HEADING))
            for prompt, value in self._options
        ]
        overlay = self.query_one(SelectOverlay)
        overlay.clear_options()
        overlay.add_options(options)
