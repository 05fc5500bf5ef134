"""Every key of the kiosk, in one place, each with an id so that it can be remapped.

Keys that must work while a note is being typed are F-keys or ctrl combos,
never plain letters; they reach the screen even when the note input has the
focus. Rating from the note input uses alt+digit (sent as ESC + digit by tmux,
the Linux console and most terminals) as priority bindings, so the input never
swallows them. A keymap (``{binding id: "keys"}``) passed to the app remaps
any of them (``App.set_keymap``).

Every binding of the kiosk is declared here. A description is an i18n key,
looked up in the current language when the footer shows it (``describe``,
``widgets.footer.KioskFooter``): changing the language after this module is
imported changes what the footer says.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ndrc_oral.i18n import fr, t
from ndrc_oral.transcript.exports import Scope, formats


def describe(description: str) -> str:
    """A binding's description in the current language (its text when it is no key)."""
    return t(description) if description in fr.STRINGS else description


ID_PREFIX = "ndrc."
"""Every binding id of the kiosk starts so (Textual's own widgets' bindings have none)."""

MAX_LEVEL_KEYS = 9
"""Digits 1–9 rate with the scale's levels, lowest first; 0 clears."""

# --- the app ------------------------------------------------------------------------

QUIT = Binding("ctrl+q", "request_quit", "tui.key.quit", id="ndrc.quit", priority=True)
# Every action of the current screen, by name (``tui.commands``). Not Textual's Ctrl+P:
# that is Pause, F3's twin; Ctrl+K opens a command palette in many applications.
PALETTE = Binding(
    "ctrl+k", "command_palette", "tui.key.palette", show=False, id="ndrc.palette", priority=True
)

APP: list[BindingType] = [QUIT, PALETTE]

CTRL_TWINS = {
    "f2": "ctrl+s",
    "f3": "ctrl+p",
    "f4": "ctrl+f",
    "f5": "ctrl+l",
    "f6": "ctrl+y",
    "f7": "ctrl+g",
    "f8": "ctrl+t",
    "f9": "ctrl+d",
}
"""Each F-key's Ctrl twin, the same on every screen (many laptops need Fn for an F-key).
Ctrl chords, never plain letters: they work while a note or a search is typed. None is
tmux's or screen's prefix (Ctrl+B, Ctrl+A) or an input's editing key, but Ctrl+D (delete
right, the Delete key's twin), whose bindings are priority ones."""


def with_twin(key: str) -> str:
    """``f6`` -> ``f6,ctrl+y``; a key without a twin as it is."""
    return f"{key},{CTRL_TWINS[key]}" if key in CTRL_TWINS else key


# --- the run screen ---------------------------------------------------------------------

START = Binding("f2,ctrl+s", "start", "tui.key.start", id="ndrc.start")
PAUSE = Binding("f3,ctrl+p", "pause", "tui.key.pause", id="ndrc.pause")
RESUME = Binding("f3,ctrl+p", "resume", "tui.key.resume", id="ndrc.resume")
# The reason of a pause, asked when it starts, can be given later (Escape skipped it).
PAUSE_REASON = Binding("ctrl+r", "pause_reason", show=False, id="ndrc.pause_reason")
END_PHASE = Binding("f4,ctrl+f", "end_phase", "tui.key.end_phase", id="ndrc.end_phase")
EXTEND = Binding("f5,ctrl+l", "extend", "tui.key.extend", id="ndrc.extend")
PRIVACY = Binding("f6,ctrl+y", "privacy", "tui.key.privacy", id="ndrc.privacy")
# One key, two faces: the footer says what pressing it switches to.
NOTE_GENERAL = Binding("f7,ctrl+g", "note_mode(1)", "tui.key.note_general", id="ndrc.note_mode")
NOTE_CRITERION = Binding("f7,ctrl+g", "note_mode(0)", "tui.key.note_criterion", id="ndrc.note_mode")
FINISH = Binding("f8,ctrl+t", "finish", "tui.key.finish", id="ndrc.finish")
# A phase with one maximum for "exposé et entretien": one key marks when the questions start.
# A priority binding: the note input's own Ctrl+E (end of line) gives way while there is a
# moment to mark (the End key still does it), and only then.
MILESTONE = Binding("ctrl+e", "milestone", "tui.key.milestone", id="ndrc.milestone", priority=True)
# Ctrl+D is an input's "delete right" too (the Delete key still does it): a priority binding.
REDIRECT = Binding("f9,ctrl+d", "redirect", "tui.key.redirect", id="ndrc.redirect", priority=True)
# Several candidates at once (E5). Ctrl keys: they work while a note is typed, and
# F10/F11 are often taken by the terminal itself (menu bar, full screen). The footer
# has no room left at 80 columns: "add" is named in the strip of candidates (with
# "switch" again), and F7 in the note box's border, so those two leave the footer
# on that screen (the ``*_QUIET`` twins: same key, same id, no footer entry).
SWITCH = Binding("ctrl+n", "switch_candidate", "tui.key.switch", id="ndrc.switch")
ADD_CANDIDATE = Binding(
    "ctrl+o", "add_candidate", "tui.key.add_candidate", show=False, id="ndrc.add"
)
NOTE_GENERAL_QUIET = Binding("f7,ctrl+g", "note_mode_quiet(1)", show=False, id="ndrc.note_mode")
NOTE_CRITERION_QUIET = Binding("f7,ctrl+g", "note_mode_quiet(0)", show=False, id="ndrc.note_mode")

RUN: list[BindingType] = [
    START,
    PAUSE,
    RESUME,
    PAUSE_REASON,
    END_PHASE,
    EXTEND,
    PRIVACY,
    NOTE_GENERAL,
    NOTE_CRITERION,
    FINISH,
    MILESTONE,
    REDIRECT,
    SWITCH,
    ADD_CANDIDATE,
    NOTE_GENERAL_QUIET,
    NOTE_CRITERION_QUIET,
    # From anywhere on the screen, the note input included: alt+1..9 rate, alt+0 clears.
    *[
        Binding(f"alt+{i}", f"rate({i})", show=False, priority=True, id=f"ndrc.rate.{i}")
        for i in range(MAX_LEVEL_KEYS + 1)
    ],
]

# --- the grid (when it has the focus) ---------------------------------------------------

GRID: list[BindingType] = [
    *[
        Binding(str(i), f"screen.rate({i})", show=False, id=f"ndrc.grid.rate.{i}")
        for i in range(1, MAX_LEVEL_KEYS + 1)
    ],
    Binding("0,backspace,delete", "screen.rate(0)", show=False, id="ndrc.grid.clear"),
]

# --- the note input --------------------------------------------------------------------

NOTE: list[BindingType] = [
    Binding("up", "screen.grid_move(-1)", show=False, id="ndrc.note.up"),
    Binding("down", "screen.grid_move(1)", show=False, id="ndrc.note.down"),
]

# --- the candidate's view -----------------------------------------------------------------

PRIVACY_BACK = Binding("f6,ctrl+y", "back", "tui.key.privacy_back", id="ndrc.privacy")

# --- the candidate's display (``ndrc-oral display``): no footer, one key to leave ---

DISPLAY_QUIT = Binding("ctrl+q", "quit", show=False, id="ndrc.display.quit", priority=True)

DISPLAY: list[BindingType] = [DISPLAY_QUIT]

# --- the home screen ------------------------------------------------------------------------

HOME_START = Binding("f2,ctrl+s", "start", "tui.key.home_start", id="ndrc.home.start")
HOME_RESUME = Binding("f4,ctrl+f", "resume_list", "tui.key.resume_list", id="ndrc.home.resume")
HOME_REVIEW = Binding("f5,ctrl+l", "review", "tui.key.review", id="ndrc.home.review")
HOME_EPREUVES = Binding("f6,ctrl+y", "epreuves_list", "tui.key.epreuves", id="ndrc.home.epreuves")
HOME_NV = Binding("f7,ctrl+g", "nv", "tui.key.nv", id="ndrc.home.nv")
# An interrupted session started by mistake: cancelled (the highlighted one, named first).
HOME_CANCEL = Binding(
    "f8,ctrl+t", "cancel_interrupted", "tui.key.cancel_interrupted", id="ndrc.home.cancel"
)

HOME_DAY = Binding(with_twin("f3"), "day", "tui.key.day", id="ndrc.home.day")

HOME: list[BindingType] = [
    HOME_START,
    HOME_DAY,
    HOME_RESUME,
    HOME_REVIEW,
    HOME_EPREUVES,
    HOME_NV,
    HOME_CANCEL,
]

# --- the commission's day ------------------------------------------------------------------------

DAY_CALL = Binding(with_twin("f2"), "call", "tui.key.day_call", id="ndrc.day.call")
DAY_RESUME = Binding(
    with_twin("f3"), "resume_preparations", "tui.key.day_resume", id="ndrc.day.resume"
)
DAY_SIGN_IN = Binding("e", "sign_in", "tui.key.day_sign_in", id="ndrc.day.sign_in")
DAY_FICHE = Binding("f", "hand_over", "tui.key.day_fiche", id="ndrc.day.fiche")
DAY_ABSENT = Binding("a", "absent", "tui.key.day_absent", id="ndrc.day.absent")
DAY_NV = Binding(with_twin("f7"), "nv", "tui.key.nv", id="ndrc.day.nv")
DAY_SLOT = Binding("r", "new_slot", "tui.key.day_slot", id="ndrc.day.slot")
DAY_IMPORT = Binding("i", "import_roster", "tui.key.day_import", id="ndrc.day.import")
DAY_BACK = Binding("escape", "back", "tui.key.back", id="ndrc.day.back")

DAY: list[BindingType] = [
    DAY_CALL,
    DAY_RESUME,
    DAY_SIGN_IN,
    DAY_FICHE,
    DAY_ABSENT,
    DAY_NV,
    DAY_SLOT,
    DAY_IMPORT,
    DAY_BACK,
]

# --- result, summary and dialogs ---------------------------------------------------------------

RESULT_SAVE = Binding("f2,ctrl+s", "save", "tui.key.save", id="ndrc.result.save")
RESULT_BACK = Binding("escape", "back", "tui.key.back", id="ndrc.result.back")

RESULT: list[BindingType] = [RESULT_SAVE, RESULT_BACK]

CORRECTION: list[BindingType] = [
    Binding("f2,ctrl+s", "save", "tui.key.save", id="ndrc.correct.save"),
    Binding("escape", "back", "tui.key.back", id="ndrc.correct.back"),
]

SUMMARY: list[BindingType] = [
    Binding("enter,f2,ctrl+s", "done", "tui.key.done", id="ndrc.summary.done")
]

DIALOG: list[BindingType] = [
    Binding("escape", "cancel", "tui.key.cancel", id="ndrc.dialog.cancel"),
    # Between the buttons of a question (an input keeps its own left/right).
    Binding("left", "app.focus_previous", show=False, id="ndrc.dialog.left"),
    Binding("right", "app.focus_next", show=False, id="ndrc.dialog.right"),
]

# --- the review: the list of sessions, one session, a student's rehearsals ----------------------

REVIEW: list[BindingType] = [
    Binding("escape", "back", "tui.key.back", id="ndrc.review.back"),
    Binding("f2,ctrl+s", "search", "tui.review.key.search", show=False, id="ndrc.review.search"),
    Binding("f3,ctrl+p", "sort_next", "tui.review.key.sort", id="ndrc.review.sort"),
    Binding("f4,ctrl+f", "sort_reverse", "tui.review.key.reverse", id="ndrc.review.reverse"),
    Binding("f5,ctrl+l", "rehearsals", "tui.review.key.rehearsals", id="ndrc.review.rehearsals"),
    Binding("f7,ctrl+g", "harmonisation", "tui.key.stats", id="ndrc.review.harmonisation"),
    *[
        Binding(
            with_twin(f.review_key),
            f"export_list('{f.key}')",
            f.key_label,
            id=f.binding_id,
            priority=with_twin(f.review_key).endswith("ctrl+d"),  # the search's delete right
        )
        for f in formats(Scope.SESSIONS)
    ],
]

SESSION_TABLE: list[BindingType] = [
    Binding("up", "move(-1)", show=False, id="ndrc.review.table.up"),
    Binding("down", "move(1)", show=False, id="ndrc.review.table.down"),
    Binding("pageup", "page(-1)", show=False, id="ndrc.review.table.pageup"),
    Binding("pagedown", "page(1)", show=False, id="ndrc.review.table.pagedown"),
    Binding("home", "edge(0)", show=False, id="ndrc.review.table.home"),
    Binding("end", "edge(1)", show=False, id="ndrc.review.table.end"),
    Binding("enter", "open", "tui.review.key.open", id="ndrc.review.open"),
]

DETAIL_TABS = ("timeline", "notes", "criteria", "grid", "result", "file")
"""The tabs of a session, in order; keys 1 to 6 show them."""

DETAIL: list[BindingType] = [
    Binding("escape", "back", "tui.key.back", id="ndrc.review.detail.back"),
    *[
        Binding(f.review_key, f"export('{f.key}')", f.key_label, id=f.binding_id)
        for f in formats(Scope.SESSION)
    ],
    Binding("f7,ctrl+g", "export_dir", "tui.review.key.dir", id="ndrc.review.dir"),
    # The changes the review makes, each a new event at the end of the transcript: a
    # reserved mark settled after its check; a result corrected; a session cancelled.
    Binding("f8,ctrl+t", "settle", "tui.review.key.settle", id="ndrc.review.settle"),
    Binding("c", "correct", "tui.review.key.correct", id="ndrc.review.correct"),
    Binding("a", "cancel_session", "tui.review.key.cancel", id="ndrc.review.cancel"),
    # The footer shows the tab keys once, as ``1-6 Onglets`` (the first binding stands for all).
    *[
        Binding(
            str(i + 1),
            f"tab('{name}')",
            "tui.review.key.tabs" if i == 0 else "",
            show=i == 0,
            key_display=f"1-{len(DETAIL_TABS)}" if i == 0 else None,
            tooltip=f"tui.review.tab.{name}",  # the command palette's name of each
            id=f"ndrc.review.tab.{name}",
        )
        for i, name in enumerate(DETAIL_TABS)
    ],
]

HARMONISATION: list[BindingType] = [
    Binding("escape", "back", "tui.key.back", id="ndrc.review.harmonisation.back"),
    Binding("f5,ctrl+l", "mode", "tui.stats.key.mode", id="ndrc.review.harmonisation.mode"),
]

REHEARSALS: list[BindingType] = [
    Binding("escape", "back", "tui.key.back", id="ndrc.review.rehearsals.back"),
    Binding("f5,ctrl+l", "scope", "tui.review.key.scope", id="ndrc.review.rehearsals.scope"),
]


# --- remapping: the ``[keys]`` section of the settings file ---------------------------------------

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta", "hyper"})


def binding_ids() -> frozenset[str]:
    """Every id a ``[keys]`` line may name (one id may stand for several bindings)."""
    found: set[str] = set()
    for value in globals().values():
        items = value if isinstance(value, list) else [value]
        found.update(b.id for b in items if isinstance(b, Binding) and b.id)
    return frozenset(found)


def _key_names() -> frozenset[str]:
    from textual.keys import KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

    names = {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")}
    return frozenset(
        names
        | set(KEY_NAME_REPLACEMENTS)
        | set(KEY_NAME_REPLACEMENTS.values())
        | set(KEY_TO_UNICODE_NAME)
    )


def is_key(text: str) -> bool:
    """``ctrl+t``, ``f3``, ``x``, ``alt+shift+up``: modifiers then one key Textual knows."""
    *modifiers, key = text.strip().lower().split("+")
    if not key or any(m not in MODIFIERS for m in modifiers):
        return False
    return (len(key) == 1 and key.isprintable()) or key in _key_names()


def keymap_problem(keymap: dict[str, str]) -> tuple[str, str] | None:
    """The first ``[keys]`` line that is wrong, as (id, i18n key of why); ``None``: all good."""
    known = binding_ids()
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            return binding_id, "settings.keys.unknown_id"
        if not keys.strip() or not all(is_key(k) for k in keys.split(",")):
            return binding_id, "settings.keys.bad_key"
    return None
