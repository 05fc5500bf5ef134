"""The kiosk app: the screens, the clock, the catalog and the store.

The app is given its clock (``SystemClock`` in production, ``FakeClock`` in
tests), the catalog and the store; it never reads time itself. Screens are
imported when first needed, so that the first screen appears fast.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.geometry import Size

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.defaults import HomeDefaults
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.interrupted import group_mates
from ndrc_oral.exam_room.requests import SessionRequest, check_requests, create_sessions
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LiveSession, resume_session
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ConfirmDialog
from ndrc_oral.tui.no_controls import NoControlCharacters
from ndrc_oral.tui.palette import css_variables
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.too_small import TooSmallScreen
from ndrc_oral.tui.terminal import read_alt_digits

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run import RunScreen

MIN_WIDTH = 80
MIN_HEIGHT = 24

_FKEY = re.compile(r"f\d{1,2}")


FREEZE_AFTER_S = 3.0
"""When the start-up objects are moved out of the collector's way."""


def _freeze_heap() -> None:
    """Move everything alive after start-up out of the garbage collector's generations.

    Otherwise a full collection of the ~80,000 objects Textual and pydantic
    leave behind runs every minute or so, takes 30-40 ms, and delays the timer's
    repaint at the second boundary it lands on (bench_timer_accuracy.py real).
    """
    gc.collect()
    gc.freeze()


class KioskApp(App[None]):
    """ndrc-oral's terminal kiosk."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = bindings.APP

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
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.defaults = defaults or HomeDefaults()
        self.cursor_blink = cursor_blink
        """Off in snapshot tests, so that a screenshot never depends on the blink phase."""
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
        if keymap:
            self.set_keymap(keymap)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and the palette's (``palette.tcss``), for every stylesheet."""
        variables = super().get_css_variables()
        variables = {**variables, **css_variables(variables)}
        self.theme_variables = variables
        return variables

    # --- screens ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Straight to the session when there is one: the home screen is made when needed.
        if self._initial:
            self.open_run(self._initial)
            self._initial = []
        elif self._review_first:  # ``ndrc-oral review``: leaving the review quits
            self.open_review()
        else:
            self.push_screen(HomeScreen())
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=20)
        self._first_screen = True
        self._check_size(self.size)
        self.set_timer(FREEZE_AFTER_S, _freeze_heap)

    def open_run(self, lives: Sequence[LiveSession], current: int = 0) -> RunScreen:
        """Show the run screen of these sessions (the first one current, unless told)."""
        from ndrc_oral.tui.screens.run import RunScreen

        screen = RunScreen(lives, current)
        self.push_screen(screen)
        return screen

    def start_session(self, request: SessionRequest | Sequence[SessionRequest]) -> list[str]:
        """Create the sessions the home screen asks for (one per candidate) and open them.

        Returns the problems, if any (then nothing is opened).
        """
        requests = [request] if isinstance(request, SessionRequest) else list(request)
        checked = check_requests(self.catalog, requests)
        if checked.errors or checked.exam is None:
            return checked.errors
        try:
            lives = create_sessions(self.store, checked.exam, self.clock, requests)
        except NdrcError as exc:
            return [str(exc)]
        self.defaults = HomeDefaults.from_request(requests[0])
        self.open_run(lives)
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

    def session_done(self, desk: GuardedSession) -> None:
        """A session is over: release it; back to the other candidates on its run screen
        if any remain (E5), else home for the next candidate."""
        from ndrc_oral.tui.screens.run import RunScreen

        desk.close()
        run = next(
            (s for s in self.screen_stack if isinstance(s, RunScreen) and desk in s.desks),
            None,
        )
        if run is not None and run.remove_desk(desk):
            while self.screen is not run:
                self.pop_screen()
            name = desk.identity.candidate
            self.notify(t("tui.run.result_saved", name=name, n=len(run.seats)), timeout=8)
            return
        self.defaults = HomeDefaults.after(desk.exam.id, desk.identity)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.prepare_next(self.defaults)
        else:  # the app started on a session (``ndrc-oral run``)
            self.push_screen(HomeScreen())

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
        from ndrc_oral.tui.screens.run import RunScreen

        return [
            desk
            for screen in self.screen_stack
            if isinstance(screen, RunScreen)
            for desk in screen.desks
            if not desk.state.finished
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "request_quit" and self.too_small:
            return not self._open_desks()  # no question can be read in a tiny window
        return True

    def action_request_quit(self) -> None:
        """Quit; during a live session, ask first. Sessions stay resumable."""
        desks = self._open_desks()
        if all(desk.identity.rehearsal for desk in desks):
            self._quit_now()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._quit_now()

        question = (
            t("tui.quit.confirm_many", n=len(desks)) if len(desks) > 1 else t("tui.quit.confirm")
        )
        self.push_screen(ConfirmDialog(question, t("tui.quit.yes"), t("tui.dialog.no")), answered)

    def _quit_now(self) -> None:
        self.close_sessions()
        self.exit()

    def close_sessions(self) -> None:
        """Release every open transcript without finishing it (it stays resumable)."""
        for desk in self._open_desks():
            desk.close()

    def on_unmount(self) -> None:
        self.close_sessions()

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit a kiosk by accident: say which key does, in the user's language."""
        self.notify(t("tui.quit.hint", key=self.get_key_display(bindings.QUIT)))

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        return display.upper() if _FKEY.fullmatch(display) else display
