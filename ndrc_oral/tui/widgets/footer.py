"""The footer of every screen: each action's keys with its name in the current language.

An action bound to an F-key and its Ctrl twin (``tui.bindings.CTRL_TWINS``) shows
both, ``F3/^p Pause``, when the line has room; otherwise its Ctrl chord alone
(the F-key still works); if the line is still too long, the last actions give
way, never Quit: the command palette (``^k``) lists every one of them. A
screen may name an action after what it will do now (``binding_label``: the
review's Escape clears the search, leaves it, goes back or quits).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ndrc_oral.tui import bindings
from ndrc_oral.tui.bindings import describe


@dataclass(frozen=True, slots=True)
class ScreenAction:
    """One action a screen offers now: its bindings (one per key), where it runs, its name."""

    bindings: tuple[Binding, ...]
    node: DOMNode
    label: str
    enabled: bool
    shown: bool
    """In the footer (``show``); the palette lists the others too."""

    @property
    def action(self) -> str:
        return self.bindings[0].action

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.bindings)


def binding_label(screen: Screen[object], binding: Binding) -> str:
    """What the footer and the palette call this binding on ``screen`` now."""
    own = getattr(screen, "binding_label", None)
    label = own(binding) if callable(own) else None
    return label if isinstance(label, str) else describe(binding.description)


def screen_actions(screen: Screen[object]) -> list[ScreenAction]:
    """The actions active on ``screen`` (focused widget's first, the app's last), one per
    action, each with all the keys bound to it in the order they are declared."""
    grouped: dict[str, list[tuple[Binding, DOMNode, bool]]] = {}
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        grouped.setdefault(binding.action, []).append((binding, node, enabled))
    found = []
    for entries in grouped.values():
        first, node, enabled = entries[0]
        found.append(
            ScreenAction(
                bindings=tuple(b for b, _, _ in entries),
                node=node,
                label=binding_label(screen, first),
                enabled=enabled,
                shown=first.show,
            )
        )
    return found


def key_display(screen: Screen[object], binding: Binding) -> str:
    return screen.app.get_key_display(binding)


def _twins_only(action: ScreenAction) -> tuple[Binding, ...]:
    """The keys of an action that are no F-key (its Ctrl twin), else all of them."""
    chords = tuple(b for b in action.bindings if not _is_fkey(b.key))
    return chords or action.bindings


def _is_fkey(key: str) -> bool:
    return key.startswith("f") and key[1:].isdigit()


def _width(items: list[tuple[str, str]]) -> int:
    # A compact footer key: the key, then its name with one cell either side.
    return sum(cell_len(k) + (cell_len(d) + 2 if d else 1) for k, d in items)


class KioskFooter(Footer):
    """A compact footer that always keeps Quit, with both keys of an action when it can."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._width = 0
        self._shown: tuple[tuple[object, ...], ...] | None = None
        """What the keys composed show (key, label, action, enabled, tooltip)."""

    def on_resize(self, event: events.Resize) -> None:
        # Only for a width the keys were not fitted to: the first resize comes right
        # after the keys were composed for that width (a third compose at start-up).
        if self._bindings_ready and event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)

    def _keys(self) -> list[FooterKey]:
        """The keys to show now, fitted to the width."""
        screen = self.screen
        actions = [a for a in screen_actions(screen) if a.shown and a.label]
        width = self.size.width or self.app.size.width
        self._width = width
        keys = []
        for action, shown_keys in self._fit(screen, actions, width):
            first = action.bindings[0]
            keys.append(
                FooterKey(
                    shown_keys[0].key,
                    "/".join(key_display(screen, b) for b in shown_keys),
                    action.label,
                    action.action,
                    disabled=not action.enabled,
                    tooltip=describe(first.tooltip) if first.tooltip else "",
                )
            )
        return keys

    @staticmethod
    def _signature(keys: list[FooterKey]) -> tuple[tuple[object, ...], ...]:
        return tuple(
            (k.key, k.key_display, k.description, k.action, k.disabled, k.tooltip) for k in keys
        )

    @property
    def current(self) -> bool:
        """Whether the keys shown are those the screen's bindings give now, laid out (a
        change shows after the next refresh)."""
        keys = self.query(FooterKey)
        return (
            self._bindings_ready
            and self._signature(self._keys()) == self._shown
            and all(k.region.width > 0 for k in keys)
        )

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys = self._keys()
        self._shown = self._signature(keys)
        self.styles.grid_size_columns = max(1, len(keys))
        for key in keys:
            yield key.data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual recomposes at every change of the bindings (each focus change, twice
        # at start-up); the keys are remade only when the ones shown would differ.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._refresh_keys)

    async def _refresh_keys(self) -> None:
        if self.is_attached and self._signature(self._keys()) != self._shown:
            await self.recompose()

    def _fit(
        self, screen: Screen[object], actions: list[ScreenAction], width: int
    ) -> list[tuple[ScreenAction, tuple[Binding, ...]]]:
        """Every key if it fits; else the Ctrl twins alone; else the last actions dropped
        (Quit stays: it is the app's, listed last)."""
        for keys_of in (lambda a: a.bindings, _twins_only):
            chosen = [(a, _shown(a, keys_of(a))) for a in actions]
            if self._fits(screen, chosen, width):
                return chosen
        kept = list(chosen)
        while len(kept) > 1 and not self._fits(screen, kept, width):
            drop = next((i for i in range(len(kept) - 1, -1, -1) if not _is_quit(kept[i][0])), None)
            if drop is None:
                break
            del kept[drop]
        return kept

    @staticmethod
    def _fits(
        screen: Screen[object], chosen: list[tuple[ScreenAction, tuple[Binding, ...]]], width: int
    ) -> bool:
        items = [("/".join(key_display(screen, b) for b in keys), a.label) for a, keys in chosen]
        return _width(items) <= width


def _shown(action: ScreenAction, keys: tuple[Binding, ...]) -> tuple[Binding, ...]:
    # The tab keys show as one "1-6": a binding with its own key display stands alone.
    return keys[:1] if keys[0].key_display else keys


def _is_quit(action: ScreenAction) -> bool:
    return any(b.id == bindings.QUIT.id for b in action.bindings)
