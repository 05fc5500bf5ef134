"""Notes: the input they are typed in, and the list of notes saved.

The list only ever shows notes read back from the session state, i.e. events
the engine has written and fsynced: a note on screen is a note on disk.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ndrc_oral.exams.models import Exam
from ndrc_oral.formatting import clock_time, day_month_time, offset
from ndrc_oral.i18n import language, t
from ndrc_oral.session.epreuve import CarriedNote
from ndrc_oral.session.state import Note
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.fields import Field


class NoteInput(Field):
    """Enter saves the note; Up/Down move the criterion it is tied to.

    Its cursor does not blink: the note input has the focus for the whole
    oral, and a blink repaints it twice a second, more than the timer itself
    (which repaints once a second). A steady cursor halves the kiosk's CPU
    during a phase (measured in ``bench/bench_kiosk_live.py``).
    """

    BINDINGS = bindings.NOTE
    BLINK = False

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        # Never select the text on focus: the next key typed would replace a
        # half-typed note (after Tab from the grid, a letter typed there, a dialog).
        super().__init__(placeholder=placeholder, id=id, compact=True, select_on_focus=False)


def note_head(note: Note | CarriedNote, exam: Exam) -> str:
    """✓, wall time, phase and offset in it, criterion: one line above the note's text.

    A note of an earlier situation (CCF) starts with that situation and its date.
    """
    lang = language()
    parts = [clock_time(note.at)]
    if isinstance(note, CarriedNote):
        parts = [t("logs.md.situation_tag", id=note.situation.upper()), day_month_time(note.at)]
    if note.phase:
        phase = exam.find_phase(note.phase)
        label = phase.label.get(lang) if phase is not None else note.phase
        parts.append(f"{offset(note.offset_s)} {_clip(label, 22)}")
    else:
        parts.append(t("tui.notes.no_phase"))
    crit = exam.criterion(note.criterion) if note.criterion else None
    parts.append(_clip(crit.label.get(lang), 32) if crit else t("tui.notes.general"))
    return ("↩ " if isinstance(note, CarriedNote) else "✓ ") + " · ".join(parts)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class NoteEntry(Vertical):
    """One saved note: its stamp on one line, its text below."""

    DEFAULT_CSS = """
    NoteEntry { height: auto; margin-bottom: 1; }
    NoteEntry > .note-head { color: $text-muted; }
    """

    def __init__(self, note: Note | CarriedNote, exam: Exam) -> None:
        super().__init__(
            Static(note_head(note, exam), classes="note-head", markup=False),
            Static(note.text, classes="note-body", markup=False),
            classes="note",
        )
        self.note = note


class NotesLog(VerticalScroll, can_focus=False):
    """The saved notes, oldest first, scrolled to the latest."""

    DEFAULT_CSS = """
    NotesLog > #notes-empty { color: $text-muted; }
    """

    def __init__(self, exam: Exam, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exam = exam
        self.count = 0

    def on_mount(self) -> None:
        self.mount(Static(t("tui.notes.empty"), id="notes-empty"))

    def add_notes(self, notes: Iterable[Note | CarriedNote]) -> None:
        """Append notes (already saved) at the end."""
        new = [NoteEntry(n, self.exam) for n in notes]
        if not new:
            return
        for empty in self.query("#notes-empty"):
            empty.remove()
        self.count += len(new)
        self.mount_all(new)
        self.call_after_refresh(self.scroll_end, animate=False)
