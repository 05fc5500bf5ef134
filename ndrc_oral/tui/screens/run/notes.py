"""The note box and the grid of the run screen: what a note is tied to, ratings, the focus.

A note goes to the highlighted criterion or is general (F7); its box says
which, and whose note it is when several candidates sit. Typing on the grid
goes to the note; a half-typed note stays with its candidate when the examiner
switches to another one, and so does the focus (note or grid).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

from ndrc_oral.i18n import language, t
from ndrc_oral.session.engine import MAX_NOTE
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.notes import NoteInput

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run.screen import RunScreen


class NoteAndGrid:
    """The current candidate's note box and grid."""

    def __init__(self, screen: RunScreen) -> None:
        self._screen = screen
        self.general = False
        """The next notes are tied to no criterion (F7 switches)."""
        self._grid_had_focus = False

    def note_input(self) -> NoteInput:
        return self._screen.query_one("#note-input", NoteInput)

    # --- notes ---------------------------------------------------------------------------------

    def set_general(self, general: bool) -> None:
        self.general = general
        self.update_title()
        self._screen.refresh_bindings()

    def save(self, text: str) -> None:
        """Save the note typed (for the candidate it was typed for); the box empties once saved."""
        screen = self._screen
        text = text.strip()
        if not text:
            return
        if len(text) > MAX_NOTE:
            screen.notify(t("tui.notes.too_long", max=MAX_NOTE), severity="error")
            return
        criterion = None if self.general else screen.panes.grid().criterion
        desk, notes = screen.desk, screen.panes.notes()
        before = len(desk.state.notes)
        if desk.note(text, criterion):
            self.note_input().value = ""
            notes.add_notes(desk.state.notes[before:])

    def update_title(self) -> None:
        screen = self._screen
        box = screen.query_one("#note-box", Vertical)
        key = screen.key_of(bindings.NOTE_CRITERION if self.general else bindings.NOTE_GENERAL)
        if self.general:
            box.border_title = t("tui.notes.mode_general")
            box.set_class(True, "-general")
        else:
            criterion = screen.panes.grid().criterion
            crit = screen.exam.criterion(criterion) if criterion else None
            label = crit.label.get(language()) if crit else "—"
            box.border_title = t("tui.notes.mode_criterion", criterion=label)
            box.set_class(False, "-general")
        box.border_subtitle = t("tui.notes.mode_hint", key=key)
        if len(screen.seats) > 1:  # several candidates: the note box says whose note it is
            name = screen.desk.identity.candidate
            box.border_title = t("tui.run.whose", name=name, text=box.border_title)

    def typed_on_grid(self, character: str) -> None:
        note = self.note_input()
        note.focus()
        note.insert_text_at_cursor(character)

    # --- the grid --------------------------------------------------------------------------------

    def rate(self, index: int) -> None:
        """Rate the highlighted criterion with level ``index`` (1 = lowest; 0 clears)."""
        screen = self._screen
        grid = screen.panes.grid()
        criterion = grid.criterion
        if criterion is None:
            screen.notify(t("tui.grid.no_criterion"), severity="warning")
            return
        levels = screen.exam.level_codes()
        if index > len(levels):
            screen.notify(t("tui.grid.no_level", n=index, max=len(levels)), severity="warning")
            return
        level = levels[index - 1] if index else None
        desk = screen.desk
        if desk.state.ratings.get(criterion) == level:
            return
        if desk.rate(criterion, level):
            grid.show_level(criterion, desk.state.ratings.get(criterion))

    def grid_move(self, step: int) -> None:
        self._screen.panes.grid().move(step)

    # --- switching candidates ----------------------------------------------------------------------

    def leave(self) -> None:
        """Before another candidate becomes current: keep this one's draft note and focus."""
        screen = self._screen
        self._grid_had_focus = screen.focused is not None and screen.focused is screen.panes.grid()
        screen.seats.seat.draft = self.note_input().value

    def arrive(self, *, keep_focus: bool = True) -> None:
        """The new current candidate's draft note, and the focus where it was (or the note)."""
        screen = self._screen
        note = self.note_input()
        note.value = screen.seats.seat.draft
        note.cursor_position = len(note.value)
        self.update_title()
        grid = keep_focus and self._grid_had_focus
        (screen.panes.grid() if grid else note).focus()
