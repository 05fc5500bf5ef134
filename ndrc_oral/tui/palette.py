"""The colour vocabulary (``palette.tcss``) given to every stylesheet, and painted into Rich text.

``palette.tcss`` declares every colour once, as CSS variables (``$tone-over:
$error;``). The app adds them to its CSS variables (``css_variables``), a
theme variable in a value resolved against the current theme, so app.tcss,
review.tcss and the widgets' rules all say ``$tone-over``.

Code that draws Rich text (a candidate's line, a timeline) never names a
colour either: it styles a span ``"$tone-over bold"``, and the widget that
shows it calls ``paint``, which takes the colour from the rule
``.paint--tone-over`` (app.tcss; one per variable) and keeps the rest
(``bold``) as Rich reads it. The file is read by ``ndrc_oral.colours``, without
Textual (the web page of the candidate's view takes its colours there too). Such a widget lists ``PAINT_CLASSES`` among its
``COMPONENT_CLASSES``.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Span, Text
from textual.widget import Widget

from ndrc_oral.colours import declared, high_contrast_values

__all__ = ["PAINT_CLASSES", "css_variables", "declared", "high_contrast_values", "paint"]


def css_variables(theme: dict[str, str], *, high_contrast: bool = False) -> dict[str, str]:
    """The palette's variables with values, a ``$name`` value taken from ``theme``."""
    out: dict[str, str] = {}
    for name, value in declared(high_contrast).items():
        out[name] = theme[value[1:]] if value.startswith("$") else value
    return out


PAINT_CLASSES: frozenset[str] = frozenset(f"paint--{name}" for name in declared())
"""The component classes a painting widget declares: one per palette variable."""


def paint(widget: Widget, text: Text) -> Text:
    """``text`` with every ``"$name ..."`` style made a Rich style from the palette."""
    spans = [Span(s.start, s.end, _style(widget, s.style)) for s in text.spans]
    painted = text.copy()
    painted.style = _style(widget, text.style)
    painted.spans = spans
    return painted


def _style(widget: Widget, style: str | Style) -> str | Style:
    if not isinstance(style, str) or not style.startswith("$"):
        return style
    name, _, rest = style[1:].partition(" ")
    # The widget's own background resolves a colour such as ``auto 60%``; only the
    # colour is kept, so a span never paints over the background it sits on.
    color = widget.get_component_rich_style(f"paint--{name}").color
    return Style(color=color) + Style.parse(rest) if rest else Style(color=color)
