"""SIGKILL the real kiosk at random moments of scripted sessions; check what survives.

Each *generation* is a child process running the real ``KioskApp`` headless
through Textual's own test driver (``App.run_test``), on a real data
directory, with real fsync, on the system clock moved forward by a growing
offset: the offset added at each restart is the simulated downtime (30 s to
an hour) between the kill and the next start. The child is a fork of the
process that runs the checks (importing Textual and pydantic again would cost
about 0.3 s per kill).

The child opens the home screen and resumes the interrupted session from the
home screen's list (F4, Enter), or creates one from the form when there is
none. Then it works as a commission does, key by key: notes typed and
entered, ratings (alt+digit), criterion changes, phase starts and early ends
(through their dialogs), pauses and resumes, extensions, and, when every
phase is over, the mark and the end of the session. It reports on a pipe
each thing at the moment the screen says it is saved (a spy on the run
screen's "✓ … enregistré" line), and after a resume what the timer shows.

The parent kills the child with SIGKILL at a random moment (sometimes before
the session is even open), then checks every transcript of the directory:

* readable, intact or with a torn last event (never damaged), numbered 0..n-1;
* every thing reported saved is in it, in the order it was reported;
* after a resume: the timer shows the time left at the moment of the kill,
  give or take what the last heartbeat missed (never the downtime), and the
  ``recovered`` event records the downtime.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import select
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.session.state import Status, fold
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.transcript.recorder import exam_of

EXAMS = ("e6-ccf-a", "e4-ponctuel")
"""Two phases each way: the E6 exposé/entretien, and the E4's six phases."""
WORDS = ("bonne accroche", "reformule", "hésite", "chiffres ?", "clair", "objection ok")
GIVEN_BACK_MAX = 1.5
"""Seconds of the candidate's time a kill may give back: the time since the
last heartbeat (written at each repaint, at least one a second, see
``RunScreen._beat``), plus the event loop's lateness on a loaded machine."""
READY_TIMEOUT = 30.0
SAVED_BEFORE_KILL = 2
"""Items a child shows saved before its random moment of death starts (a kill that is
not an early one): what a run of kills saves is then known whatever the machine's speed."""
CHILD_LIFETIME = 60.0
"""A child that is never killed stops by itself (the parent died, or a bug)."""


# --- the child ---------------------------------------------------------------------------


class ShiftedClock:
    """The system clock, ``offset_s`` later: the kiosk restarts after that much downtime."""

    def __init__(self, offset_s: float) -> None:
        self.offset_s = offset_s

    def monotonic(self) -> float:
        return time.monotonic() + self.offset_s

    def wall(self) -> datetime:
        return datetime.now().astimezone() + timedelta(seconds=self.offset_s)


@dataclass(frozen=True)
class ChildPlan:
    root: Path
    catalog: Catalog
    offset_s: float
    seed: int
    generation: int


class Driver:
    """Works the kiosk like a commission, and reports what the screen says is saved."""

    def __init__(self, app: Any, pilot: Any, plan: ChildPlan, fd: int) -> None:
        self.app = app
        self.pilot = pilot
        self.plan = plan
        self.fd = fd
        self.rng = random.Random(plan.seed)
        self.pending: list[Any] | None = None
        """The thing the driver is saving: reported when the screen says it is saved."""
        self.count = 0

    def report(self, kind: str, **data: Any) -> None:
        line = json.dumps({"k": kind, "m": time.monotonic(), **data}, ensure_ascii=False)
        os.write(self.fd, (line + "\n").encode())

    def saved(self, screen: Any) -> None:
        """The run screen just painted "✓ … enregistré": the event is on disk."""
        if self.pending is not None:
            session = screen.desk
            self.report("saved", sid=session.session_id, s=session.now(), item=self.pending)
            self.pending = None

    @property
    def run(self) -> Any:
        from ndrc_oral.tui.screens.run import RunScreen

        screen = self.app.screen
        return screen if isinstance(screen, RunScreen) else None

    def tick(self) -> None:
        """Where the session stands (the last one before the kill dates it)."""
        run = self.run
        if run is not None:
            session = run.desk
            self.report("tick", sid=session.session_id, s=session.now())

    # --- opening a session ---------------------------------------------------------------

    async def open_session(self) -> None:
        from textual.widgets import Input, OptionList, Select

        from ndrc_oral.tui.screens.home import HomeScreen
        from ndrc_oral.tui.widgets.timer import TimerPanel

        home = self.app.screen
        assert isinstance(home, HomeScreen), home
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()
        if home.query_one("#interrupted", OptionList).option_count:
            await self.pilot.press("f4", "enter")  # the kiosk's resume entry
            run = self.run
            assert run is not None, self.app.screen
            session = run.desk
            last = read_transcript(session.path).events[-1]
            recovered = last if last.kind == Kind.RECOVERED else None
            snap = session.snapshot()
            self.report(
                "ready",
                how="resumed",
                sid=session.session_id,
                s=session.now(),
                rec_t=recovered.t if recovered else None,
                downtime=recovered.data.get("downtime_s") if recovered else None,
                timer=run.query_one(TimerPanel).text,
                phase=snap.phase_index,
                status=str(snap.status),
            )
            return
        home.query_one("#exam", Select).value = self.rng.choice(EXAMS)
        await self.pilot.pause()
        home.query_one("#candidate", Input).value = f"Candidat {self.plan.generation}"
        await self.pilot.press("f2")
        run = self.run
        assert run is not None, self.app.screen
        self.report("ready", how="created", sid=run.desk.session_id, s=run.desk.now())

    # --- the commission at work -------------------------------------------------------------

    async def work(self, deadline: float) -> None:
        operations: list[tuple[float, Callable[[], Any]]] = [
            (0.30, self.note),
            (0.22, self.rate),
            (0.08, self.move),
            (0.12, self.start_or_pause),
            (0.06, self.end_phase),
            (0.03, self.extend),
            (0.19, self.wait),
        ]
        weights = [w for w, _ in operations]
        while time.monotonic() < deadline:
            run = self.run
            if run is None:  # the result was saved: the next candidate
                await self.open_session()
                continue
            if run.desk.status is Status.OVER:
                await self.conclude()
                continue
            [(_, operation)] = self.rng.choices(operations, weights)
            await operation()
            await self.settle()
            self.tick()

    async def settle(self) -> None:
        """Close a question left open; forget an operation the kiosk refused."""
        from textual.screen import ModalScreen

        for _ in range(3):
            if not isinstance(self.app.screen, ModalScreen):
                break
            await self.pilot.press("escape")
        self.pending = None

    async def note(self) -> None:
        from ndrc_oral.tui.widgets.notes import NoteInput

        run = self.run
        self.count += 1
        text = f"n{self.plan.generation}.{self.count} {self.rng.choice(WORDS)}"
        self.pending = ["note", text]
        run.query_one(NoteInput).focus()
        await self.pilot.press(*text, "enter")

    async def rate(self) -> None:
        from ndrc_oral.tui.widgets.grid import GridList

        run = self.run
        criterion = run.query_one(GridList).criterion
        levels = run.exam.level_codes()
        digit = self.rng.randint(0, len(levels))
        level = levels[digit - 1] if digit else ""
        if criterion is None or run.desk.state.ratings.get(criterion, "") == level:
            return  # the kiosk saves nothing for an unchanged level
        self.pending = ["rated", criterion, level]
        await self.pilot.press(f"alt+{digit}")

    async def move(self) -> None:
        from ndrc_oral.tui.widgets.notes import NoteInput

        self.run.query_one(NoteInput).focus()
        await self.pilot.press(self.rng.choice(["up", "down", "down"]))

    async def start_or_pause(self) -> None:
        from ndrc_oral.tui.dialogs import ReasonDialog

        run = self.run
        session = run.desk
        status = session.status
        if status in (Status.READY, Status.BETWEEN):
            self.pending = ["start", run.exam.phases[session.state.next_index].id]
            await self.pilot.press("f2")
        elif status is Status.RUNNING:
            self.pending = ["pause"]
            await self.pilot.press("f3")
            if isinstance(self.app.screen, ReasonDialog):
                await self.pilot.press("enter")  # the reason proposed
        elif status is Status.PAUSED:
            self.pending = ["resume"]
            await self.pilot.press("f3")

    async def end_phase(self) -> None:
        from ndrc_oral.tui.dialogs import CarryDialog, ConfirmDialog

        run = self.run
        current = run.desk.state.current
        if current is None:
            return
        phase = run.exam.phases[current].id
        self.pending = ["end", phase]
        await self.pilot.press("f4")
        if isinstance(self.app.screen, CarryDialog):
            await self.pilot.press("enter")  # the definition's answer
        elif isinstance(self.app.screen, ConfirmDialog):
            await self.pilot.press("left", "enter")  # "yes"

    async def extend(self) -> None:
        from ndrc_oral.tui.dialogs import ExtendDialog

        self.pending = ["extend"]
        await self.pilot.press("f5")
        if isinstance(self.app.screen, ExtendDialog):
            await self.pilot.press("1", "tab", "r", "enter")

    async def wait(self) -> None:
        await self.pilot.pause(self.rng.uniform(0.05, 0.3))

    async def conclude(self) -> None:
        """Every phase is over: the mark, then the session ends (the home screen comes back)."""
        from ndrc_oral.tui.screens.home import HomeScreen

        sid = self.run.desk.session_id
        mark = self.rng.randint(0, 40) / 2
        await self.pilot.press("f8")
        await self.pilot.press(*f"{mark:g}", "f2")
        if isinstance(self.app.screen, HomeScreen):
            self.report("saved", sid=sid, s=0.0, item=["result", mark])
            self.report("saved", sid=sid, s=0.0, item=["finished"])


async def _drive(plan: ChildPlan, fd: int) -> None:
    from ndrc_oral.tui.app import KioskApp
    from ndrc_oral.tui.screens.run import RunScreen

    app = KioskApp(
        catalog=plan.catalog,
        store=Store(plan.root),
        clock=ShiftedClock(plan.offset_s),
        cursor_blink=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        driver = Driver(app, pilot, plan, fd)
        painted = RunScreen.show_saved

        def spy(screen: RunScreen, what: str, at: datetime) -> None:
            painted(screen, what, at)
            driver.saved(screen)

        RunScreen.show_saved = spy  # type: ignore[method-assign]  # this process only
        await driver.open_session()
        await driver.work(time.monotonic() + CHILD_LIFETIME)


def _child(plan: ChildPlan, fd: int) -> None:  # pragma: no cover - runs in the child
    try:
        asyncio.run(_drive(plan, fd))
    except BaseException:
        message = json.dumps({"k": "error", "m": time.monotonic(), "msg": traceback.format_exc()})
        os.write(fd, (message + "\n").encode())
    finally:
        os._exit(0)


# --- the parent ------------------------------------------------------------------------------


@dataclass
class Generation:
    """One child's life: what it reported, and when it was killed."""

    lines: list[dict[str, Any]]
    killed_at: float
    offset_s: float
    added_s: float
    """The downtime simulated before this start."""
    seconds: float
    """Real time from the fork to the end of the checks."""

    @property
    def ready(self) -> dict[str, Any] | None:
        return next((line for line in self.lines if line["k"] == "ready"), None)

    def last_line(self, sid: str) -> dict[str, Any] | None:
        """The last report about ``sid`` with a session time (the kill came after it)."""
        mine = [x for x in self.lines if x.get("sid") == sid and x["k"] in ("ready", "tick")]
        mine += [x for x in self.lines if x.get("sid") == sid and x["k"] == "saved" and x["s"]]
        return max(mine, key=lambda x: x["m"], default=None)


def _run_generation(
    plan: ChildPlan, rng: random.Random, max_delay: float, early: float
) -> tuple[list[dict[str, Any]], float]:
    """Fork a kiosk, kill it at a random moment; its reports and the moment of the kill."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        _child(plan, write_end)
    os.close(write_end)
    buffer = b""
    try:
        if rng.random() < early:
            # Anywhere in the start: the home screen, the resume, the creation.
            kill_at = time.monotonic() + rng.uniform(0.0, 0.6)
        else:
            deadline = time.monotonic() + READY_TIMEOUT
            while b'"k": "ready"' not in buffer and b'"k": "error"' not in buffer:
                buffer += _read_some(read_end, deadline - time.monotonic())
                if time.monotonic() > deadline:
                    raise AssertionError(f"the kiosk did not open a session: {buffer[-2000:]!r}")
            # The kiosk has done some work first, counted in saved items, never in
            # time (a loaded machine saves fewer in 0.8 s): a random moment after them.
            while (
                buffer.count(b'"k": "saved"') < SAVED_BEFORE_KILL and b'"k": "error"' not in buffer
            ):
                buffer += _read_some(read_end, deadline - time.monotonic())
                if time.monotonic() > deadline:
                    raise AssertionError(f"the kiosk saved nothing: {buffer[-2000:]!r}")
            kill_at = time.monotonic() + rng.uniform(0.0, max_delay)
        while (left := kill_at - time.monotonic()) > 0:
            buffer += _read_some(read_end, left)
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        os.waitpid(pid, 0)
        while chunk := _read_some(read_end, 5.0):
            buffer += chunk
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    lines = [json.loads(x) for x in buffer.decode().splitlines() if x.strip()]
    return lines, killed_at


def _read_some(fd: int, timeout: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], max(0.0, timeout))
    return os.read(fd, 65536) if ready else b""


@dataclass
class Figures:
    """What the kill run measured."""

    kills: int = 0
    sessions: int = 0
    items_checked: int = 0
    """Look-ups of a thing shown saved in its transcript (each one, after every later kill)."""
    by_kind: dict[str, int] = field(default_factory=dict)
    """Things the screen showed as saved, by kind (each found after the kill)."""
    early_kills: int = 0
    """Kills before the child had a session open (home screen, resume, creation)."""
    events_read: int = 0
    """Events read back and checked (chain, numbering) over all the checks."""
    integrity: dict[str, int] = field(default_factory=dict)
    creations_cut: int = 0
    """Kills during a session's creation that left a file without its first event."""
    resumes: int = 0
    resumes_checked: int = 0
    given_back_max_s: float = 0.0
    """The most candidate time a kill gave back (time run since the last heartbeat)."""
    downtime_error_max_s: float = 0.0
    """The most the recorded downtime exceeded the true one (a phase running or paused)."""
    downtime_error_idle_max_s: float = 0.0
    """The same when no phase ran at the kill (no heartbeat then: the last event dates it)."""
    seconds: float = 0.0
    check_seconds: float = 0.0

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        return [
            f"kills survived: {self.kills} ({self.early_kills} before a session was open; "
            f"{self.sessions} sessions)",
            f"things shown saved, all found after the kill: {sum(self.by_kind.values())} "
            f"({kinds}); {self.items_checked} look-ups over all the checks",
            f"events read back and checked: {self.events_read}",
            f"transcripts after each kill: {self.integrity}",
            f"kills during a creation (file without its first event): {self.creations_cut}",
            f"resumes from the home screen: {self.resumes}, timer checked: {self.resumes_checked}",
            f"candidate time given back by a kill, max: {self.given_back_max_s:.3f} s",
            f"recorded downtime above the true one, max: {self.downtime_error_max_s:.3f} s "
            f"(no phase running: {self.downtime_error_idle_max_s:.3f} s)",
            f"time: {self.seconds:.1f} s, {self.seconds / max(1, self.kills):.2f} s per kill "
            f"(checks {self.check_seconds / max(1, self.kills) * 1000:.1f} ms per kill)",
        ]


def _matches(item: Sequence[Any], event: Event) -> bool:
    kind, *args = item
    data = event.data
    if kind == "note":
        return event.kind == Kind.NOTE and data.get("text") == args[0]
    if kind == "rated":
        return event.kind == Kind.RATED and [data.get("criterion"), data.get("level")] == args
    if kind == "start":
        return event.kind == Kind.PHASE_STARTED and data.get("phase") == args[0]
    if kind == "end":
        return event.kind == Kind.PHASE_ENDED and data.get("phase") == args[0]
    if kind == "result":
        return event.kind == Kind.RESULT and data.get("mark") == args[0]
    simple = {"pause": Kind.PAUSED, "resume": Kind.RESUMED, "extend": Kind.EXTENDED}
    if kind in simple:
        return event.kind == simple[kind]
    return kind == "finished" and event.kind == Kind.FINISHED


def missing_items(items: Sequence[Sequence[Any]], events: Sequence[Event]) -> list[Any]:
    """The reported items that are not, in the reported order, in ``events``."""
    position = 0
    for i, item in enumerate(items):
        while position < len(events) and not _matches(item, events[position]):
            position += 1
        if position == len(events):
            return list(items[i:])
        position += 1
    return []


def shown_seconds(text: str) -> int:
    """``08:20`` -> 500, ``+01:05`` -> -65, ``1:02:03`` -> 3723 (what the timer shows)."""
    sign = -1 if text.startswith("+") else 1
    value = 0
    for part in text.lstrip("+").split(":"):
        value = value * 60 + int(part)
    return sign * value


class KillRun:
    """The parent: generations of the kiosk, a kill each, and the checks after each kill."""

    def __init__(self, root: Path, catalog: Catalog, seed: int, *, max_delay: float) -> None:
        self.root = root
        self.catalog = catalog
        self.rng = random.Random(seed)
        self.max_delay = max_delay
        self.reported: dict[str, list[list[Any]]] = {}
        self.before: dict[str, list[Event]] = {}
        """Each session's events as read after the last kill."""
        self.figures = Figures()
        self.offset_s = 0.0
        self.previous: Generation | None = None

    def run(self, kills: int, early: float = 0.15) -> Figures:
        started = time.perf_counter()
        for g in range(kills):
            added = self.rng.uniform(30.0, 3600.0) if g else 0.0
            self.offset_s += added
            plan = ChildPlan(self.root, self.catalog, self.offset_s, self.rng.randrange(2**32), g)
            t0 = time.perf_counter()
            lines, killed_at = _run_generation(plan, self.rng, self.max_delay, early)
            errors = [x["msg"] for x in lines if x["k"] == "error"]
            assert not errors, errors[0]
            generation = Generation(lines, killed_at, self.offset_s, added, 0.0)
            t1 = time.perf_counter()
            self.check(generation, g)
            self.figures.check_seconds += time.perf_counter() - t1
            generation.seconds = time.perf_counter() - t0
            self.figures.kills += 1
            self.previous = generation
        self.figures.seconds = time.perf_counter() - started
        self.figures.sessions = len(list(self.root.glob("*.toml")))
        return self.figures

    def check(self, generation: Generation, g: int) -> None:
        for line in generation.lines:
            if line["k"] == "saved":
                self.reported.setdefault(line["sid"], []).append(line["item"])
            elif line["k"] == "ready":
                self.reported.setdefault(line["sid"], [])
        ready = generation.ready
        if ready is None:
            self.figures.early_kills += 1
        elif ready["how"] == "resumed":
            self.figures.resumes += 1
            self.check_resume(generation, ready, g)
        after: dict[str, list[Event]] = {}
        for path in sorted(self.root.glob("*.toml")):
            sid = path.stem
            transcript = read_transcript(path)
            events = transcript.events
            self.figures.events_read += len(events)
            state = str(transcript.integrity)
            self.figures.integrity[state] = self.figures.integrity.get(state, 0) + 1
            if not events:
                # The kill came between the creation of the file and its first
                # event: no session was ever shown, nothing was reported.
                assert not self.reported.get(sid), (g, sid, transcript.problems)
                self.figures.creations_cut += 1
                continue
            assert transcript.integrity in (Integrity.INTACT, Integrity.TORN_TAIL), (
                g,
                sid,
                transcript.problems,
            )
            assert [e.seq for e in events] == list(range(len(events))), (g, sid)
            items = self.reported.get(sid, [])
            assert not missing_items(items, events), (g, sid, missing_items(items, events))
            after[sid] = events
        for items in self.reported.values():
            self.figures.items_checked += len(items)
        for line in generation.lines:
            if line["k"] == "saved":
                kind = line["item"][0]
                self.figures.by_kind[kind] = self.figures.by_kind.get(kind, 0) + 1
        self.before = after

    def check_resume(self, generation: Generation, ready: dict[str, Any], g: int) -> None:
        """The timer after a resume shows the time left at the kill; the downtime is recorded."""
        sid = ready["sid"]
        previous = self.previous
        last = previous.last_line(sid) if previous is not None else None
        events = self.before.get(sid)
        if previous is None or last is None or not events or ready["rec_t"] is None:
            return  # the session was not seen running before this kill: nothing to compare
        self.figures.resumes_checked += 1
        killed_t = last["s"] + (previous.killed_at - last["m"])
        """Session time at the kill."""
        exam = exam_of(read_transcript(self.root / f"{sid}.toml"))
        state = fold(exam, events)
        at_kill = state.snapshot(killed_t)
        live = at_kill.status in (Status.RUNNING, Status.PAUSED)
        given_back = killed_t - ready["rec_t"]
        assert given_back > -0.01, (g, killed_t, ready)
        if live:
            assert given_back <= GIVEN_BACK_MAX, (g, given_back)
            self.figures.given_back_max_s = max(self.figures.given_back_max_s, given_back)
        # The timer shows the time left at the kill (the downtime does not count).
        assert ready["phase"] == at_kill.phase_index, (g, ready, at_kill)
        if at_kill.phase_index is not None:
            shown = shown_seconds(ready["timer"])
            low = math.ceil(at_kill.remaining_s - 1e-9) - 1
            high = math.ceil(at_kill.remaining_s + (GIVEN_BACK_MAX if live else 0.0)) + 1
            if at_kill.status is Status.RUNNING:
                assert low <= shown <= high, (g, ready["timer"], at_kill.remaining_s)
            else:
                assert abs(shown - at_kill.remaining_s) <= 1.0, (g, ready["timer"], at_kill)
        # The downtime is an incident: at least the time simulated, and the real
        # restart, at most that plus the time since the last sign of life.
        true_downtime = generation.added_s + (ready["m"] - previous.killed_at)
        recorded = ready["downtime"]
        assert recorded is not None and recorded >= generation.added_s - 0.01, (g, recorded)
        error = recorded - true_downtime
        if live:
            assert error <= GIVEN_BACK_MAX + 0.5, (g, recorded, true_downtime)
            self.figures.downtime_error_max_s = max(self.figures.downtime_error_max_s, error)
        else:
            # No heartbeat between phases: the downtime runs from the last event,
            # at the latest the last one the child reported.
            events_m = [
                x["m"]
                for x in previous.lines
                if x.get("sid") == sid and x["k"] in ("saved", "ready")
            ]
            if events_m:
                since = ready["m"] - max(events_m)
                assert recorded <= generation.added_s + since + 0.5, (g, recorded, since)
            idle = self.figures.downtime_error_idle_max_s
            self.figures.downtime_error_idle_max_s = max(idle, error)


def run_kills(root: Path, catalog: Catalog, kills: int, seed: int, max_delay: float) -> Figures:
    """``kills`` generations of the kiosk in ``root``, each killed; the figures."""
    return KillRun(root, catalog, seed, max_delay=max_delay).run(kills)
