"""A row of radio buttons that the arrow keys choose from, as a row of buttons looks.

Textual's ``RadioSet`` moves a highlight with the arrows and waits for Enter
or Space to press it: on the result form, an examiner who moved to "NV" and
went on with Tab had still recorded a mark. Here the arrows press the button
they move to, and the highlight always sits on the button pressed (a
correction's form opens on its saved outcome, not on the first button). With
nothing pressed yet (a choice of the fiche left blank), the first arrow
presses the first (or, going back, the last) button.
"""

from __future__ import annotations

from textual.events import Mount
from textual.widgets import Checkbox, RadioButton, RadioSet
from textual.widgets._toggle_button import ToggleButton  # the base of both (not re-exported)


class _Glyphs(ToggleButton):
    """A toggle whose glyph says whether it is on (``ON``) or off (``OFF``).

    Textual's draws the same glyph either way and tells them apart by colour
    only: without colour (``NO_COLOR``, a text capture, a colour-blind examiner)
    every outcome and every box of the result form looked chosen.
    """

    ON = "●"
    OFF = "○"

    def watch_value(self) -> None:
        # Read by Textual's ``_button`` at each render; the value's change repaints.
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        super().watch_value()

    def on_mount(self) -> None:
        self.BUTTON_INNER = self.ON if self.value else self.OFF


# The Textual class first: its name is the CSS type the styles and queries look for.
class Choice(RadioButton, _Glyphs):
    """A radio button: ``●`` pressed, ``○`` not."""


class Tick(Checkbox, _Glyphs):
    """A check box: ``X`` ticked, blank not."""

    ON = "X"
    OFF = " "


class ChoiceRow(RadioSet):
    """Radio buttons; left/right (or up/down) choose the previous/next one."""

    def __init__(
        self, *buttons: RadioButton, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(*buttons, id=id, classes=classes, compact=True)
        self._arrows_press = False
        """Off while mounting: the set's own start-up moves the highlight, presses nothing."""

    def on_mount(self, event: Mount) -> None:
        # After the set's own ``_on_mount`` (Textual calls each class's handler in turn).
        pressed = self.pressed_index
        self._selected = pressed if pressed >= 0 else None
        self._arrows_press = True

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._press_selected()

    def action_next_button(self) -> None:
        super().action_next_button()
        self._press_selected()

    def _press_selected(self) -> None:
        if not self._arrows_press or self._selected is None:
            return
        button = self._nodes[self._selected]
        if isinstance(button, RadioButton) and not button.value:
            button.value = True
