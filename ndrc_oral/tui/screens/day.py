"""The commission's day: the convoked candidates in order, their state, the plan, the keys.

A thin screen over ``exam_room.day.DayRoom``: each key asks what it needs
(a fiche's number, an NV reason, a new time) and calls the room, which
writes the sessions and the day's file; a refusal is one notification. The
candidates preparing (E4 ponctuel) are sessions of their own, ticked here
through the save guard by the same clock loop as the run screen's: their
countdown repaints when its shown value changes, their end rings, and
nothing runs in between. F2 calls the highlighted candidate (the next one
by default) into the run screen, with those preparing beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from textual import on
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Static

from ndrc_oral import formatting
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.clock_loop import AlertKind, ClockLoop, Reading
from ndrc_oral.exam_room.day import DayRoom
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.i18n import t
from ndrc_oral.session.day import PENDING_STATES, Slot, SlotState
from ndrc_oral.session.events import Kind
from ndrc_oral.session.state import Status
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ChoiceDialog, ReasonDialog
from ndrc_oral.tui.screens.guarded import GuardedScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.footer import KioskFooter

COLUMNS = ("time", "number", "name", "exam", "state", "expected", "countdown")


class DayScreen(GuardedScreen):
    """The day's candidates; the keys act on the highlighted one."""

    BINDINGS = bindings.DAY

    def __init__(self, room: DayRoom) -> None:
        super().__init__()
        self.room = room
        self.loop = ClockLoop()
        self._timer: Timer | None = None
        self._desks: dict[int, GuardedSession] = {}
        self._line = ""
        """The line of those preparing, as shown (only a change is painted)."""

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="day-top", markup=False)
        yield SaveBanner(id="save-banner")
        table: DataTable[str] = DataTable(id="day-table", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS:
            table.add_column(t(f"tui.day.col.{key}"), key=key)
        yield table
        yield Static("", id="day-preparing", markup=False)
        yield Static("", id="day-plan", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.rebuild()
        table = self.query_one("#day-table", DataTable)
        table.focus()
        upcoming = self.room.state.next_up()
        if upcoming is not None:
            table.move_cursor(row=self._row_of(upcoming.number))

    def on_unmount(self) -> None:
        self._stop_timer()

    def on_screen_resume(self) -> None:
        # Back from the run screen: the sessions moved on meanwhile.
        self.rebuild()
        # The candidate just examined is done: F2 calls whoever comes next, as at the
        # start of the day (a candidate the commission chose and who still waits keeps it).
        slot = self._slot()
        upcoming = self.room.state.next_up()
        if slot is not None and slot.state not in PENDING_STATES and upcoming is not None:
            table = self.query_one("#day-table", DataTable)
            table.move_cursor(row=self._row_of(upcoming.number))

    # --- what the screen shows ----------------------------------------------------------

    def rebuild(self) -> None:
        """Every row again (after an operation: states and the plan change together)."""
        self.room.observe()
        table = self.query_one("#day-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        self._line = ""
        self._desks = {n: self.guard.open(live) for n, live in self.room.preparing.items()}
        plan = self.room.plan()
        for slot in self.room.state.in_order():
            table.add_row(*self._cells(slot, plan.expected.get(slot.number)), key=str(slot.number))
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        self._top(plan.late_s, plan.ends_at)
        self.refresh_clock()
        line = self._preparing_line()
        self._line = line
        self.query_one("#day-preparing", Static).update(line)

    def _cells(self, slot: Slot, expected: datetime | None) -> list[str]:
        state = t(f"day.state.{slot.state}")
        if slot.state is SlotState.DONE:
            state = _outcome(slot)
        elif slot.state is SlotState.NV and slot.nv_reason:
            state = f"NV ({t(f'nv.reason.{slot.nv_reason}')})"
        if slot.fiche and slot.state in (SlotState.PREPARING, SlotState.WAITING):
            state += " · " + t("tui.day.fiche", n=slot.fiche)
        return [
            slot.convoked().strftime("%H:%M"),
            slot.convocation.number,
            slot.name,
            slot.exam_id + (" ⅓" if slot.convocation.extra_time else ""),
            state,
            expected.strftime("%H:%M") if expected is not None else "",
            self._prep_cell(slot.number),
        ]

    def _prep_cell(self, number: int) -> str:
        """A preparation's end, in its row (the countdown is on the line below the table)."""
        desk = self._desks.get(number)
        if desk is None:
            return ""
        snap = desk.snapshot()
        if snap.phase_index == 0 and snap.status is Status.RUNNING:
            ends = self.room.clock.wall() + timedelta(seconds=snap.remaining_s)
            return t("tui.day.prep_ends", at=ends.strftime("%H:%M"))
        return self._countdown(number)

    def _countdown(self, number: int) -> str:
        """A preparation's time left (the line of those preparing)."""
        desk = self._desks.get(number)
        if desk is None:
            return ""
        snap = desk.snapshot()
        if snap.phase_index == 0 and snap.status in (Status.RUNNING, Status.PAUSED):
            text = formatting.left(snap.remaining_s)
            return text + (" ⏸" if snap.status is Status.PAUSED else "")
        return t("tui.day.prepared")

    def _preparing_line(self) -> str:
        parts = []
        for number, desk in self._desks.items():
            name = self.room.state.slot(number).name
            if desk.snapshot().phase_index == 0:
                parts.append(t("tui.day.preparing", name=name, time=self._countdown(number)))
            else:  # prepared: no longer "preparing", waiting for the commission
                parts.append(t("tui.day.waiting", name=name))
        return " · ".join(parts)

    def _top(self, late_s: float | None, ends_at: datetime | None) -> None:
        state = self.room.state
        head = t("tui.day.title", source=state.source, n=len(state.slots))
        if late_s is None:
            plan = t("tui.day.plan_none")
        elif late_s > 60:
            plan = t("tui.day.late", time=formatting.elapsed(late_s))
        elif late_s < -60:
            plan = t("tui.day.ahead", time=formatting.elapsed(-late_s))
        else:
            plan = t("tui.day.on_time")
        if ends_at is not None:
            plan += " · " + t("tui.day.ends", at=ends_at.strftime("%H:%M"))
        self.query_one("#day-top", Static).update(head)
        self.query_one("#day-plan", Static).update(plan)

    # --- the clock (those preparing) -----------------------------------------------------

    def refresh_clock(self) -> None:
        self._stop_timer()
        readings = []
        for number, desk in self._desks.items():
            events = desk.tick() or []
            snap = desk.snapshot()
            index = snap.phase_index
            readings.append(
                Reading(
                    number,
                    snap,
                    auto_ended=any(e.kind == Kind.PHASE_ENDED for e in events),
                    warnings_s=tuple(desk.run.phases[index].warnings_s) if index == 0 else (),
                )
            )
        plan = self.loop.step(readings)
        ended = False
        by_key = {str(n): n for n in self._desks}
        if plan.repaint:
            # Once a second: one line, not the table (a table's cell repaints the table).
            line = self._preparing_line()
            if line != self._line:
                self._line = line
                self.query_one("#day-preparing", Static).update(line)
        for alert in plan.alerts:
            over = self._desks.get(by_key[str(alert.key)])
            if over is not None and alert.kind is AlertKind.AUTO_END:
                ended = True
                self.notify(t("tui.day.prep_over", name=over.identity.candidate), timeout=15)
        if plan.alerts:
            self.app.bell()
        for key in plan.beat:
            self._desks[by_key[str(key)]].heartbeat()
        if ended:
            self.call_later(self.rebuild)  # the day records the end; its row changes state
        elif plan.wake_in is not None:
            self._timer = self.set_timer(plan.wake_in, self.refresh_clock)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def rescued(self) -> Sequence[GuardedSession]:
        return list(self._desks.values())

    # --- keys -------------------------------------------------------------------------------

    def _slot(self) -> Slot | None:
        table = self.query_one("#day-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.room.state.slot(int(key)) if key is not None else None

    def _row_of(self, number: int) -> int:
        order = [s.number for s in self.room.state.in_order()]
        return order.index(number) if number in order else 0

    def _do(self, operation: str, *args: object) -> bool:
        """Call the room's ``operation`` on the highlighted slot; a refusal is a notification."""
        slot = self._slot()
        if slot is None:
            return False
        try:
            getattr(self.room, operation)(slot.number, *args)
        except NdrcError as exc:
            self.notify(str(exc), severity="warning", timeout=10)
            return False
        self.rebuild()
        return True

    def action_sign_in(self) -> None:
        self._do("sign_in")

    def action_absent(self) -> None:
        self._do("absent")

    def action_nv(self) -> None:
        slot = self._slot()
        if slot is None:
            return

        def answered(reason: str | None) -> None:
            if reason is not None and self._do("nv", reason):
                self.notify(t("tui.home.nv_saved", name=slot.name), timeout=8)

        question = t("tui.home.nv_question", name=slot.name)
        choices = [(t(f"nv.reason.{code}"), code) for code in NV_REASONS]
        self.app.push_screen(ChoiceDialog(question, choices), answered)

    def action_hand_over(self) -> None:
        slot = self._slot()
        if slot is None:
            return

        def answered(fiche: str | None) -> None:
            if fiche is not None:
                self._do("hand_over", fiche)

        question = t("tui.day.fiche_question", name=slot.name)
        self.app.push_screen(ReasonDialog(question, "", empty=t("tui.day.no_fiche")), answered)

    def action_new_slot(self) -> None:
        slot = self._slot()
        if slot is None:
            return

        day = slot.convoked().date()

        def unreadable(text: str) -> str | None:
            return t("tui.day.bad_time", found=text) if _new_time(text, day) is None else None

        def answered(text: str | None) -> None:
            when = None if text is None else _new_time(text, day)
            if when is not None:
                self._do("new_slot", *when)

        question = t("tui.day.slot_question", name=slot.name)
        empty = t("tui.day.no_time")
        self.app.push_screen(ReasonDialog(question, "", empty=empty, check=unreadable), answered)

    def action_call(self) -> None:
        """Call the highlighted candidate in: the run screen, with those preparing beside."""
        slot = self._slot()
        if slot is None:
            return
        try:
            live = self.room.call(slot.number)
        except NdrcError as exc:
            self.notify(str(exc), severity="warning", timeout=10)
            return
        self._stop_timer()
        self.kiosk.open_day_run(live)

    def action_resume_preparations(self) -> None:
        """After a crash: the preparations paused at the restart go on."""
        for desk in self._desks.values():
            if desk.status is Status.PAUSED:
                desk.resume()
        self.rebuild()

    def action_import_roster(self) -> None:
        self.kiosk.ask_roster()

    def action_back(self) -> None:
        self._stop_timer()
        self.app.pop_screen()

    @on(DataTable.RowSelected, "#day-table")
    def _selected(self) -> None:
        self.action_call()


def _outcome(slot: Slot) -> str:
    if slot.outcome == "mark" and slot.mark is not None:
        return formatting.mark_out_of(slot.mark) + (
            " " + t("day.reserved") if slot.reserved else ""
        )
    return t(f"tui.day.outcome.{slot.outcome}") if slot.outcome else t("day.state.done")


def _new_time(text: str, default_day: date) -> tuple[date, time] | None:
    """``14:30``, ``14h30`` or ``03/06 14:30`` (``03/06/2026 14:30``): the new slot."""
    parts = text.strip().split()
    day = default_day
    try:
        if len(parts) == 2:
            bits = [int(b) for b in parts[0].split("/")]
            day = date(bits[2] if len(bits) == 3 else default_day.year, bits[1], bits[0])
            parts = parts[1:]
        if len(parts) != 1:
            return None
        hours, _, minutes = parts[0].replace("h", ":").partition(":")
        return day, time(int(hours), int(minutes or 0))
    except (ValueError, IndexError):
        return None
