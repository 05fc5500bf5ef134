"""The evaluation grid: competences as headers, their rated rows with the current level.

A row of a 2025 grid covers performance criteria: they are shown under it,
dimmed, as the paper grid prints them in brackets.

Digits rate the highlighted criterion when the grid has the focus (the screen
saves the rating); any other printable key goes to the note input, so an
examiner can start writing without reaching for Tab.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import language
from ndrc_oral.tui import bindings
from ndrc_oral.tui.palette import PAINT_CLASSES, paint

_HEADER = "comp:"

LEVEL_STYLES = ("$level-1 bold", "$level-2 bold", "$level-3 bold", "$level-4 bold")
"""The palette's four level colours, lowest first (a scale of n levels is spread over them)."""


def level_style(levels: list[str], code: str) -> str:
    """A colour per level, from the palette's lowest (``$level-1``) to its highest."""
    if code not in levels:
        return "dim"
    i = levels.index(code)
    if len(levels) <= 1:
        return LEVEL_STYLES[-1]
    return LEVEL_STYLES[round(i * (len(LEVEL_STYLES) - 1) / (len(levels) - 1))]


class GridList(OptionList):
    """One option per criterion (id = criterion id); competence headers are disabled options."""

    BINDINGS = bindings.GRID

    DEFAULT_CSS = """
    GridList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option-disabled {
            color: $accent;
            text-style: bold;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)

    class TypedText(Message):
        """A printable key pressed on the grid: it belongs to the note."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def __init__(self, exam: Exam, ratings: Mapping[str, str], *, id: str | None = None) -> None:
        self.exam = exam
        self._ratings = dict(ratings)
        self._colours = False
        """Whether the stylesheet's colours are known (once mounted)."""
        self.levels = exam.level_codes()
        self._width = max(len(code) for code in self.levels)
        lang = language()
        options: list[Option] = []
        for comp in exam.competences:
            if comp.label is not None:  # a grid without groups (EF2) has no headers
                header = Text(comp.label.get(lang))
                options.append(Option(header, id=_HEADER + comp.id, disabled=True))
            for crit in comp.criteria:
                options.append(Option(self._prompt(crit.id, ratings.get(crit.id)), id=crit.id))
        super().__init__(*options, id=id)

    def _prompt(self, criterion_id: str, level: str | None) -> Text:
        crit = self.exam.criterion(criterion_id)
        lang = language()
        label = crit.label.get(lang) if crit else criterion_id
        badge = (level or "·").center(self._width + 2)
        # The colours come from the stylesheet, known once mounted: ``on_mount`` paints them.
        style = level_style(self.levels, level or "") if self._colours else ""
        text = Text.assemble((badge, style), " ", label)
        if crit is not None and crit.covers:
            covers = ", ".join(c.get(lang) for c in crit.covers)
            text.append(f"\n{' ' * (self._width + 3)}({covers})", style="dim")
        return paint(self, text)

    def on_mount(self) -> None:
        self._colours = True
        for comp in self.exam.competences:
            for crit in comp.criteria:
                self.replace_option_prompt(
                    crit.id, self._prompt(crit.id, self._ratings.get(crit.id))
                )
        self.action_first()

    def show_level(self, criterion_id: str, level: str | None) -> None:
        """Paint a criterion's level (called once the rating is saved)."""
        if level is None:
            self._ratings.pop(criterion_id, None)
        else:
            self._ratings[criterion_id] = level
        self.replace_option_prompt(criterion_id, self._prompt(criterion_id, level))

    @property
    def criterion(self) -> str | None:
        """The highlighted criterion's id."""
        option = self.highlighted_option
        if option is None or option.id is None or option.id.startswith(_HEADER):
            return None
        return option.id

    def select_criterion(self, criterion_id: str) -> None:
        self.highlighted = self.get_option_index(criterion_id)

    def move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) criterion, headers skipped."""
        if step > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()

    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        # Every character but the digits (they rate) joins the note, a space too: the
        # grid has no use for one, and a space typed while Tab was on its way here (a
        # fast typist, a loaded machine) was lost ("Très bon" read "Trèsbon").
        if event.is_printable and character is not None and not character.isdigit():
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedText(character))
