"""The candidates on the run screen: their sessions in screen order, the current one, their panes.

``Seats`` is the list and the index (no Textual); ``Panes`` builds, shows and
removes each candidate's grid and notes on the screen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from textual.containers import Horizontal

from ndrc_oral.exam_room.guard import GuardedSession, SaveGuard
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session.state import Snapshot
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NotesLog

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run.screen import RunScreen


@dataclass(eq=False)
class Seat:
    """One candidate on the screen: their session, the pane of their grid and notes."""

    desk: GuardedSession
    pane: str
    """The id of the pane holding their grid and notes (also their key in the clock loop)."""
    draft: str = ""
    """The note being typed when the examiner switched to another candidate."""
    snap: Snapshot | None = field(default=None, repr=False)
    """The last snapshot read (at each repaint)."""


class Seats(Sequence[Seat]):
    """The candidates in the order they were entered, and the one the keys act on."""

    def __init__(self, guard: SaveGuard, lives: Sequence[LiveSession], current: int) -> None:
        if not lives:
            raise ValueError("a run screen needs a session")
        self._guard = guard
        self._made = 0
        self._seats = [self._seat(live) for live in lives]
        self.current = current

    def _seat(self, live: LiveSession) -> Seat:
        self._made += 1
        return Seat(self._guard.open(live), pane=f"run-pane-{self._made}")

    @overload
    def __getitem__(self, index: int) -> Seat: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Seat]: ...
    def __getitem__(self, index: int | slice) -> Seat | Sequence[Seat]:
        return self._seats[index]

    def __len__(self) -> int:
        return len(self._seats)

    def __iter__(self) -> Iterator[Seat]:
        return iter(self._seats)

    @property
    def seat(self) -> Seat:
        return self._seats[self.current]

    @property
    def desks(self) -> list[GuardedSession]:
        return [seat.desk for seat in self._seats]

    def add(self, live: LiveSession) -> Seat:
        """One more candidate, last in order (not yet current)."""
        seat = self._seat(live)
        self._seats.append(seat)
        return seat

    def remove(self, desk: GuardedSession) -> Seat | None:
        """Take ``desk``'s candidate off (never the last one); the next in order becomes current."""
        index = next((i for i, seat in enumerate(self._seats) if seat.desk == desk), None)
        if index is None or len(self._seats) == 1:
            return None
        gone = self._seats.pop(index)
        if index < self.current:
            self.current -= 1
        elif self.current >= len(self._seats):
            self.current = 0
        return gone


class Panes:
    """Each candidate's grid and notes; only the current candidate's is shown."""

    def __init__(self, screen: RunScreen) -> None:
        self._screen = screen

    def build(self, seat: Seat) -> Horizontal:
        desk = seat.desk
        grid = GridList(desk.exam, desk.state.ratings)
        grid.add_class("run-grid")
        grid.border_title = t("tui.grid.title")
        grid.border_subtitle = rating_hint(desk.exam)
        notes = NotesLog(desk.exam)
        notes.add_class("run-notes")
        notes.border_title = t("tui.notes.title")
        pane = Horizontal(grid, notes, id=seat.pane, classes="run-pane")
        pane.display = seat is self._screen.seats.seat
        return pane

    def fill(self, seat: Seat) -> None:
        """The notes already saved, in the candidate's pane (at mount, at resume)."""
        state = seat.desk.state
        # A later CCF situation shows the earlier ones' notes first, marked as such.
        self.notes_of(seat).add_notes([*state.earlier_notes, *state.notes])

    async def mount(self, seat: Seat) -> None:
        await self._screen.query_one("#run-lower").mount(self.build(seat))
        self.fill(seat)

    def remove(self, seat: Seat) -> None:
        self._screen.query_one(f"#{seat.pane}").remove()

    def show_current(self) -> None:
        current = self._screen.seats.seat.pane
        for pane in self._screen.query(".run-pane"):
            pane.display = pane.id == current

    def grid(self) -> GridList:
        """The current candidate's grid."""
        return self._screen.query_one(f"#{self._screen.seats.seat.pane} GridList", GridList)

    def notes(self) -> NotesLog:
        """The current candidate's saved notes."""
        return self.notes_of(self._screen.seats.seat)

    def notes_of(self, seat: Seat) -> NotesLog:
        return self._screen.query_one(f"#{seat.pane} NotesLog", NotesLog)


def rating_hint(exam: Exam) -> str:
    """The grid's border: which digits rate, lowest to highest level."""
    levels = exam.level_codes()[: bindings.MAX_LEVEL_KEYS]
    return t("tui.grid.hint", n=len(levels), low=levels[0], high=levels[-1])
