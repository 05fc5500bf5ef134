"""The command palette (``^k``): every action of the current screen, by the footer's name.

Imported only when the palette first opens (``KioskApp.COMMANDS``). Each action
the screen offers now is listed, those the footer has no room for and those it
never shows (a hidden key such as "add a candidate") too; its keys are the
hit's help. Textual's own system commands (themes, screenshots) are left out:
a kiosk offers the exam's actions only.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ndrc_oral.tui import bindings
from ndrc_oral.tui.bindings import describe
from ndrc_oral.tui.widgets.footer import ScreenAction, key_display, screen_actions


class ScreenCommands(Provider):
    """The current screen's actions, enabled ones only."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        found = []
        for action in screen_actions(screen):
            first = action.bindings[0]
            # Ours only (``tui.bindings``): an input's own keys are editing, not actions.
            mine = (first.id or "").startswith(bindings.ID_PREFIX)
            if not mine or not action.enabled or first.id == bindings.PALETTE.id:
                continue
            label = _palette_label(action)
            if not label:
                continue
            keys = " / ".join(key_display(screen, b) for b in action.bindings)
            found.append((label, keys, self._runner(action)))
        return found

    def _runner(self, action: ScreenAction) -> Callable[[], object]:
        def run() -> None:
            self.app.call_later(self.app.run_action, action.action, action.node)

        return run

    async def discover(self) -> Hits:
        for label, keys, run in self._commands():
            yield DiscoveryHit(label, run, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, keys, run in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=keys)


def _palette_label(action: ScreenAction) -> str:
    """The footer's name, or a binding's own name for the palette (each tab of a session)."""
    first = action.bindings[0]
    if first.tooltip:
        return describe(first.tooltip)
    return action.label
