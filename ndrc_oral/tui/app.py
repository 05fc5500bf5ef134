"""The kiosk app: the screens, the clock, the catalog and the store.

The app is given its clock (``SystemClock`` in production, ``FakeClock`` in
tests), the catalog and the store; it never reads time itself. Screens are
imported when first needed, so that the first screen appears fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.geometry import Size
from textual.timer import Timer

from ndrc_oral.alerts.alarm import Alarm
from ndrc_oral.alerts.sound import SoundPlayer
from ndrc_oral.display.publisher import BEAT_S, Publisher
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.defaults import HomeDefaults
from ndrc_oral.exam_room.epreuves import OpenEpreuve
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.interrupted import group_mates
from ndrc_oral.exam_room.requests import (
    SessionRequest,
    check_requests,
    create_sessions,
    place_requests,
    record_nv,
)
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock, SystemClock
from ndrc_oral.session.identity import Member
from ndrc_oral.settings import Settings, settings_path
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LiveSession, resume_session
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ConfirmDialog, ReasonDialog
from ndrc_oral.tui.no_controls import NoControlCharacters
from ndrc_oral.tui.screens.too_small import TooSmallScreen
from ndrc_oral.tui.terminal import read_alt_digits
from ndrc_oral.tui.themed import FREEZE_AFTER_S, ThemedApp, freeze_heap

if TYPE_CHECKING:
    from textual.command import Provider

    from ndrc_oral.display.channel import Channel
    from ndrc_oral.exam_room.day import DayRoom
    from ndrc_oral.tui.display_app import DisplayApp
    from ndrc_oral.tui.screens.run import RunScreen

MIN_WIDTH = 80
MIN_HEIGHT = 24

_FKEY = re.compile(r"f\d{1,2}")


def screen_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens."""
    from ndrc_oral.tui.commands import ScreenCommands

    return ScreenCommands


class KioskApp(ThemedApp):
    """ndrc-oral's terminal kiosk."""

    BINDINGS = bindings.APP
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {screen_commands}
    """Only the current screen's actions, by their footer's names (no Textual system commands)."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        store: Store,
        clock: Clock,
        session: LiveSession | None = None,
        sessions: Sequence[LiveSession] = (),
        defaults: HomeDefaults | None = None,
        keymap: dict[str, str] | None = None,
        cursor_blink: bool = True,
        review: bool = False,
        notices: Sequence[str] = (),
        settings: Settings | None = None,
        display: Publisher | None = None,
        sound: SoundPlayer | None = None,
        alarm_thread: bool | None = None,
        web_url: str | None = None,
    ) -> None:
        super().__init__(settings)
        self.candidate_display = display or Publisher(None, clock)
        """The candidate's display: the records of the open sessions (``ndrc-oral display``)."""
        self._beat_timer: Timer | None = None
        self.screen_keeps_beat = False
        """A screen's readings keep every record fresh: the app's beat sleeps (``screen_beats``)."""
        self.sound = sound or SoundPlayer(None)
        """The chime's player (none found: the bell instead, said once)."""
        self._looked_for_sound = sound is not None
        self.alarm = Alarm(clock)
        """Plays each alert at its moment, from a thread of its own."""
        self._alarm_thread = (
            isinstance(clock, SystemClock) if alarm_thread is None else alarm_thread
        )
        self._said_no_sound = False
        self._web_url = web_url
        """The candidate's web page, when the kiosk serves it (said at start)."""
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.defaults = defaults or HomeDefaults()
        self.cursor_blink = cursor_blink
        """Off in snapshot tests, so that a screenshot never depends on the blink phase."""
        self.day: DayRoom | None = None
        """The commission's day open (``open_day``): its roster and those preparing."""
        self._initial = [session] if session is not None else list(sessions)
        """The sessions to open at once (``ndrc-oral run``): several for an E5 group."""
        self._review_first = review
        self._notices = list(notices)
        """Warnings found before the app started (a data directory open to others)."""
        self._too_small: TooSmallScreen | None = None
        self._no_controls = NoControlCharacters()
        self._first_screen = False
        """Whether ``on_mount`` has shown the first screen (a Resize comes before it)."""
        self.title = "ndrc-oral"
        read_alt_digits()  # alt+1..4 rate from the note input, in tmux and Linux terminals too
        if keymap:  # over the settings' ``[keys]``
            self.set_keymap({**self.settings.keys.root, **keymap})

    # --- screens ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self._alarm_thread:
            self.alarm.start()
        # The candidate's display hears from the kiosk every second, between phases too.
        self._beat_timer = self.set_interval(BEAT_S, self.candidate_display.beat)
        # Straight to the session when there is one: the home screen is made when needed.
        if self._initial:
            self.open_run(self._initial)
            self._initial = []
        elif self._review_first:  # ``ndrc-oral review``: leaving the review quits
            self.open_review()
        else:
            from ndrc_oral.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=20)
        self._first_screen = True
        if self._web_url:
            self.notify(t("web.serving", url=self._web_url), timeout=30)
        self._check_size(self.size)
        self.set_timer(FREEZE_AFTER_S, freeze_heap)

    def open_run(
        self, lives: Sequence[LiveSession], current: int = 0, *, day: DayRoom | None = None
    ) -> RunScreen | None:
        """Show the run screen of these sessions (the first one current, unless told).

        An untimed situation (E4 CCF A) has no timer: its form opens instead.
        """
        from ndrc_oral.tui.screens.run import RunScreen

        if len(lives) == 1 and not lives[0].session.run.timed:
            from ndrc_oral.tui.screens.result import ResultScreen

            self.push_screen(ResultScreen(lives[0]))
            return None
        screen = RunScreen(lives, current, day=day)
        self.push_screen(screen)
        return screen

    # --- the commission's day ----------------------------------------------------------------

    def open_day(self) -> None:
        """The day's screen: the day open, else the latest saved one (its sessions resumed
        after a crash: the candidate examined on the run screen, those preparing beside),
        else the question of the roster's file."""
        from ndrc_oral.exam_room.day import DayRoom
        from ndrc_oral.transcript.day_log import open_day

        if self.day is None:
            if not self.store.day_paths():
                self.ask_roster()
                return
            try:
                log = open_day(self.store, None, self.clock)
            except NdrcError as exc:
                self.notify(str(exc), severity="error", timeout=15)
                return
            self.day = DayRoom(log, self.store, self.catalog, self.clock, self._members())
            examined, problems = self.day.resume()
            for problem in problems:
                self.notify(problem, severity="error", timeout=15)
            self._push_day()
            if examined:
                self.open_run([*examined, *self.day.preparing.values()], day=self.day)
                self.notify(t("tui.day.resumed"), timeout=12)
            return
        self._push_day()

    def _push_day(self) -> None:
        from ndrc_oral.tui.screens.day import DayScreen

        assert self.day is not None
        self.push_screen(DayScreen(self.day))

    def _members(self) -> tuple[Member, ...]:
        return self.defaults.identity.members

    def ask_roster(self) -> None:
        """Ask for the roster's file and import it as a new day."""

        from ndrc_oral.tui.screens.day import DayScreen

        def imported(path: str) -> str | None:
            # A bad roster is said under the field, which keeps the path to correct.
            return self.import_day(Path(path).expanduser())

        def answered(path: str | None) -> None:
            if path is None:
                return
            while isinstance(self.screen, DayScreen):  # the day replaced was beneath
                self.pop_screen()
            self.open_day()

        question = t("tui.day.import_question")
        empty = t("tui.day.no_file")
        self.push_screen(ReasonDialog(question, "", empty=empty, check=imported), answered)

    def import_day(self, path: Path) -> str | None:
        """A new day from the roster at ``path`` (the one open is closed); the problem, if any.

        Not while a candidate of the day open prepares, waits or is examined: closing
        the day would leave their sessions interrupted, and the day out of reach.
        """
        from ndrc_oral.exam_room.day import open_room
        from ndrc_oral.exam_room.roster import read_roster
        from ndrc_oral.session.day import LIVE_STATES

        if self.day is not None:
            busy = self.day.state.in_state(*LIVE_STATES)
            if busy:
                return t("tui.day.import_busy", name=busy[0].name)
        try:
            rows = read_roster(path, self.catalog.ids())
            room = open_room(self.store, self.catalog, self.clock, path.name, rows)
        except NdrcError as exc:
            return str(exc)
        room.members = self._members()
        if self.day is not None:
            self.day.close()
        self.day = room
        self.notify(t("day.cli.imported", n=len(rows), file=path.name, id=room.log.day_id))
        return None

    def open_day_run(self, live: LiveSession) -> None:
        """The candidate called in from the day, with those preparing beside them."""
        assert self.day is not None
        self.open_run([live, *self.day.preparing.values()], day=self.day)

    def start_session(
        self,
        request: SessionRequest | Sequence[SessionRequest],
        *,
        known: Sequence[OpenEpreuve] | None = None,
    ) -> list[str]:
        """Create the sessions the home screen asks for (one per candidate) and open them.

        A CCF exam's session is the candidate's next situation (``known``: the open
        épreuves the home screen read). Returns the problems, if any (then nothing
        is opened).
        """
        requests = [request] if isinstance(request, SessionRequest) else list(request)
        checked = check_requests(self.catalog, requests)
        if checked.errors or checked.exam is None:
            return checked.errors
        try:
            requests = place_requests(self.store, checked.exam, self.clock, requests, known)
            lives = create_sessions(self.store, checked.exam, self.clock, requests)
        except NdrcError as exc:
            return [str(exc)]
        self.defaults = HomeDefaults.from_request(requests[0])
        self.open_run(lives)
        return []

    def record_nv(
        self, request: SessionRequest, reason: str, *, known: Sequence[OpenEpreuve] | None = None
    ) -> list[str]:
        """NV for the candidate of ``request``, without a timer; the problems, if any."""
        checked = check_requests(self.catalog, [request])
        if checked.errors or checked.exam is None:
            return checked.errors
        try:
            [placed] = place_requests(self.store, checked.exam, self.clock, [request], known)
            record_nv(self.store, checked.exam, self.clock, placed, reason)
        except NdrcError as exc:
            return [str(exc)]
        self.defaults = HomeDefaults.from_request(request)
        return []

    def resume(self, session_id: str) -> str | None:
        """Reopen an interrupted session, with the other candidates of its group (E5).

        The error message when the chosen session cannot be reopened; a group
        mate that cannot be is said in a notification, the others open.
        """
        try:
            live = resume_session(self.store, session_id, self.clock)
        except NdrcError as exc:
            return str(exc)
        lives = [live]
        for mate in group_mates(self.store, live):
            try:
                lives.append(resume_session(self.store, mate, self.clock))
            except NdrcError as exc:
                self.notify(str(exc), severity="error", timeout=15)
        # Back in the order they were entered; the one chosen is current.
        lives.sort(key=lambda x: (str(x.session.events[0].at), x.session_id))
        screen = self.open_run(lives, current=next(i for i, x in enumerate(lives) if x is live))
        if screen is None:  # an untimed situation: on its form already
            return None
        if live.session.state.finished:
            # Its time was over but the result never saved: straight to the result form.
            self.call_later(screen.action_finish)
        if len(lives) > 1:
            message = t(
                "tui.run.resumed_group",
                n=len(lives),
                key=screen.key_of(bindings.SWITCH),
                resume=screen.key_of(bindings.RESUME),
            )
            self.notify(message, timeout=12)
        return None

    def screen_beats(self, sessions: Collection[str] | None) -> None:
        """A screen reads these sessions at least every ``BEAT_S`` (``None``: no longer).

        Each of its readings rewrites their records when a beat is due
        (``Publisher.show``), so while every open record is among them the app's
        own beat sleeps: no second wake-up each second of a live phase. Any other
        record, or a screen that stops reading so often, wakes it again.
        """
        steady = sessions is not None and self.candidate_display.sessions() <= set(sessions)
        if steady == self.screen_keeps_beat or self._beat_timer is None:
            return
        self.screen_keeps_beat = steady
        if steady:
            self._beat_timer.pause()
        else:
            self._beat_timer.resume()

    def session_done(self, desk: GuardedSession, *, cancelled: bool = False) -> None:
        """A session is over (its result saved, or ``cancelled``): release it; back to the
        other candidates on its run screen if any remain (E5), else home for the next
        candidate."""
        from ndrc_oral.tui.screens.run import RunScreen

        desk.close()
        self.candidate_display.close(desk.session_id)
        run = next(
            (s for s in self.screen_stack if isinstance(s, RunScreen) and desk in s.desks),
            None,
        )
        if run is not None and run.day is not None and not run.preparing(desk):
            self._day_session_done(run, desk, cancelled=cancelled)
            return
        if run is not None and run.remove_desk(desk):
            while self.screen is not run:
                self.pop_screen()
            name = desk.identity.candidate
            key = "tui.run.cancelled" if cancelled else "tui.run.result_saved"
            self.notify(t(key, name=name, n=len(run.seats)), timeout=8)
            return
        self.defaults = HomeDefaults.after(desk.exam.id, desk.identity)
        # Here, not at the top: ``ndrc-oral run`` starts on its session, without it.
        from ndrc_oral.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.prepare_next(self.defaults)
        else:  # the app started on a session (``ndrc-oral run``)
            self.push_screen(HomeScreen())
        if cancelled:
            self.notify(t("tui.cancel.done", name=desk.identity.candidate), timeout=8)

    def _day_session_done(self, run: RunScreen, desk: GuardedSession, *, cancelled: bool) -> None:
        """A candidate of the day is done: the day records it; back to the day's screen
        (those preparing go on there, their sessions stay open in the day)."""
        from ndrc_oral.tui.screens.day import DayScreen

        assert run.day is not None
        run.day.session_closed(desk.session_id)
        while not isinstance(self.screen, DayScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        key = "tui.cancel.done" if cancelled else "tui.day.done"
        self.notify(t(key, name=desk.identity.candidate), timeout=8)

    def say_no_sound_once(self) -> None:
        """No sound player was found although sound is on: say it once, the bell rings instead."""
        if not self._looked_for_sound or self._said_no_sound:
            return  # no player was looked for: the caller plays no sound at all
        if self.settings.alerts.sound and not self.sound.available:
            self._said_no_sound = True
            self.notify(t("alerts.no_player"), severity="warning", timeout=12)

    def data_moved(self, directory: Path) -> None:
        """The data directory failed and a session moved: later sessions go there too."""
        self.store = Store(directory)

    def open_review(self) -> None:
        """The saved sessions (the review screen)."""
        from ndrc_oral.tui.screens.review import ReviewScreen  # its modules load when first used

        self.push_screen(ReviewScreen())

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Whatever a name or a note holds, no control character reaches the terminal.
        return [*super().get_line_filters(), self._no_controls]

    # --- the size of the terminal ---------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        # The terminal's first Resize arrives before ``on_mount``: the message
        # pushed then would end up under the first screen, not over it.
        if self._first_screen:
            self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen(MIN_WIDTH, MIN_HEIGHT, timing=bool(self._open_desks()))
            self.push_screen(self._too_small)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None

    @property
    def too_small(self) -> bool:
        return self._too_small is not None

    # --- quitting ------------------------------------------------------------------------------------

    def _open_desks(self) -> list[GuardedSession]:
        from ndrc_oral.tui.screens.day import DayScreen
        from ndrc_oral.tui.screens.run import RunScreen

        preparing = [
            desk
            for screen in self.screen_stack
            if isinstance(screen, DayScreen)
            for desk in screen.rescued()
            if not desk.state.finished
        ]
        return preparing + [
            desk
            for screen in self.screen_stack
            if isinstance(screen, RunScreen)
            for desk in screen.desks
            if not desk.state.finished
        ]

    def _unsaved_results(self) -> list[GuardedSession]:
        """The sessions whose result form is open and whose result is not saved yet."""
        from ndrc_oral.tui.screens.result import ResultScreen

        return [s.desk for s in self.screen_stack if isinstance(s, ResultScreen) and s.unsaved]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "request_quit" and self.too_small:
            # No question can be read in a tiny window.
            return not self._open_desks() and not self._unsaved_results()
        return True

    def action_request_quit(self) -> None:
        """Quit; during a live session, or with a result not saved yet, ask first (answering
        no keeps everything as typed). Sessions stay resumable."""
        desks = self._open_desks()
        unsaved = self._unsaved_results()
        if not unsaved and all(desk.identity.rehearsal for desk in desks):
            self._quit_now()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._quit_now()

        if unsaved:
            names = ", ".join(desk.identity.candidate for desk in unsaved)
            question = t("tui.quit.confirm_result", name=names)
        elif len(desks) > 1:
            question = t("tui.quit.confirm_many", n=len(desks))
        else:
            question = t("tui.quit.confirm")
        self.push_screen(ConfirmDialog(question, t("tui.quit.yes"), t("tui.dialog.no")), answered)

    def _quit_now(self) -> None:
        self.close_sessions()
        self.exit()

    def close_sessions(self) -> None:
        """Release every open transcript without finishing it (it stays resumable)."""
        for desk in dict.fromkeys([*self._open_desks(), *self._unsaved_results()]):
            desk.close()
        if self.day is not None:
            self.day.close()
        self.candidate_display.close_all()

    def on_unmount(self) -> None:
        self.close_sessions()
        self.alarm.stop()

    def action_command_palette(self) -> None:
        """The current screen's actions by name (``tui.commands``), asked in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=t("tui.palette.placeholder"))
            )

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit a kiosk by accident: say which key does, in the user's language."""
        self.notify(t("tui.quit.hint", key=self.get_key_display(bindings.QUIT)))

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        return display.upper() if _FKEY.fullmatch(display) else display


def check_keys(settings: Settings) -> None:
    """A ``[keys]`` line naming no binding, or no key, stops here: one line, file and key."""
    problem = bindings.keymap_problem(settings.keys.root)
    if problem is not None:
        binding_id, why = problem
        found = repr(settings.keys.root[binding_id])
        raise NdrcError(t(why, path=settings_path(), key=f"keys.{binding_id}", found=found))


def candidate_display(
    channel: Channel,
    clock: Clock,
    *,
    session_id: str | None,
    settings: Settings,
    poll: bool | None,
) -> DisplayApp:
    """``ndrc-oral display``: the candidate's own screen (the command line's one door here too)."""
    from ndrc_oral.tui.display_app import DisplayApp

    return DisplayApp(channel, clock, session_id=session_id, settings=settings, poll=poll)
